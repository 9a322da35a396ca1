package ai.goldkd.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The Universal Logit Distillation distance (Boizard et al. 2024), which needs no shared vocabulary:
 * both distributions are sorted in decreasing order, the shorter is padded with zeros, and the L1
 * distance of the sorted vectors is taken.
 *
 * <pre>
 *   p = softmax(teacherLogits / T_t)  (..., V_t)        q = softmax(studentLogits / T_s)  (..., V_s)
 *   ULD = sum_i | sort(q)_i - sort(p)_i |,   i over max(V_s, V_t), padded with zeros       (...)
 * </pre>
 *
 * <p>It is 0 when the two distributions are the same up to a renaming of tokens, which is what two
 * tokenizers of the same text give a model. It ignores which token is which, so it is usually
 * combined with a divergence on the tokens both vocabularies share ({@link CrossTokenizerLoss}).
 * Gradients flow into the student's logits through the sort's permutation.
 */
public final class SortedProbabilityDistance {

    private SortedProbabilityDistance() {}

    /**
     * The distance at every position.
     *
     * @param studentLogits (..., V_s) the student's logits
     * @param teacherLogits (..., V_t) the teacher's logits, the same leading shape; treated as a constant
     * @param studentTemperature T_s
     * @param teacherTemperature T_t
     * @return (...) float32, attached to the student logits' manager
     */
    public static NDArray perToken(
            NDArray studentLogits, NDArray teacherLogits, float studentTemperature, float teacherTemperature) {
        Ops.checkTemperature(studentTemperature);
        Ops.checkTemperature(teacherTemperature);
        Shape s = studentLogits.getShape();
        Shape t = teacherLogits.getShape();
        if (!s.slice(0, s.dimension() - 1).equals(t.slice(0, t.dimension() - 1))) {
            throw new IllegalArgumentException("student logits " + s + " and teacher logits " + t + " are not for the"
                    + " same positions; align the two tokenizations first (CrossTokenizerLoss)");
        }
        try (NDManager scope = Ops.scope(studentLogits, teacherLogits)) {
            NDArray q = sortedDescending(
                    Ops.logSoftmax(studentLogits, studentTemperature).exp()); // (..., V_s)
            NDArray p = sortedDescending(Ops.logSoftmax(teacherLogits.stopGradient(), teacherTemperature)
                    .exp());
            return scope.ret(distance(q, p));
        }
    }

    /**
     * The distance between two (possibly unnormalised) probability vectors of any lengths.
     *
     * @param q (..., V_s) the student's probabilities, sorted in decreasing order
     * @param p (..., V_t) the teacher's probabilities, sorted in decreasing order
     * @return (...) sum of |q_i - p_i| over the longer length, zero-padded
     */
    static NDArray distance(NDArray q, NDArray p) {
        long vs = q.getShape().tail();
        long vt = p.getShape().tail();
        long common = Math.min(vs, vt);
        NDArray head =
                q.get("..., :" + common).sub(p.get("..., :" + common)).abs().sum(new int[] {-1});
        if (vs > common) {
            head = head.add(q.get("..., " + common + ":").abs().sum(new int[] {-1}));
        } else if (vt > common) {
            head = head.add(p.get("..., " + common + ":").abs().sum(new int[] {-1}));
        }
        return head;
    }

    /** Sorted in decreasing order along the last axis. */
    static NDArray sortedDescending(NDArray x) {
        return x.neg().sort(-1).neg();
    }
}
