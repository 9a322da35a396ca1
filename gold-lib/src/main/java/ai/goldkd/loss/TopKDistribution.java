package ai.goldkd.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.goldkd.nd.Scalars;

/**
 * A teacher's next-token distribution known on K tokens per position plus one tail bucket that holds
 * the remaining mass: what an endpoint's top-k logprobs or a teacher-logits cache give.
 *
 * <pre>
 *   S      = the K token ids at a position          p_v = exp(logProbs_v), v in S
 *   p_tail = 1 - sum_{v in S} p_v                   (clamped to [0, 1])
 * </pre>
 *
 * @param ids (..., K) token ids (int64), distinct within a position
 * @param logProbs (..., K) the teacher's log-probabilities of those tokens (float32), at the temperature
 *     the distillation uses
 */
public record TopKDistribution(NDArray ids, NDArray logProbs) {

    /** Checks that ids and log-probabilities have the same shape. */
    public TopKDistribution {
        if (!ids.getShape().equals(logProbs.getShape())) {
            throw new IllegalArgumentException("top-k ids " + ids.getShape() + " and log-probabilities "
                    + logProbs.getShape() + " differ in shape; give K of each per position");
        }
    }

    /**
     * The top-k restriction of a dense teacher: the K most likely tokens of softmax(logits / T).
     *
     * @param teacherLogits (..., V) the teacher's logits
     * @param k how many tokens to keep, in [1, V]
     * @param temperature divides the logits before the softmax
     * @return the distribution, attached to the logits' manager
     */
    public static TopKDistribution ofLogits(NDArray teacherLogits, int k, float temperature) {
        long vocab = teacherLogits.getShape().tail();
        if (k < 1 || k > vocab) {
            throw new IllegalArgumentException("top-k " + k + " must be in [1, " + vocab + "] (the vocabulary)");
        }
        try (NDManager scope = Ops.scope(teacherLogits)) {
            NDArray logP = Ops.logSoftmax(teacherLogits.stopGradient(), temperature); // (..., V)
            NDList top = logP.topK(k, -1, true, true); // values, indices
            return new TopKDistribution(scope.ret(top.get(1).toType(DataType.INT64, false)), scope.ret(top.get(0)));
        }
    }

    /** K, the tokens known per position. */
    public long k() {
        return ids.getShape().tail();
    }

    /** (...) the tail's mass, 1 - sum of the known probabilities, clamped to [0, 1]. */
    public NDArray tailMass() {
        try (NDManager scope = Ops.scope(logProbs)) {
            return scope.ret(massOutside(logProbs.exp()));
        }
    }

    /** 1 - sum over the last axis, clamped to [0, 1]: (..., K) -> (...). */
    static NDArray massOutside(NDArray probabilities) {
        NDArray outside = Scalars.of(probabilities, 1).sub(probabilities.sum(new int[] {-1}));
        return Scalars.minimum(Scalars.maximum(outside, 0), 1);
    }
}
