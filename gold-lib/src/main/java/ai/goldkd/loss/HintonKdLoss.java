package ai.goldkd.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.loss.Loss;
import ai.goldkd.nd.Scalars;

/**
 * Hinton et al. (2015) knowledge distillation for classifiers: soft targets at a temperature, scaled
 * by T^2 so their gradients keep their size as T changes, plus the hard-label cross-entropy.
 *
 * <pre>
 *   loss_i = alpha * T^2 * KL( softmax(z_teacher,i / T) || softmax(z_student,i / T) )
 *          + (1 - alpha) * CE( y_i, softmax(z_student,i) )                    (CE at temperature 1)
 * </pre>
 *
 * <p>alpha weights the distillation term (the common torchdistill / Keras convention). GKD.md writes
 * the same loss with the weights the other way round, alpha * CE + (1 - alpha) * T^2 * KL: to use
 * that convention pass 1 - alpha. Positions whose label is the ignore index count in neither term.
 * Shapes: logits (..., K), labels (...). As a DJL {@link Loss}: {@code labels = [y, teacherLogits]},
 * {@code predictions = [studentLogits]}; reduced with {@link Reduction#tokenMean()} by default (the
 * batch mean for a classifier).
 */
public final class HintonKdLoss extends Loss {

    private final float alpha;
    private final float temperature;
    private final Reduction reduction;
    private final int ignoreIndex;

    /**
     * Creates the loss.
     *
     * @param alpha the weight of the distillation term, in [0, 1]; 1 is pure distillation, 0 pure CE
     * @param temperature the softening temperature T, finite and > 0; Hinton et al. use 1 to 20
     * @param reduction how examples (positions) are reduced
     * @param ignoreIndex the label of positions to skip
     */
    public HintonKdLoss(float alpha, float temperature, Reduction reduction, int ignoreIndex) {
        super("hinton_kd");
        this.alpha = Ops.checkUnit("alpha", alpha, "it weights the distillation term; 1 - alpha weights CE");
        this.temperature = Ops.checkTemperature(temperature);
        if (reduction == null) {
            throw new IllegalArgumentException("reduction is null; use Reduction.tokenMean()");
        }
        this.reduction = reduction;
        this.ignoreIndex = ignoreIndex;
    }

    /**
     * Batch mean, ignore index -100.
     *
     * @param alpha the weight of the distillation term
     * @param temperature the temperature T
     * @return the loss
     */
    public static HintonKdLoss of(float alpha, float temperature) {
        return new HintonKdLoss(alpha, temperature, Reduction.tokenMean(), Reduction.IGNORE_INDEX);
    }

    /**
     * The loss of every example (position), before reduction.
     *
     * @param studentLogits (..., K)
     * @param teacherLogits (..., K), a constant
     * @param labels (...) class ids or the ignore index
     * @return (...), 0 where ignored
     */
    public NDArray perToken(NDArray studentLogits, NDArray teacherLogits, NDArray labels) {
        try (NDManager scope = Ops.scope(studentLogits, teacherLogits, labels)) {
            NDArray soft = Scalars.mul(
                    Divergences.forwardKl().perToken(studentLogits, teacherLogits, temperature),
                    alpha * temperature * temperature); // (...)
            NDArray hard =
                    Scalars.mul(CrossEntropyLoss.perToken(studentLogits, labels, ignoreIndex), 1f - alpha); // (...)
            return scope.ret(Reduction.none().applyWithLabels(soft.add(hard), labels, ignoreIndex));
        }
    }

    /**
     * The reduced loss.
     *
     * @param studentLogits (..., K)
     * @param teacherLogits (..., K)
     * @param labels (...)
     * @return a scalar, or (...) for {@code none}
     */
    public NDArray compute(NDArray studentLogits, NDArray teacherLogits, NDArray labels) {
        try (NDManager scope = Ops.scope(studentLogits, teacherLogits, labels)) {
            NDArray perToken = perToken(studentLogits, teacherLogits, labels);
            return scope.ret(reduction.applyWithLabels(perToken, labels, ignoreIndex));
        }
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        if (labels.size() != 2) {
            throw new IllegalArgumentException(
                    "expected labels = [classLabels, teacherLogits]; got " + labels.size() + " arrays");
        }
        return compute(predictions.singletonOrThrow(), labels.get(1), labels.get(0));
    }
}
