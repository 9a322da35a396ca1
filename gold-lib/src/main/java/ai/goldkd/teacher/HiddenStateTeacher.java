package ai.goldkd.teacher;

import ai.djl.ndarray.NDArray;

/**
 * A teacher that can give its last hidden states and its output head instead of its logits, so that a
 * fused head and divergence ({@link ai.goldkd.loss.FusedHeadDivergence}) makes the teacher's logits a chunk
 * of positions at a time and never all of them: {@code logits = hidden.matMul(head.transpose())}. A local
 * model is one ({@link LocalTeacher}); an endpoint is not.
 */
public interface HiddenStateTeacher extends Teacher {

    /**
     * The final, normalised hidden states at every position (teacher forcing), constants.
     *
     * @param ids (B, T) token ids (int64), on the teacher's device
     * @param mask (B, T) 1 for real tokens and 0 for padding, or null
     * @return (B, T, D_t), attached to {@code ids}' manager
     */
    NDArray hidden(NDArray ids, NDArray mask);

    /**
     * The output head, a constant.
     *
     * @return (V, D_t)
     */
    NDArray head();
}
