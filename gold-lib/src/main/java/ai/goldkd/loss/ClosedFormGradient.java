package ai.goldkd.loss;

import ai.djl.ndarray.NDArray;

/**
 * A {@link Divergence} whose gradient with respect to the student's logits has a closed form, so a
 * chunk of positions can be differentiated without building an autograd graph ({@link ChunkedDivergence}
 * uses it when the divergence offers it; every other divergence is differentiated by autograd).
 *
 * <p>With q = softmax(z / T) and a per-position value D(q), the chain rule through the softmax gives
 *
 * <pre>
 *   dD/dz_v = (1 / T) * q_v * (g_v - sum_u q_u g_u),      g_v = dD/dq_v
 * </pre>
 *
 * <p>and for the divergences here g has a short form (derived in {@link Divergences}): forward KL
 * g_v = -p_v / q_v, so dD/dz = (q - p) / T; reverse KL g_v = log q_v - log p_v + 1 (the constant
 * cancels); the generalized JSD g_v = (1 - beta) (log q_v - log m_v) with m = beta p + (1 - beta) q.
 * Computing these takes a handful of (positions, V) temporaries and no saved graph, where autograd
 * keeps about a dozen for its backward pass.
 */
public interface ClosedFormGradient {

    /**
     * Per-position values and their gradients.
     *
     * @param perToken the divergence at every position, (...)
     * @param gradient d perToken_i / d studentLogits_i at every position, (..., V), float32
     */
    record PerTokenGradient(NDArray perToken, NDArray gradient) {}

    /**
     * The divergence at every position and its gradient with respect to the student's logits, as
     * constants (no graph is built, whatever the gradient mode).
     *
     * @param studentLogits (..., V)
     * @param teacherLogits (..., V), same shape
     * @param temperature divides both logits; finite and > 0
     * @return values (...) and gradients (..., V), attached to the student logits' manager
     */
    PerTokenGradient perTokenWithGradient(NDArray studentLogits, NDArray teacherLogits, float temperature);
}
