package ai.goldkd.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Distillation between vocabularies that overlap, as TRL's GOLD trainer combines its two parts: the
 * two tokenizations of one text are aligned and each group's distributions merged by the chain rule
 * ({@link TokenAlignment}, as in {@link CrossTokenizerLoss}); then the tokens both vocabularies share
 * ({@link VocabularyMatch}: M, K pairs) are compared by a token-level divergence, and the rest by ULD's
 * sorted-probability distance ({@link SortedProbabilityDistance}):
 *
 * <pre>
 *   P_g, Q_g        the teacher's and the student's merged distributions of group g (softmax at T_t, T_s)
 *   P^M_g(j) = P_g(t_j) / sum_k P_g(t_k),  Q^M_g(j) = Q_g(s_j) / sum_k Q_g(s_k)      j = 1..K over M
 *   matched_g   = Div(P^M_g || Q^M_g)                                                (e.g. the JSD at beta)
 *   unmatched_g = sum_i | sort(Q_g restricted to ids outside M)_i - sort(P_g outside M)_i |   (zero-padded)
 *   loss = w (1/G) sum_g matched_g + (1 - w) (1/G) sum_g unmatched_g,   w = K / V_t unless given
 * </pre>
 *
 * The default weight is TRL's (the share of the teacher's vocabulary that is shared). Unlike TRL,
 * which passes the shared probabilities to its JSD as if they were logits, the shared parts are
 * renormalised here, so Div compares two distributions. The loss is 0 when teacher and student are the
 * same model behind two tokenizers of the same text: the shared tokens then carry equal probabilities
 * and the others the same multiset of them.
 *
 * @param divergence Div, on the shared tokens (its temperature is 1: the temperatures act before the merge)
 * @param studentTemperature T_s
 * @param teacherTemperature T_t
 * @param matchedWeight w in [0, 1], or NaN for K / V_t
 */
public record HybridCrossTokenizerLoss(
        Divergence divergence, float studentTemperature, float teacherTemperature, float matchedWeight) {

    /** Probabilities below this are read as this inside the logarithm of the shared part. */
    static final float FLOOR = 1e-30f;

    /** Checks the settings. */
    public HybridCrossTokenizerLoss {
        if (divergence == null) {
            throw new IllegalArgumentException("the hybrid loss needs a divergence for the shared tokens, e.g."
                    + " DivergenceSpec.jsd(0.5f).create()");
        }
        Ops.checkTemperature(studentTemperature);
        Ops.checkTemperature(teacherTemperature);
        if (!Float.isNaN(matchedWeight) && !(matchedWeight >= 0 && matchedWeight <= 1)) {
            throw new IllegalArgumentException("matchedWeight must be in [0, 1] or NaN (the shared share of the"
                    + " teacher's vocabulary), got " + matchedWeight);
        }
    }

    /** The weight w for a match: {@link #matchedWeight()} or K / V_t. */
    public float weight(VocabularyMatch match) {
        return Float.isNaN(matchedWeight) ? match.size() / (float) match.teacherVocab() : matchedWeight;
    }

    /**
     * The loss of one sequence.
     *
     * @param studentLogits (T_s, V_s), row m predicting the student's token m
     * @param studentTokens the student's tokens
     * @param studentEnds where each student token ends in the text ({@link TokenAlignment#endOffsets})
     * @param teacherLogits (T_t, V_t), row m predicting the teacher's token m; a constant
     * @param teacherTokens the teacher's tokens
     * @param teacherEnds where each teacher token ends in the same text
     * @param match the shared tokens of the two vocabularies
     * @return a scalar, attached to the student logits' manager
     */
    public NDArray sequence(
            NDArray studentLogits,
            int[] studentTokens,
            int[] studentEnds,
            NDArray teacherLogits,
            int[] teacherTokens,
            int[] teacherEnds,
            VocabularyMatch match) {
        if (studentLogits.getShape().tail() != match.studentVocab()
                || teacherLogits.getShape().tail() != match.teacherVocab()) {
            throw new IllegalArgumentException("logits " + studentLogits.getShape() + " / " + teacherLogits.getShape()
                    + " do not match the vocabularies " + match.studentVocab() + " / " + match.teacherVocab()
                    + " of the token match; build it from these two tokenizers");
        }
        TokenAlignment.Groups groups = TokenAlignment.byEndOffsets(studentEnds, teacherEnds);
        if (groups.size() == 0) {
            throw new IllegalArgumentException("the two tokenizations share no span: they are not of the same text");
        }
        float w = weight(match);
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
            NDArray total = scope.zeros(new Shape());
            if (match.size() > 0 && w > 0) {
                total = total.add(matchedPart(q, p, match, scope).mul(w));
            }
            if (w < 1) {
                NDArray qu = pick(q, match.studentUnmatched(), scope);
                NDArray pu = pick(p, match.teacherUnmatched(), scope);
                NDArray unmatched = qu == null || pu == null
                        ? null
                        : SortedProbabilityDistance.distance(
                                SortedProbabilityDistance.sortedDescending(qu),
                                SortedProbabilityDistance.sortedDescending(pu));
                if (qu != null && pu == null) {
                    unmatched = qu.sum(new int[] {-1});
                } else if (qu == null && pu != null) {
                    unmatched = pu.sum(new int[] {-1});
                }
                if (unmatched != null) {
                    total = total.add(unmatched.mean().mul(1 - w));
                }
            }
            return scope.ret(total);
        }
    }

    /** (1/G) sum_g Div(P^M_g || Q^M_g): the shared columns' logarithms as logits renormalise them. */
    private NDArray matchedPart(NDArray q, NDArray p, VocabularyMatch match, NDManager scope) {
        NDArray qm = pick(q, match.student(), scope).maximum(FLOOR).log(); // (G, K)
        NDArray pm = pick(p, match.teacher(), scope).maximum(FLOOR).log(); // (G, K)
        return divergence.perToken(qm, pm, 1f).mean();
    }

    /** The columns {@code ids} of x (G, V), or null when there are none. */
    private static NDArray pick(NDArray x, int[] ids, NDManager scope) {
        if (ids.length == 0) {
            return null;
        }
        NDArray index = scope.create(ids).toType(DataType.INT64, false);
        return x.get(new NDIndex(":, {}", index));
    }
}
