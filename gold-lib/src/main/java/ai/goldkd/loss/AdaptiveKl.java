package ai.goldkd.loss;

import ai.djl.ndarray.NDArray;
import ai.goldkd.nd.Scalars;

/**
 * Adaptive KL (AKL, Wu et al. 2024, arXiv 2404.02657): forward and reverse KL weighted, per position,
 * by how far the student is from the teacher on the teacher's head and on its tail.
 *
 * <pre>
 *   sort the vocabulary by p descending (rank 0 = the teacher's top token); c_k = p_0 + ... + p_k
 *   tail = { k &gt; 0 : c_k &gt; mu }          head = the rest (rank 0 always, whatever its mass)
 *   g_head = sum_{k in head} |p_k - q_k|      g_tail = sum_{k in tail} |p_k - q_k|   (no gradient)
 *   AKL = g_head / (g_head + g_tail) * KL(p || q)  +  g_tail / (g_head + g_tail) * KL(q || p)
 * </pre>
 *
 * <p>This is the split of the authors' {@code get_ratio}: the token whose cumulative mass first
 * passes mu is already in the tail, so the head is the top tokens holding at most mu of the mass (and
 * the top-1 token alone when it holds more). Where p = q exactly both gaps are 0; the denominator is
 * clamped at 1e-12 so the result is 0 rather than the authors' NaN. The authors compute the split on
 * the raw logits; here it is computed at the divergence's temperature, like both KL terms. Shapes:
 * logits (..., V), result (...).
 */
final class AdaptiveKl implements Divergence {

    private final float mu;

    AdaptiveKl(float mu) {
        if (!(mu > 0f && mu < 1f)) {
            throw new IllegalArgumentException("AKL mu = " + mu + " must be in (0, 1); the paper uses 0.5");
        }
        this.mu = mu;
    }

    @Override
    public NDArray perToken(NDArray student, NDArray teacher, float temperature) {
        return Ops.onLogProbabilities(student, teacher, temperature, (logQ, logP) -> {
            NDArray p = logP.exp(); // (..., V)
            NDArray q = logQ.exp().stopGradient(); // (..., V), the weights carry no gradient
            NDArray order = p.argSort(-1, false); // (..., V) descending
            NDArray pSorted = p.gather(order, -1); // (..., V)
            NDArray qSorted = q.gather(order, -1); // (..., V)
            NDArray gap = pSorted.sub(qSorted).abs(); // (..., V)
            long vocabulary = p.getShape().getLastDimension();
            NDArray notTop = p.getManager().arange(0f, vocabulary, 1f).gt(0f); // (V,) rank 0 is never tail
            // a comparison carries no gradient, so the plain Number overload is safe here
            NDArray tail =
                    pSorted.cumSum(-1).gt(mu).logicalAnd(notTop).toType(gap.getDataType(), false); // (..., V) 0/1
            NDArray gTail = gap.mul(tail).sum(new int[] {-1}); // (...)
            NDArray gHead = gap.sum(new int[] {-1}).sub(gTail); // (...)
            NDArray total = Scalars.maximum(gHead.add(gTail), 1e-12f); // (...)
            NDArray forward = Ops.kl(logP, logQ); // (...)
            NDArray reverse = Ops.kl(logQ, logP); // (...)
            return gHead.div(total).mul(forward).add(gTail.div(total).mul(reverse));
        });
    }

    @Override
    public String name() {
        return "adaptive_kl(mu=" + mu + ")";
    }
}
