package ai.goldkd.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.loss.Loss;

/**
 * A token-level distillation loss: a {@link Divergence} per position, reduced over the positions whose
 * label is not the ignore index.
 *
 * <pre>
 *   loss = reduce_{i : labels_i != ignoreIndex}  Div(p_i || q_i),   p = softmax(z_teacher / T), q = softmax(z_student / T)
 * </pre>
 *
 * <p>As a DJL {@link Loss}: {@code evaluate(labels, predictions)} takes {@code labels = [tokenLabels
 * (..., T) integer, teacherLogits (..., T, V)]} and {@code predictions = [studentLogits (..., T, V)]}.
 * The whole (..., T, V) graph is built at once; for large vocabularies use {@link ChunkedDivergence}.
 */
public final class DivergenceLoss extends Loss {

    private final Divergence divergence;
    private final Reduction reduction;
    private final float temperature;
    private final int ignoreIndex;

    /**
     * Creates the loss.
     *
     * @param divergence the per-token divergence
     * @param reduction how positions are reduced
     * @param temperature divides both logits; finite and > 0
     * @param ignoreIndex the label of positions to skip, usually {@link Reduction#IGNORE_INDEX}
     */
    public DivergenceLoss(Divergence divergence, Reduction reduction, float temperature, int ignoreIndex) {
        super(divergence == null ? "divergence" : divergence.name());
        if (divergence == null || reduction == null) {
            throw new IllegalArgumentException("divergence and reduction are required; e.g."
                    + " new DivergenceLoss(Divergences.forwardKl(), Reduction.tokenMean(), 1f, -100)");
        }
        this.divergence = divergence;
        this.reduction = reduction;
        this.temperature = Ops.checkTemperature(temperature);
        this.ignoreIndex = ignoreIndex;
    }

    /**
     * The usual setting: token mean, temperature 1, ignore index -100.
     *
     * @param divergence the per-token divergence
     * @return the loss
     */
    public static DivergenceLoss of(Divergence divergence) {
        return new DivergenceLoss(divergence, Reduction.tokenMean(), 1f, Reduction.IGNORE_INDEX);
    }

    /**
     * Computes the loss.
     *
     * @param studentLogits (..., T, V); gradients flow into it
     * @param teacherLogits (..., T, V); a constant
     * @param labels (..., T) integer labels; positions equal to the ignore index do not count
     * @return a scalar, or (..., T) for {@link Reduction#none()}
     */
    public NDArray compute(NDArray studentLogits, NDArray teacherLogits, NDArray labels) {
        try (NDManager scope = Ops.scope(studentLogits, teacherLogits, labels)) {
            NDArray perToken = divergence.perToken(studentLogits, teacherLogits, temperature); // (..., T)
            return scope.ret(reduction.applyWithLabels(perToken, labels, ignoreIndex));
        }
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        if (labels.size() != 2 || predictions.size() != 1) {
            throw new IllegalArgumentException("expected labels = [tokenLabels, teacherLogits] and predictions ="
                    + " [studentLogits]; got " + labels.size() + " labels and " + predictions.size() + " predictions");
        }
        return compute(predictions.singletonOrThrow(), labels.get(1), labels.get(0));
    }

    /** The divergence. */
    public Divergence divergence() {
        return divergence;
    }

    /** The reduction. */
    public Reduction reduction() {
        return reduction;
    }

    /** The temperature. */
    public float temperature() {
        return temperature;
    }

    /** The ignore index. */
    public int ignoreIndex() {
        return ignoreIndex;
    }
}
