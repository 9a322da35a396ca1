package ai.goldkd.tokenizer;

import java.nio.file.Path;

/**
 * Turns text into token ids and back. Implementations: a byte-level tokenizer, a word-level
 * vocabulary built from a corpus, GPT-2 BPE, and any Hugging Face {@code tokenizer.json}.
 *
 * <p>{@link #encode} adds no special tokens; callers add {@link SpecialTokens#bos()} and
 * {@link SpecialTokens#eos()} where a sequence needs them. {@link #decode} drops special tokens.
 */
public interface Tokenizer {

    /**
     * Encodes text, without special tokens.
     *
     * @param text the text
     * @return the token ids
     */
    int[] encode(String text);

    /**
     * Decodes ids to text, skipping special tokens.
     *
     * @param ids the token ids
     * @return the text
     */
    String decode(int[] ids);

    /**
     * Encodes a prompt the way the model expects it to start. By default the BOS token and then
     * {@link #encode}; a Hugging Face checkpoint's tokenizer lets its own post-processor decide.
     *
     * @param text the prompt
     * @return the token ids
     */
    default int[] encodePrompt(String text) {
        int[] encoded = encode(text);
        int[] out = new int[encoded.length + 1];
        out[0] = specials().bos();
        System.arraycopy(encoded, 0, out, 1, encoded.length);
        return out;
    }

    /**
     * The ids that end a generation: by default the EOS token; a Hugging Face checkpoint may list
     * several, or none (then generation runs to the length asked).
     *
     * @return the stop ids
     */
    default int[] stopIds() {
        return new int[] {specials().eos()};
    }

    /** The number of ids, special tokens included: every id is in {@code [0, vocabSize())}. */
    int vocabSize();

    /** The special tokens' ids. */
    SpecialTokens specials();

    /**
     * Writes the tokenizer into a directory (a checkpoint's), so that {@link Tokenizers#load(Path)}
     * restores it exactly.
     *
     * @param dir the directory, which exists
     */
    void save(Path dir);

    /**
     * Checks that this tokenizer and a model agree on the vocabulary size, so that every id the
     * tokenizer makes is a row of the model's embedding and every id the model predicts decodes.
     *
     * @param modelVocab the model's vocabulary size (its embedding rows and output logits)
     * @throws IllegalArgumentException when the sizes differ, naming both and the fix
     */
    default void checkVocab(int modelVocab) {
        if (modelVocab != vocabSize()) {
            throw new IllegalArgumentException("tokenizer vocab " + vocabSize() + " != model vocab "
                    + modelVocab + "; build the model with vocab " + vocabSize()
                    + " (the tokenizer's vocabSize()), or load the tokenizer the model was trained with"
                    + " (Tokenizers.load(checkpointDir))");
        }
    }
}
