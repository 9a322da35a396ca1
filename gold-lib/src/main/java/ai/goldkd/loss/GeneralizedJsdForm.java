package ai.goldkd.loss;

/**
 * A divergence that is GKD's generalized JSD at some beta: forward KL(p || q) is beta 0, reverse
 * KL(q || p) is beta 1 ({@link Divergences#generalizedJsd}). The fused head's native kernel
 * ({@link FusedHeadKernel}) computes exactly these.
 */
interface GeneralizedJsdForm {

    /** The teacher's weight in the mixture, in [0, 1]. */
    float beta();
}
