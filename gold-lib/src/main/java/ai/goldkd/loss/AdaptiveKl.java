package ai.goldkd.loss;

import ai.djl.ndarray.NDArray;
import ai.goldkd.nd.Scalars;

/**
 * Adaptive KL (AKL, Wu et al. 2024, arXiv 2404.02657): forward and reverse KL weighted, per position,
 * by how far the student is from the teacher on the teacher's head and on its tail.
 *
 * <pre>
 *   sort the vocabulary by p ascending; c_v = cumulative sum of p up to and including v
 *   tail = { v : c_v &lt;= mu }          head = the rest (the top-1 token is always in the head)
 *   g_head = sum_{v in head} |p_v - q_v|      g_tail = sum_{v in tail} |p_v - q_v|   (no gradient)
 *   AKL = g_head / (g_head + g_tail) * KL(p || q)  +  g_tail / (g_head + g_tail) * KL(q || p)
 * </pre>
 *
 * <p>This is the split of the authors' code: the tail is the least likely tokens holding at most mu of
 * the teacher's mass, so the head holds at least 1 - mu (with mu = 0.5, the teacher's top tokens up to
 * half the mass, as GKD.md states it). Where p = q exactly both gaps are 0; the denominator is clamped
 * at 1e-12 so the result is 0 rather than NaN. Shapes: logits (..., V), result (...).
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
            NDArray order = p.argSort(-1, true); // (..., V) ascending
            NDArray pSorted = p.gather(order, -1); // (..., V)
            NDArray qSorted = q.gather(order, -1); // (..., V)
            NDArray gap = pSorted.sub(qSorted).abs(); // (..., V)
            NDArray tail = pSorted.cumSum(-1).lte(mu).toType(gap.getDataType(), false); // (..., V) 0/1
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
