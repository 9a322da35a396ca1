package ai.goldkd.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;
import ai.goldkd.nd.Scalars;

/**
 * Symmetric cross-entropy (Wang et al. 2019), the noise-robust loss of GOLD's final student (GOLD.md):
 *
 * <pre>
 *   SCE_i = alpha * CE(y_i, p_i) + beta * RCE_i
 *   RCE_i = -sum_k p_ik * log(clamp(onehot(y_i)_k, 1e-4, 1)) = -log(1e-4) * (1 - p_i,y_i)
 * </pre>
 *
 * <p>p = softmax(logits). RCE is the cross-entropy with prediction and label swapped; log 0 is clamped
 * to log 1e-4, which makes it a scaled 1 - p_y (bounded, hence robust to wrong labels). GOLD's runs:
 * alpha 0.01 (GLUE) or 0.1 (SVAMP), beta 1. Shapes: logits (..., K), labels (...). As a DJL
 * {@link Loss}: {@code labels = [y]}, {@code predictions = [logits]}.
 */
public final class SymmetricCrossEntropyLoss extends Loss {

    /** -log(1e-4): the RCE's scale, from clamping log 0 at log 1e-4. */
    public static final float RCE_SCALE = (float) -Math.log(1e-4);

    private final float alpha;
    private final float beta;
    private final Reduction reduction;
    private final int ignoreIndex;

    /**
     * Creates the loss.
     *
     * @param alpha the CE weight, >= 0
     * @param beta the RCE weight, >= 0
     * @param reduction how examples are reduced
     * @param ignoreIndex the label of positions to skip
     */
    public SymmetricCrossEntropyLoss(float alpha, float beta, Reduction reduction, int ignoreIndex) {
        super("symmetric_cross_entropy");
        if (!(alpha >= 0f) || !(beta >= 0f) || Float.isInfinite(alpha) || Float.isInfinite(beta)) {
            throw new IllegalArgumentException("alpha = " + alpha + ", beta = " + beta
                    + " must be finite and >= 0; GOLD uses alpha 0.01 (GLUE) or 0.1 (SVAMP) and beta 1");
        }
        if (reduction == null) {
            throw new IllegalArgumentException("reduction is null; use Reduction.tokenMean()");
        }
        this.alpha = alpha;
        this.beta = beta;
        this.reduction = reduction;
        this.ignoreIndex = ignoreIndex;
    }

    /**
     * Batch mean, ignore index -100.
     *
     * @param alpha the CE weight
     * @param beta the RCE weight
     * @return the loss
     */
    public static SymmetricCrossEntropyLoss of(float alpha, float beta) {
        return new SymmetricCrossEntropyLoss(alpha, beta, Reduction.tokenMean(), Reduction.IGNORE_INDEX);
    }

    /**
     * The loss of every example, before reduction.
     *
     * @param logits (..., K)
     * @param labels (...) class ids or the ignore index
     * @return (...), 0 where ignored
     */
    public NDArray perToken(NDArray logits, NDArray labels) {
        CrossEntropyLoss.checkLabels(logits, labels);
        try (NDManager scope = Ops.scope(logits, labels)) {
            NDArray valid = labels.neq(ignoreIndex); // (...)
            NDArray ce = CrossEntropyLoss.perToken(logits, labels, ignoreIndex); // (...)
            NDArray safe = NDArrays.where(valid, labels, labels.zerosLike())
                    .toType(DataType.INT64, false)
                    .expandDims(-1); // (..., 1)
            NDArray pY = Ops.scaled(logits, 1f).softmax(-1).gather(safe, -1).squeeze(-1); // (...)
            NDArray rce = Scalars.mul(pY.neg().add(1f), RCE_SCALE); // (...)
            NDArray sce = Scalars.mul(ce, alpha).add(Scalars.mul(rce, beta)); // (...)
            return scope.ret(NDArrays.where(valid, sce, sce.zerosLike()));
        }
    }

    /**
     * The reduced loss.
     *
     * @param logits (..., K)
     * @param labels (...)
     * @return a scalar, or (...) for {@code none}
     */
    public NDArray compute(NDArray logits, NDArray labels) {
        try (NDManager scope = Ops.scope(logits, labels)) {
            return scope.ret(reduction.applyWithLabels(perToken(logits, labels), labels, ignoreIndex));
        }
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return compute(predictions.singletonOrThrow(), labels.singletonOrThrow());
    }
}
