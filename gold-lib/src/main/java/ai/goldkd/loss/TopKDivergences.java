package ai.goldkd.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.goldkd.nd.Scalars;

/**
 * Divergences between a student's full next-token distribution and a teacher known only on its top-k
 * tokens plus a tail bucket ({@link TopKDistribution}): the support is S plus one "tail" outcome, and
 * the student is restricted the same way (TRL's server-based distillation does likewise).
 *
 * <pre>
 *   q    = softmax(studentLogits / T)               q_S = q at the teacher's ids, q_tail = 1 - sum q_S
 *   p_S  = exp(teacher logProbs)                    p_tail = 1 - sum p_S
 *   KL(a || b) = sum_{v in S} a_v log(a_v / b_v) + a_tail log(a_tail / b_tail)      (0 log 0 = 0)
 *   forward   = KL(p || q)          reverse = KL(q || p)
 *   JSD_beta  = beta KL(p || m) + (1 - beta) KL(q || m),  m = beta p + (1 - beta) q on the same support;
 *               beta 0 is forward, beta 1 is reverse (the convention of {@link Divergences#generalizedJsd}).
 * </pre>
 *
 * <p>With K equal to the vocabulary the tail is empty and each equals its dense counterpart. A zero
 * mass on the other side of a log is floored at {@value #FLOOR}, so a teacher that puts no mass on the
 * tail gives a finite reverse KL. Gradients flow into the student's logits only.
 */
public final class TopKDivergences {

    /** The smallest mass inside a logarithm. */
    static final double FLOOR = 1e-12;

    /** A divergence against a top-k teacher, per position. */
    public interface TopKDivergence {

        /**
         * The divergence at every position.
         *
         * @param studentLogits (..., V) the student's logits; gradients flow into it
         * @param teacher the teacher's top-k distribution, (..., K)
         * @param temperature divides the student's logits (the teacher's log-probabilities are used as given)
         * @return (...) float32, attached to the student logits' manager
         */
        NDArray perToken(NDArray studentLogits, TopKDistribution teacher, float temperature);

        /** A short name with the parameters, e.g. {@code topk-jsd(beta=0.5)}. */
        String name();
    }

    private TopKDivergences() {}

    /** Forward KL(p || q) on the top-k support plus the tail. */
    public static TopKDivergence forwardKl() {
        return new Jsd(0f);
    }

    /** Reverse KL(q || p) on the top-k support plus the tail. */
    public static TopKDivergence reverseKl() {
        return new Jsd(1f);
    }

    /**
     * The generalized JSD on the top-k support plus the tail.
     *
     * @param beta the teacher's weight in the mixture, in [0, 1]
     * @return the divergence
     */
    public static TopKDivergence generalizedJsd(float beta) {
        Ops.checkUnit("beta", beta, "0 is forward KL(teacher||student), 1 is reverse KL(student||teacher)");
        return new Jsd(beta);
    }

    /**
     * The top-k form of a divergence chosen by config: forward KL, reverse KL and the generalized JSD
     * have one (on the top-k support plus the tail); the other kinds do not.
     *
     * @param spec the divergence of the config
     * @return its top-k form
     * @throws IllegalArgumentException naming the kind and the kinds that have a top-k form
     */
    public static TopKDivergence of(DivergenceSpec spec) {
        return switch (spec.kind()) {
            case FORWARD_KL -> forwardKl();
            case REVERSE_KL -> reverseKl();
            case JSD -> generalizedJsd(spec.beta());
            default ->
                throw new IllegalArgumentException(
                        "divergence " + spec.kind().key() + " has no top-k form;"
                                + " a top-k teacher (an endpoint's logprobs or a teacher cache) takes forward_kl, reverse_kl or jsd");
        };
    }

    private record Jsd(float beta) implements TopKDivergence {

        @Override
        public NDArray perToken(NDArray studentLogits, TopKDistribution teacher, float temperature) {
            Ops.checkTemperature(temperature);
            if (!studentLogits
                    .getShape()
                    .slice(0, studentLogits.getShape().dimension() - 1)
                    .equals(teacher.ids()
                            .getShape()
                            .slice(0, teacher.ids().getShape().dimension() - 1))) {
                throw new IllegalArgumentException("student logits " + studentLogits.getShape() + " and top-k teacher "
                        + teacher.ids().getShape() + " are not for the same positions; give both for the same tokens");
            }
            try (NDManager scope = Ops.scope(studentLogits, teacher.ids(), teacher.logProbs())) {
                NDArray logQ = Ops.logSoftmax(studentLogits, temperature); // (..., V)
                NDArray qS = logQ.gather(teacher.ids(), -1).exp(); // (..., K)
                NDArray pS = teacher.logProbs().stopGradient().exp(); // (..., K)
                NDArray qTail = TopKDistribution.massOutside(qS); // (...)
                NDArray pTail = TopKDistribution.massOutside(pS); // (...)
                NDArray result;
                if (beta == 0f) {
                    result = kl(pS, pTail, qS, qTail);
                } else if (beta == 1f) {
                    result = kl(qS, qTail, pS, pTail);
                } else {
                    NDArray mS = Scalars.mul(pS, beta).add(Scalars.mul(qS, 1 - beta)); // (..., K)
                    NDArray mTail = Scalars.mul(pTail, beta).add(Scalars.mul(qTail, 1 - beta));
                    result = Scalars.mul(kl(pS, pTail, mS, mTail), beta)
                            .add(Scalars.mul(kl(qS, qTail, mS, mTail), 1 - beta));
                }
                return scope.ret(result);
            }
        }

        /** KL(a || b) on S plus the tail: (..., K) and (...) masses to (...). */
        private static NDArray kl(NDArray aS, NDArray aTail, NDArray bS, NDArray bTail) {
            NDArray inside = term(aS, bS).sum(new int[] {-1});
            return inside.add(term(aTail, bTail));
        }

        /** a log(a / b) elementwise, 0 where a is 0, both floored inside the logarithm. */
        private static NDArray term(NDArray a, NDArray b) {
            return a.mul(Scalars.maximum(a, FLOOR)
                    .log()
                    .sub(Scalars.maximum(b, FLOOR).log()));
        }

        @Override
        public String name() {
            return beta == 0f ? "topk-forward-kl" : beta == 1f ? "topk-reverse-kl" : "topk-jsd(beta=" + beta + ")";
        }
    }
}
