package ai.goldkd.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.goldkd.nd.Scalars;

/**
 * TAID's loss (Shing et al. 2025, "TAID: Temporally Adaptive Interpolated Distillation for Efficient
 * Knowledge Transfer in Language Models", ICLR 2025, arXiv 2501.16937): the student is trained towards
 * an intermediate target p_t that moves from the student itself (t = 0) to the teacher (t = 1).
 *
 * <pre>
 *   LOGITS (the paper, eq. for p_t, and its released code; the default):
 *     p_t = softmax( (1 - t) * stopgrad(z_student) + t * z_teacher )
 *   PROBABILITIES (an ablation):
 *     p_t = (1 - t) * stopgrad(softmax(z_student)) + t * softmax(z_teacher)
 *   loss_i = CE(p_t, q) = -sum_v p_t,v * log q_v,        q = softmax(z_student)
 * </pre>
 *
 * <p>The value is the cross-entropy form, as in the authors' code; it equals KL(p_t || q) + H(p_t),
 * with the same gradient (p_t carries none). A temperature, if not 1, divides both logits first. t
 * comes from {@link TaidSchedule}. {@link #at} gives a {@link Divergence}, so the reductions and
 * {@link ChunkedDivergence} apply unchanged. Shapes: logits (..., V), result (...).
 */
public final class Taid {

    /** Where the student and the teacher are interpolated. */
    public enum Interpolation {
        /** In logit space, then softmax: the paper's definition. */
        LOGITS,
        /** In probability space: a mixture of the two distributions. */
        PROBABILITIES
    }

    private Taid() {}

    /**
     * TAID's per-token loss at interpolation t, interpolating logits as the paper does.
     *
     * @param t the interpolation, in [0, 1]
     * @return the loss as a divergence
     */
    public static Divergence at(float t) {
        return at(t, Interpolation.LOGITS);
    }

    /**
     * TAID's per-token loss at interpolation t.
     *
     * @param t the interpolation, in [0, 1]: 0 targets the (detached) student, 1 the teacher
     * @param interpolation logits (the paper) or probabilities
     * @return the loss as a divergence
     */
    public static Divergence at(float t, Interpolation interpolation) {
        Ops.checkUnit("TAID t", t, "it comes from TaidSchedule, which starts at 0.4 and ends at 1");
        if (interpolation == null) {
            throw new IllegalArgumentException("interpolation is null; use Taid.Interpolation.LOGITS (the paper)");
        }
        return new Target(t, interpolation);
    }

    /**
     * TAID's intermediate target p_t itself, the distribution the student is trained towards at t.
     *
     * @param studentLogits the student's logits, (..., V); detached here
     * @param teacherLogits the teacher's logits, (..., V), same shape
     * @param t the interpolation, in [0, 1]: 0 gives the student's distribution, 1 the teacher's
     * @param interpolation logits (the paper) or probabilities
     * @return p_t, (..., V), float32, attached to the student logits' manager
     */
    public static NDArray target(NDArray studentLogits, NDArray teacherLogits, float t, Interpolation interpolation) {
        Ops.checkUnit("TAID t", t, "0 gives the student's distribution, 1 the teacher's");
        if (interpolation == null) {
            throw new IllegalArgumentException("interpolation is null; use Taid.Interpolation.LOGITS (the paper)");
        }
        Ops.checkPair(studentLogits, teacherLogits);
        try (NDManager scope = Ops.scope(studentLogits, teacherLogits)) {
            return scope.ret(targetOf(
                    Ops.scaled(studentLogits, 1f).stopGradient(),
                    Ops.scaled(teacherLogits.stopGradient(), 1f),
                    t,
                    interpolation)); // (..., V)
        }
    }

    /** p_t from the (scaled) logits zs, zt, each (..., V). */
    private static NDArray targetOf(NDArray zs, NDArray zt, float t, Interpolation interpolation) {
        return interpolation == Interpolation.LOGITS
                ? Scalars.mul(zs, 1f - t).add(Scalars.mul(zt, t)).softmax(-1)
                : Scalars.mul(zs.softmax(-1), 1f - t).add(Scalars.mul(zt.softmax(-1), t));
    }

    private record Target(float t, Interpolation interpolation) implements Divergence {
        @Override
        public NDArray perToken(NDArray student, NDArray teacher, float temperature) {
            Ops.checkPair(student, teacher);
            Ops.checkTemperature(temperature);
            try (NDManager scope = Ops.scope(student, teacher)) {
                NDArray zs = Ops.scaled(student, temperature); // (..., V)
                NDArray zt = Ops.scaled(teacher.stopGradient(), temperature); // (..., V)
                NDArray target = targetOf(zs.stopGradient(), zt, t, interpolation); // (..., V)
                NDArray logQ = zs.logSoftmax(-1); // (..., V)
                return scope.ret(target.mul(logQ).sum(new int[] {-1}).neg()); // (...)
            }
        }

        @Override
        public String name() {
            return "taid(t=" + t + (interpolation == Interpolation.LOGITS ? ")" : ", probabilities)");
        }
    }
}
