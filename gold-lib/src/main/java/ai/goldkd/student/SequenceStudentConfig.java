package ai.goldkd.student;

/**
 * The shape and training settings of a {@link SequenceStudent}.
 *
 * @param init a checkpoint directory to start from (a pretrained student, as GOLD starts from a
 *     pretrained T5), or null for fresh weights of the shape below (byte tokenizer)
 * @param layers decoder layers of a fresh student
 * @param dim width of a fresh student
 * @param heads attention heads of a fresh student
 * @param context the longest prompt + answer, in tokens, of a fresh student
 * @param batchSize sequences per step
 * @param learningRate peak AdamW step size of every update (cosine to a tenth)
 * @param maxNewTokens the longest answer decoded when scoring
 */
public record SequenceStudentConfig(
        String init, int layers, int dim, int heads, int context, int batchSize, float learningRate, int maxNewTokens) {

    /** Checks every field and names the bad value. */
    public SequenceStudentConfig {
        if (layers < 1 || dim < 1 || heads < 1 || dim % heads != 0 || context < 8) {
            throw new IllegalArgumentException(
                    "layers, dim, heads >= 1 with dim divisible by heads, context >= 8;" + " got " + layers + ", " + dim
                            + ", " + heads + ", " + context + " (the default is 2, 96, 4, 192)");
        }
        if (batchSize < 1 || maxNewTokens < 1 || !(learningRate > 0f)) {
            throw new IllegalArgumentException("batchSize and maxNewTokens must be >= 1 and learningRate > 0, got "
                    + batchSize + ", " + maxNewTokens + ", " + learningRate);
        }
    }

    /** A fresh 2-layer, width-96 byte-level student; batch 32, AdamW at 1e-3, answers up to 48 tokens. */
    public static SequenceStudentConfig defaults() {
        return new SequenceStudentConfig(null, 2, 96, 4, 192, 32, 1e-3f, 48);
    }

    /** @return a copy that starts from the checkpoint in {@code dir} (null: fresh weights) */
    public SequenceStudentConfig withInit(String dir) {
        return new SequenceStudentConfig(dir, layers, dim, heads, context, batchSize, learningRate, maxNewTokens);
    }
}
