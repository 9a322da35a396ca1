package ai.goldkd.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.goldkd.nd.Scalars;

import java.util.List;

/**
 * The divergences of GKD.md, as static factories. p is the teacher's distribution, q the student's,
 * both softmax(logits / T); every result is per position, shape (...) for logits (..., V).
 *
 * <ul>
 *   <li>{@link #forwardKl()}: KL(p || q), mode-covering (supervised KD)</li>
 *   <li>{@link #reverseKl()}: KL(q || p), mode-seeking</li>
 *   <li>{@link #generalizedJsd(float)}: GKD's JSD(beta), beta 0 = forward KL, beta 1 = reverse KL</li>
 *   <li>{@link #skewKl(float)}, {@link #skewReverseKl(float)}: DistiLLM's skew KLs</li>
 *   <li>{@link #totalVariation()}: 0.5 * sum |p - q|</li>
 *   <li>{@link #adaptiveKl(float)}: AKL, forward and reverse KL weighted by head and tail gaps</li>
 * </ul>
 */
public final class Divergences {

    private Divergences() {}

    /** Forward KL(p || q) = sum_v p_v (log p_v - log q_v): the student covers the teacher's modes. */
    public static Divergence forwardKl() {
        return new Kl(true);
    }

    /** Reverse KL(q || p) = sum_v q_v (log q_v - log p_v): the student seeks the teacher's modes. */
    public static Divergence reverseKl() {
        return new Kl(false);
    }

    /**
     * The generalized Jensen-Shannon divergence of GKD (Agarwal et al. 2024), in the convention of the
     * paper and TRL >= 0.16 (older TRL 0.12-0.15 put the weights on the wrong distributions; DistiLLM's
     * {@code js_distance(lam)} equals beta = 1 - lam):
     *
     * <pre>
     *   M        = beta * p + (1 - beta) * q           (computed in log space: logsumexp)
     *   JSD_beta = beta * KL(p || M) + (1 - beta) * KL(q || M)       for 0 &lt; beta &lt; 1
     *   JSD_0    = KL(p || q)   (forward)        JSD_1 = KL(q || p)   (reverse)
     * </pre>
     *
     * <p>The endpoints are special cases, as in TRL: the formula tends to 0 as beta tends to 0 or 1,
     * so the function jumps at both ends (JSD_beta / beta tends to forward KL, JSD_beta / (1 - beta) to
     * reverse KL). Symmetry: JSD_beta(p, q) = JSD_{1-beta}(q, p).
     *
     * @param beta the teacher's weight in the mixture, in [0, 1]
     * @return the divergence
     */
    public static Divergence generalizedJsd(float beta) {
        Ops.checkUnit(
                "beta",
                beta,
                "0 is forward KL(teacher||student), 1 is reverse KL(student||teacher)," + " 0.5 the symmetric JSD");
        return new Jsd(beta);
    }

    /**
     * Skew KL of DistiLLM (Ko et al. 2024): SKL_a = KL(p || a p + (1 - a) q). a = 0 is forward KL,
     * a = 1 is 0. The student's q inside the mixture carries gradient too, as in DistiLLM. This is
     * the KL form; DistiLLM's code returns the cross-entropy form, larger by the teacher's entropy.
     *
     * @param alpha the teacher's weight in the mixture, in [0, 1]; DistiLLM's default is 0.1
     * @return the divergence
     */
    public static Divergence skewKl(float alpha) {
        Ops.checkUnit("alpha", alpha, "DistiLLM's default is 0.1; 0 gives forward KL");
        return new Skew(alpha, true);
    }

    /**
     * Skew reverse KL of DistiLLM: SRKL_a = KL(q || (1 - a) p + a q). a = 0 is reverse KL, a = 1 is 0.
     *
     * @param alpha the student's weight in the mixture, in [0, 1]; DistiLLM's default is 0.1
     * @return the divergence
     */
    public static Divergence skewReverseKl(float alpha) {
        Ops.checkUnit("alpha", alpha, "DistiLLM's default is 0.1; 0 gives reverse KL");
        return new Skew(alpha, false);
    }

    /** Total variation distance 0.5 * sum_v |p_v - q_v|, in [0, 1]. */
    public static Divergence totalVariation() {
        return new TotalVariation();
    }

    /**
     * Adaptive KL (AKL, Wu et al. 2024, "Rethinking Kullback-Leibler Divergence in Knowledge
     * Distillation for Large Language Models"); the head/tail split is documented on {@code AdaptiveKl}.
     *
     * @param mu the tail's mass, in (0, 1); the paper's default is 0.5
     * @return the divergence
     */
    public static Divergence adaptiveKl(float mu) {
        return new AdaptiveKl(mu);
    }

    /**
     * The whole family at its usual parameters, in the order of GKD.md: forward KL, reverse KL, JSD at
     * beta 0.1, 0.5 and 0.9, skew KL and skew reverse KL at 0.1, total variation, AKL at mu 0.5.
     *
     * @return the divergences, each with its {@link Divergence#name()}
     */
    public static List<Divergence> family() {
        return List.of(
                forwardKl(),
                reverseKl(),
                generalizedJsd(0.1f),
                generalizedJsd(0.5f),
                generalizedJsd(0.9f),
                skewKl(0.1f),
                skewReverseKl(0.1f),
                totalVariation(),
                adaptiveKl(0.5f));
    }

