package ai.goldkd.loss;

import ai.djl.ndarray.NDArray;

/**
 * A divergence between the teacher's and the student's next-token distributions, per position.
 *
 * <p>Notation (GKD.md): p = softmax(teacherLogits / T) is the teacher, q = softmax(studentLogits / T)
 * the student. Both logits have shape (..., V); the result has shape (...): the vocabulary axis is
 * reduced, nothing else. Gradients flow into the student's logits only: implementations detach the
 * teacher's. Temperature divides both logits; no T^2 factor is applied here (TRL's convention).
 * Reduce the result over positions with a {@link Reduction}. Make one with {@link Divergences}.
 */
public interface Divergence {

    /**
     * The divergence at every position.
     *
     * @param studentLogits the student's logits, (..., V); gradients flow into it
     * @param teacherLogits the teacher's logits, (..., V), same shape; treated as a constant
     * @param temperature divides both logits before the softmax; finite and > 0
     * @return the per-position values, (...), float32, attached to the student logits' manager
     */
    NDArray perToken(NDArray studentLogits, NDArray teacherLogits, float temperature);

    /** A short name with the parameters, for logs and metrics, e.g. {@code jsd(beta=0.5)}. */
    String name();
}
