package ai.goldkd.tokenizer;

/**
 * The ids of the special tokens a tokenizer reserves. Models and trainers read them from here and
 * nowhere else.
 *
 * @param pad the padding id (never predicted; masked out of losses)
 * @param bos the beginning-of-sequence id
 * @param eos the end-of-sequence id, which stops generation
 */
public record SpecialTokens(int pad, int bos, int eos) {

    /** Checks that the ids are non-negative. */
    public SpecialTokens {
        if (pad < 0 || bos < 0 || eos < 0) {
            throw new IllegalArgumentException(
                    "special token ids must be >= 0, got pad=" + pad + " bos=" + bos + " eos=" + eos);
        }
    }
}