    /** Forward or reverse KL. */
    private record Kl(boolean forward) implements Divergence, ClosedFormGradient, GeneralizedJsdForm {
        @Override
        public NDArray perToken(NDArray student, NDArray teacher, float temperature) {
            return Ops.onLogProbabilities(
                    student,
                    teacher,
                    temperature,
                    (logQ, logP) -> forward ? Ops.kl(logP, logQ) : Ops.kl(logQ, logP)); // (...)
        }

        @Override
        public PerTokenGradient perTokenWithGradient(NDArray student, NDArray teacher, float temperature) {
            return new Jsd(forward ? 0f : 1f).perTokenWithGradient(student, teacher, temperature);
        }

        @Override
        public float beta() {
            return forward ? 0f : 1f;
        }

        @Override
        public String name() {
            return forward ? "forward_kl" : "reverse_kl";
        }
    }

    /** Generalized JSD. */
    private record Jsd(float beta) implements Divergence, ClosedFormGradient, GeneralizedJsdForm {
        @Override
        public NDArray perToken(NDArray student, NDArray teacher, float temperature) {
            return Ops.onLogProbabilities(student, teacher, temperature, (logQ, logP) -> {
                if (beta == 0f) {
                    return Ops.kl(logP, logQ);
                }
                if (beta == 1f) {
                    return Ops.kl(logQ, logP);
                }
                NDArray logM = Ops.logMix(logP, logQ, beta); // log(beta p + (1 - beta) q)
                return Scalars.mul(Ops.kl(logP, logM), beta).add(Scalars.mul(Ops.kl(logQ, logM), 1f - beta));
            });
        }

        /**
         * The values as {@link #perToken}, and the gradients in closed form ({@link ClosedFormGradient}):
         *
         * <pre>
         *   beta = 0 (forward KL):  dD/dz = (q - p) / T
         *   beta = 1 (reverse KL):  dD/dz = (1 / T) q * (l - sum_u q_u l_u),  l = log q - log p
         *   0 &lt; beta &lt; 1:          dD/dz = ((1 - beta) / T) q * (l - sum_u q_u l_u),  l = log q - log m
         * </pre>
         *
         * <p>The JSD's: with m = beta p + (1 - beta) q and dm_v/dq_v = 1 - beta,
         * dJSD/dq_v = -beta (1 - beta) p_v / m_v + (1 - beta) (log q_v + 1 - log m_v - (1 - beta) q_v / m_v)
         * = (1 - beta) (log q_v - log m_v + 1 - m_v / m_v) = (1 - beta) log(q_v / m_v).
         */
        @Override
        public PerTokenGradient perTokenWithGradient(NDArray student, NDArray teacher, float temperature) {
            Ops.checkPair(student, teacher);
            Ops.checkTemperature(temperature);
            try (NDManager scope = Ops.scope(student, teacher)) {
                NDArray logQ = Ops.logSoftmax(student.stopGradient(), temperature); // (..., V)
                NDArray logP = Ops.logSoftmax(teacher.stopGradient(), temperature); // (..., V)
                NDArray value;
                NDArray gradient;
                if (beta == 0f) {
                    value = Ops.kl(logP, logQ);
                    gradient = Ops.probabilityGap(logQ, logP, 1f / temperature);
                } else if (beta == 1f) {
                    value = Ops.kl(logQ, logP);
                    gradient = Ops.softmaxPullback(logQ, logP, 1f / temperature);
                } else {
                    NDArray logM = Ops.logMix(logP, logQ, beta); // log(beta p + (1 - beta) q)
                    value = Scalars.mul(Ops.kl(logP, logM), beta).add(Scalars.mul(Ops.kl(logQ, logM), 1f - beta));
                    gradient = Ops.softmaxPullback(logQ, logM, (1f - beta) / temperature);
                }
                return new PerTokenGradient(scope.ret(value), scope.ret(gradient));
            }
        }

        @Override
        public String name() {
            return "jsd(beta=" + beta + ")";
        }
    }

    /** Skew KL (forward) or skew reverse KL. */
    private record Skew(float alpha, boolean forward) implements Divergence {
        @Override
        public NDArray perToken(NDArray student, NDArray teacher, float temperature) {
            return Ops.onLogProbabilities(
                    student,
                    teacher,
                    temperature,
                    (logQ, logP) -> forward
                            ? Ops.kl(logP, Ops.logMix(logP, logQ, alpha)) // KL(p || a p + (1-a) q)
                            : Ops.kl(logQ, Ops.logMix(logQ, logP, alpha))); // KL(q || a q + (1-a) p)
        }

        @Override
        public String name() {
            return (forward ? "skew_kl" : "skew_reverse_kl") + "(alpha=" + alpha + ")";
        }
    }

    /** Total variation. */
    private record TotalVariation() implements Divergence {
        @Override
        public NDArray perToken(NDArray student, NDArray teacher, float temperature) {
            Ops.checkPair(student, teacher);
            Ops.checkTemperature(temperature);
            try (NDManager scope = Ops.scope(student, teacher)) {
                NDArray q = Ops.scaled(student, temperature).softmax(-1); // (..., V)
                NDArray p = Ops.scaled(teacher.stopGradient(), temperature).softmax(-1); // (..., V)
                return scope.ret(Scalars.mul(p.sub(q).abs().sum(new int[] {-1}), 0.5f)); // (...)
            }
        }

        @Override
        public String name() {
            return "total_variation";
        }
    }
}
