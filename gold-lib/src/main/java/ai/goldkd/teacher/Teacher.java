package ai.goldkd.teacher;

import ai.djl.ndarray.NDArray;
import ai.goldkd.tokenizer.Tokenizer;

/**
 * A white-box generator: besides sampling text it gives its token logits under teacher forcing, which
 * token-level distillation (GKD, Hinton KD) needs. Student and teacher must share {@link #tokenizer()}'s
 * vocabulary; where they do not, distil at the sequence level through {@link Generator} instead.
 */
public interface Teacher extends Generator {

    /**
     * The teacher's logits at every position of given token sequences (teacher forcing).
     *
     * @param ids (B, T) token ids (int64), on the teacher's device; the caller adds BOS where needed
     * @param mask (B, T) 1 for real tokens and 0 for padding, or null when nothing is padded
     * @return (B, T, V) logits, attached to {@code ids}' manager
     */
    NDArray logits(NDArray ids, NDArray mask);

    /** The tokenizer whose ids {@link #logits} reads; its vocabulary is the logits' last axis. */
    Tokenizer tokenizer();

    /** The longest sequence, prompt plus continuation, that the teacher reads. */
    int context();
}
