package ai.goldkd.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Distillation between a teacher and a student whose vocabularies differ: the two tokenizations of the
 * same text are aligned where their spans agree ({@link TokenAlignment}), each group's distributions
 * are merged by the chain rule, and the groups are compared with the sorted-probability distance
 * ({@link SortedProbabilityDistance}), averaged over groups:
 *
 * <pre>
 *   loss = (1 / G) sum_g sum_i | sort(Q_g)_i - sort(P_g)_i |
 * </pre>
 *
 * <p>It is 0 when teacher and student are the same model behind two tokenizers of the same text.
 *
 * @param studentTemperature T_s
 * @param teacherTemperature T_t
 */
public record CrossTokenizerLoss(float studentTemperature, float teacherTemperature) {

    /** Checks the temperatures. */
    public CrossTokenizerLoss {
        Ops.checkTemperature(studentTemperature);
        Ops.checkTemperature(teacherTemperature);
    }

    /** Both temperatures 1. */
    public static CrossTokenizerLoss defaults() {
        return new CrossTokenizerLoss(1f, 1f);
    }

    /**
     * The loss of one sequence.
     *
     * @param studentLogits (T_s, V_s) the student's logits, row m predicting its token m
     * @param studentTokens the student's T_s tokens
     * @param studentEnds where each student token ends in the text ({@link TokenAlignment#endOffsets})
     * @param teacherLogits (T_t, V_t) the teacher's logits, row m predicting its token m; a constant
     * @param teacherTokens the teacher's T_t tokens
     * @param teacherEnds where each teacher token ends in the same text
     * @return a scalar, attached to the student logits' manager
     */
    public NDArray sequence(
            NDArray studentLogits,
            int[] studentTokens,
            int[] studentEnds,
            NDArray teacherLogits,
            int[] teacherTokens,
            int[] teacherEnds) {
        if (studentLogits.getShape().get(0) != studentTokens.length
                || teacherLogits.getShape().get(0) != teacherTokens.length) {
            throw new IllegalArgumentException("logits " + studentLogits.getShape() + " / " + teacherLogits.getShape()
                    + " do not match " + studentTokens.length + " / " + teacherTokens.length + " tokens; give one row"
                    + " of logits per token on each side");
        }
        TokenAlignment.Groups groups = TokenAlignment.byEndOffsets(studentEnds, teacherEnds);
        if (groups.size() == 0) {
            throw new IllegalArgumentException("the two tokenizations share no span: they are not of the same text");
        }
        try (NDManager scope = Ops.scope(studentLogits, teacherLogits)) {
            NDArray q = TokenAlignment.merge(
                    Ops.logSoftmax(studentLogits, studentTemperature).exp(),
                    groups.student(),
                    studentTokens); // (G, V_s)
            NDArray p = TokenAlignment.merge(
                    Ops.logSoftmax(teacherLogits.stopGradient(), teacherTemperature)
                            .exp(),
                    groups.teacher(),
                    teacherTokens); // (G, V_t)
            NDArray perGroup = SortedProbabilityDistance.distance(
                    SortedProbabilityDistance.sortedDescending(q),
                    SortedProbabilityDistance.sortedDescending(p)); // (G)
            return scope.ret(perGroup.mean());
        }
    }
}
