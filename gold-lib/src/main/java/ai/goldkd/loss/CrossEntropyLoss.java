package ai.goldkd.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;
import ai.goldkd.nd.Scalars;

/**
 * Cross-entropy of logits against integer labels, skipping the ignore index: the project's one
 * cross-entropy, for classifiers and for next-token language-model training alike.
 *
 * <pre>
 *   CE_i = -log softmax(z_i)[y_i]          z (..., V), y (...) ; positions with y_i = ignoreIndex do not count
 *   token mean:  L = -(1/N) sum_{i: y_i != ignoreIndex} log softmax(z_i)[y_i],   N = max(1, #valid)
 * </pre>
 *
 * <p>As a DJL {@link Loss}: {@code labels = [y (...)]}, {@code predictions = [z (..., V)]}; for a causal
 * LM y is (B, T) with {@link Reduction#IGNORE_INDEX} on prompt and padding positions and z is (B, T, V).
 */
public final class CrossEntropyLoss extends Loss {

    private final Reduction reduction;
    private final int ignoreIndex;

    /**
     * Creates the loss.
     *
     * @param reduction how positions are reduced; {@link Reduction#tokenMean()} is PyTorch's default
     * @param ignoreIndex the label of positions to skip, usually {@link Reduction#IGNORE_INDEX}
     */
    public CrossEntropyLoss(Reduction reduction, int ignoreIndex) {
        this(reduction, ignoreIndex, "cross_entropy");
    }

    private CrossEntropyLoss(Reduction reduction, int ignoreIndex, String name) {
        super(name);
        if (reduction == null) {
            throw new IllegalArgumentException("reduction is null; use Reduction.tokenMean()");
        }
        this.reduction = reduction;
        this.ignoreIndex = ignoreIndex;
    }

    /**
     * Token mean, ignore index -100: PyTorch's {@code F.cross_entropy} defaults, and the next-token loss
     * of every language-model training run. Named {@code token_ce}.
     */
    public static CrossEntropyLoss tokenMean() {
        return new CrossEntropyLoss(Reduction.tokenMean(), Reduction.IGNORE_INDEX, "token_ce");
    }

    /**
     * The cross-entropy at every position; 0 where the label is the ignore index.
     *
     * @param logits (..., V); gradients flow into it
     * @param labels (...) integer class ids in [0, V), or the ignore index
     * @param ignoreIndex the label of positions to skip
     * @return (...) float32, attached to the logits' manager
     */
    public static NDArray perToken(NDArray logits, NDArray labels, int ignoreIndex) {
        checkLabels(logits, labels);
        try (NDManager scope = Ops.scope(logits, labels)) {
            NDArray valid = labels.neq(ignoreIndex); // (...)
            NDArray safe = NDArrays.where(valid, labels, labels.zerosLike()) // (...)
                    .toType(DataType.INT64, false)
                    .expandDims(-1); // (..., 1)
            NDArray logProbs = Ops.logSoftmax(logits, 1f); // (..., V)
            NDArray nll = logProbs.gather(safe, -1).squeeze(-1).neg(); // (...)
            return scope.ret(NDArrays.where(valid, nll, nll.zerosLike()));
        }
    }

    /**
     * The reduced loss.
     *
     * @param logits (..., V)
     * @param labels (...)
     * @return a scalar, or (...) for {@code none}
     */
    public NDArray compute(NDArray logits, NDArray labels) {
        if (reduction.mode() == Reduction.Mode.TOKEN_MEAN) {
            return tokenMean(logits, labels);
        }
        try (NDManager scope = Ops.scope(logits, labels)) {
            return scope.ret(reduction.applyWithLabels(perToken(logits, labels, ignoreIndex), labels, ignoreIndex));
        }
    }

    /**
     * The token mean as sum / count (PyTorch's order of operations), which the language-model runs
     * have always used: the same digits as before the two cross-entropies became one.
     */
    private NDArray tokenMean(NDArray logits, NDArray labels) {
        checkLabels(logits, labels);
        try (NDManager scope = Ops.scope(logits, labels)) {
            NDArray keep = labels.neq(ignoreIndex); // (...) bool
            NDArray safe = labels.mul(keep.toType(labels.getDataType(), false)); // ignored -> id 0
            NDArray logp = logits.logSoftmax(-1).gather(safe.expandDims(-1), -1).squeeze(-1); // (...)
            NDArray weights = keep.toType(logp.getDataType(), false);
            NDArray count = Scalars.maximum(weights.sum(), 1f);
            return scope.ret(logp.mul(weights).sum().neg().div(count)); // ()
        }
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return compute(predictions.singletonOrThrow(), labels.singletonOrThrow());
    }

    static void checkLabels(NDArray logits, NDArray labels) {
        if (logits.getShape().dimension() != labels.getShape().dimension() + 1
                || !logits.getShape().slice(0, labels.getShape().dimension()).equals(labels.getShape())) {
            throw new IllegalArgumentException("logits " + logits.getShape() + " and labels " + labels.getShape()
                    + " do not match; logits must be (..., V) for labels (...)");
        }
        if (labels.getDataType().isFloating()) {
            throw new IllegalArgumentException(
                    "labels have type " + labels.getDataType() + "; give integer class ids (int32 or int64)");
        }
    }
}
