package ai.goldkd.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.goldkd.nd.Scalars;

/**
 * How per-position values (shape (..., T), e.g. (B, T)) become a loss, counting only valid positions
 * (label not the ignore index). TRL's names in brackets.
 *
 * <ul>
 *   <li>{@link #tokenMean()} ("batchmean" with labels): sum over valid positions / number of them</li>
 *   <li>{@link #sequenceMean()} (the GKD paper's D(y|x)): mean over each sequence's valid positions
 *       (the last axis), then mean over the sequences that have at least one</li>
 *   <li>{@link #sum()} ("sum"): sum over valid positions</li>
 *   <li>{@link #none()} ("none"): the per-position values, 0 where invalid, same shape</li>
 *   <li>{@link #sumOver(long)}: sum over valid positions / a given count, e.g. the number of valid
 *       tokens in the whole accumulated batch, so that gradient accumulation over micro-batches adds
 *       up to the token mean of the whole batch</li>
 * </ul>
 *
 * <p>Every mode but {@code none} is a weighted sum, loss = sum_i w_i * x_i, with weights that depend
 * on the mask only ({@link #weights}); that is what lets {@link ChunkedDivergence} reduce chunk by
 * chunk. With no valid position at all the means are 0, not NaN.
 *
 * @param mode which reduction
 * @param itemCount the divisor for {@link Mode#SUM_OVER_ITEMS} (> 0); 0 for the other modes
 */
public record Reduction(Mode mode, long itemCount) {

    /** The label that marks a position to ignore, by the Hugging Face convention. */
    public static final int IGNORE_INDEX = -100;

    /** The reduction modes. */
    public enum Mode {
        /** Per-position values, invalid positions zeroed. */
        NONE,
        /** Sum over valid positions. */
        SUM,
        /** Mean over valid positions. */
        TOKEN_MEAN,
        /** Mean over each sequence's valid positions, then over sequences. */
        SEQUENCE_MEAN,
        /** Sum over valid positions divided by {@code itemCount}. */
        SUM_OVER_ITEMS
    }

    /** Checks the count against the mode. */
    public Reduction {
        if (mode == null) {
            throw new IllegalArgumentException("mode is null; use Reduction.tokenMean() or another factory");
        }
        if (mode == Mode.SUM_OVER_ITEMS && itemCount <= 0) {
            throw new IllegalArgumentException("itemCount = " + itemCount + " must be > 0 for SUM_OVER_ITEMS;"
                    + " pass the number of valid tokens in the whole (accumulated) batch");
        }
        if (mode != Mode.SUM_OVER_ITEMS && itemCount != 0) {
            throw new IllegalArgumentException(
                    "itemCount = " + itemCount + " is only used by SUM_OVER_ITEMS;" + " use Reduction.sumOver(n)");
        }
    }

    /** Mean over valid positions. */
    public static Reduction tokenMean() {
        return new Reduction(Mode.TOKEN_MEAN, 0);
    }

    /** Mean within each sequence (last axis), then over sequences: the GKD paper's reduction. */
    public static Reduction sequenceMean() {
        return new Reduction(Mode.SEQUENCE_MEAN, 0);
    }

    /** Sum over valid positions. */
    public static Reduction sum() {
        return new Reduction(Mode.SUM, 0);
    }

    /** Per-position values, 0 at invalid positions. */
    public static Reduction none() {
        return new Reduction(Mode.NONE, 0);
    }

    /**
     * Sum over valid positions divided by {@code itemCount}.
     *
     * @param itemCount the number of items (valid tokens) in the whole batch, > 0
     * @return the reduction
     */
    public static Reduction sumOver(long itemCount) {
        return new Reduction(Mode.SUM_OVER_ITEMS, itemCount);
    }

    /**
     * The valid-position mask of labels: true where the label is not the ignore index.
     *
     * @param labels the labels, any integer type, shape (..., T)
     * @param ignoreIndex the label that marks positions to skip, usually {@link #IGNORE_INDEX}
     * @return a boolean array of the labels' shape, attached to the labels' manager
     */
    public static NDArray validMask(NDArray labels, int ignoreIndex) {
        return labels.neq(ignoreIndex);
    }

    /**
     * Reduces per-position values over the valid positions.
     *
     * @param perToken the values, (..., T)
     * @param valid the mask, boolean or 0/1, same shape
     * @return a scalar, or for {@code none} the values with invalid positions set to 0
     */
    public NDArray apply(NDArray perToken, NDArray valid) {
        checkShapes(perToken, valid);
        try (NDManager scope = Ops.scope(perToken, valid)) {
            NDArray mask = valid.toType(DataType.BOOLEAN, false);
            // where(), not a product: invalid positions may hold inf or NaN (padding), and 0 * inf = NaN.
            NDArray clean = NDArrays.where(mask, perToken, perToken.zerosLike()); // (..., T)
            if (mode == Mode.NONE) {
                return scope.ret(clean);
            }
            return scope.ret(
                    clean.mul(weights(mask).toType(clean.getDataType(), false)).sum());
        }
    }

    /**
     * Reduces per-position values over the positions whose label is not the ignore index.
     *
     * @param perToken the values, (..., T)
     * @param labels the labels, same shape
     * @param ignoreIndex the label to skip, usually {@link #IGNORE_INDEX}
     * @return as {@link #apply(NDArray, NDArray)}
     */
    public NDArray applyWithLabels(NDArray perToken, NDArray labels, int ignoreIndex) {
        try (NDManager scope = Ops.scope(perToken, labels)) {
            return scope.ret(apply(perToken, validMask(labels, ignoreIndex)));
        }
    }

    /**
     * The weights w with loss = sum_i w_i * x_i; 0 at invalid positions. For {@code none}, the mask.
     *
     * @param valid the mask, boolean or 0/1, shape (..., T)
     * @return float32 weights of the mask's shape, attached to the mask's manager; no gradient
     */
    public NDArray weights(NDArray valid) {
        try (NDManager scope = Ops.scope(valid)) {
            NDArray m = valid.toType(DataType.FLOAT32, false); // (..., T)
            NDArray w = switch (mode) {
                case NONE, SUM -> m;
                case TOKEN_MEAN -> m.div(Scalars.maximum(m.sum(), 1f));
                case SUM_OVER_ITEMS -> Scalars.div(m, itemCount);
                case SEQUENCE_MEAN -> {
                    if (m.getShape().dimension() == 0) {
                        throw new IllegalArgumentException(
                                "sequence mean needs values of shape (..., T); got a scalar");
                    }
                    NDArray lengths = m.sum(new int[] {-1}, true); // (..., 1)
                    NDArray sequences = Scalars.maximum(
                            lengths.gt(0f).toType(DataType.FLOAT32, false).sum(), 1f); // ()
                    yield m.div(Scalars.maximum(lengths, 1f)).div(sequences);
                }
            };
            return scope.ret(w == m ? m.duplicate() : w);
        }
    }

    private static void checkShapes(NDArray perToken, NDArray valid) {
        if (!perToken.getShape().equals(valid.getShape())) {
            throw new IllegalArgumentException("per-token values " + perToken.getShape() + " and mask/labels "
                    + valid.getShape() + " differ in shape; give one label per position (shift labels"
                    + " for causal LMs so that labels[t] is the token that logits[t] predicts)");
        }
    }
}
