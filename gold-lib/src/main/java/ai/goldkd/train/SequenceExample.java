package ai.goldkd.train;

/**
 * One training sequence for a causal LM: token ids (BOS ... EOS) and where the target begins.
 * The model learns to predict tokens at positions {@code >= targetStart}; earlier ones (a prompt)
 * are context only. A plain LM example has {@code targetStart = 1} (everything after BOS).
 *
 * @param ids the token ids
 * @param targetStart the index of the first token that counts towards the loss, in [1, ids.length)
 */
public record SequenceExample(int[] ids, int targetStart) {

    /** Checks the bounds and names the bad value. */
    public SequenceExample {
        if (ids.length < 2) {
            throw new IllegalArgumentException("a training sequence needs at least 2 tokens, got " + ids.length);
        }
        if (targetStart < 1 || targetStart >= ids.length) {
            throw new IllegalArgumentException("targetStart must be in [1, " + ids.length + "), got " + targetStart);
        }
    }

    /**
     * A prompt -> answer example: the loss covers the answer only.
     *
     * @param prompt the prompt's ids (starting with BOS)
     * @param answer the answer's ids (ending with EOS)
     * @return the example
     */
    public static SequenceExample promptAnswer(int[] prompt, int[] answer) {
        int[] ids = new int[prompt.length + answer.length];
        System.arraycopy(prompt, 0, ids, 0, prompt.length);
        System.arraycopy(answer, 0, ids, prompt.length, answer.length);
        return new SequenceExample(ids, prompt.length);
    }
}
