package ai.goldkd.tokenizer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A word-level vocabulary built from a corpus: ids 0..3 are {@value #PAD}, {@value #BOS},
 * {@value #EOS} and {@value #UNK}, then the corpus's words by count (descending), ties in
 * lexicographic order, so the same corpus and options always give the same ids.
 *
 * <p>A word is a run of letters, marks, digits and underscores; every other visible grapheme (a
 * punctuation mark, an emoji, a flag) is a token of its own; whitespace separates and is dropped.
 * Decoding joins tokens with single spaces, with none before closing punctuation ({@code . , ! ? ) ...}),
 * none after opening brackets and none around an apostrophe between two words ({@code don't}).
 * A word not in the vocabulary encodes to {@value #UNK} and decodes to the text {@code <unk>}.
 * Immutable; build it with {@link Tokenizers#words(Iterable, Options)}.
 */
public final class WordTokenizer implements Tokenizer {

    /** The padding token, id 0. */
    public static final String PAD = "<pad>";
    /** The beginning-of-sequence token, id 1. */
    public static final String BOS = "<bos>";
    /** The end-of-sequence token, id 2. */
    public static final String EOS = "<eos>";
    /** The unknown-word token, id 3. */
    public static final String UNK = "<unk>";
    /** The id of {@link #UNK}. */
    public static final int UNK_ID = 3;

    static final String VOCAB_FILE = "tokenizer-vocab.json";
    private static final List<String> SPECIAL_NAMES = List.of(PAD, BOS, EOS, UNK);
    private static final SpecialTokens SPECIALS = new SpecialTokens(0, 1, 2);
    // Words, or one grapheme cluster that is neither a word character nor whitespace. The special
    // names can never come out of it ("<pad>" splits into "<", "pad", ">"), so they cannot collide.
    private static final Pattern TOKEN =
            Pattern.compile("[\\p{L}\\p{M}\\p{N}_]+|(?=\\S)\\X", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{M}\\p{N}_]+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Set<String> NO_SPACE_BEFORE = Set.of(".", ",", "!", "?", ";", ":", ")", "]", "}", "%", "…");
    private static final Set<String> NO_SPACE_AFTER = Set.of("(", "[", "{");
    private static final Set<String> APOSTROPHES = Set.of("'", "’");

    /**
     * How the vocabulary is built.
     *
     * @param lowercase whether text is lower-cased (Locale.ROOT) before splitting, in building and encoding
     * @param minCount the fewest occurrences a word needs to enter the vocabulary (>= 1)
     * @param maxVocab the largest vocabulary, the 4 special tokens included (>= 5); the rarest words go
     */
    public record Options(boolean lowercase, int minCount, int maxVocab) {

        /** Checks the ranges. */
        public Options {
            if (minCount < 1) {
                throw new IllegalArgumentException(
                        "minCount must be >= 1, got " + minCount + "; use 1 to keep every word");
            }
            if (maxVocab < SPECIAL_NAMES.size() + 1) {
                throw new IllegalArgumentException("maxVocab must be >= " + (SPECIAL_NAMES.size() + 1)
                        + " (the 4 special tokens and at least one word), got " + maxVocab);
            }
        }

        /** Case kept, every word kept, at most 8192 ids (the benchmark model's vocabulary). */
        public static Options defaults() {
            return new Options(false, 1, 8192);
        }

        /** Returns a copy with {@code lowercase} replaced. */
        public Options withLowercase(boolean value) {
            return new Options(value, minCount, maxVocab);
        }

        /** Returns a copy with {@code minCount} replaced. */
        public Options withMinCount(int value) {
            return new Options(lowercase, value, maxVocab);
        }

        /** Returns a copy with {@code maxVocab} replaced. */
        public Options withMaxVocab(int value) {
            return new Options(lowercase, minCount, value);
        }
    }

    private final List<String> vocab;
    private final Map<String, Integer> ids;
    private final boolean lowercase;

    private WordTokenizer(List<String> vocab, boolean lowercase) {
        this.vocab = List.copyOf(vocab);
        this.lowercase = lowercase;
        Map<String, Integer> map = new HashMap<>(vocab.size() * 2);
        for (int i = 0; i < vocab.size(); i++) {
            map.put(vocab.get(i), i);
        }
        this.ids = Collections.unmodifiableMap(map);
    }

    /**
     * Builds the vocabulary of a corpus.
     *
     * @param corpus the texts (not null, none null)
     * @param options how to build it
     * @return the tokenizer
     * @throws IllegalArgumentException when the corpus has no word, or no word reaches {@code minCount}
     */
    public static WordTokenizer build(Iterable<String> corpus, Options options) {
        Objects.requireNonNull(corpus, "corpus is null; pass a list of texts");
        Objects.requireNonNull(options, "options are null; pass WordTokenizer.Options.defaults()");
        Map<String, Integer> counts = new HashMap<>();
        int texts = 0;
        for (String text : corpus) {
            if (text == null) {
                throw new IllegalArgumentException("corpus text " + texts + " is null; drop it or pass \"\"");
            }
            texts++;
            for (String token : split(text, options.lowercase())) {
                counts.merge(token, 1, Integer::sum);
            }
        }
        if (counts.isEmpty()) {
            throw new IllegalArgumentException("corpus is empty (" + texts + " texts, no words); pass texts"
                    + " that contain at least one word to build a word vocabulary from");
        }
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        List<String> vocab = new ArrayList<>(SPECIAL_NAMES);
        for (Map.Entry<String, Integer> e : entries) {
            if (e.getValue() < options.minCount() || vocab.size() == options.maxVocab()) {
                break;
            }
            vocab.add(e.getKey());
        }
        if (vocab.size() == SPECIAL_NAMES.size()) {
            Map.Entry<String, Integer> top = entries.get(0);
            throw new IllegalArgumentException("no word occurs at least minCount=" + options.minCount()
                    + " times in the corpus (" + entries.size() + " distinct words, the most frequent '"
                    + top.getKey() + "' occurs " + top.getValue() + " times); lower minCount");
        }
        return new WordTokenizer(vocab, options.lowercase());
    }

    /** The vocabulary in id order, special tokens first. */
    public List<String> vocabulary() {
        return vocab;
    }

    /** Whether text is lower-cased before encoding. */
    public boolean lowercase() {
        return lowercase;
    }

    /**
     * Splits text into the tokens this tokenizer looks up (lower-cased if it lower-cases).
     *
     * @param text the text
     * @return the tokens, before vocabulary look-up
     */
    public List<String> tokenize(String text) {
        return split(text, lowercase);
    }

    @Override
    public int[] encode(String text) {
        List<String> tokens = tokenize(text);
        int[] out = new int[tokens.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ids.getOrDefault(tokens.get(i), UNK_ID);
        }
        return out;
    }

    @Override
    public String decode(int[] tokenIds) {
        StringBuilder sb = new StringBuilder();
        String prev = null;
        String prevPrev = null;
        for (int id : tokenIds) {
            Tokenizers.checkId(id, vocab.size());
            if (id == SPECIALS.pad() || id == SPECIALS.bos() || id == SPECIALS.eos()) {
                continue;
            }
            String token = vocab.get(id);
            if (prev != null && spaceBetween(prevPrev, prev, token)) {
                sb.append(' ');
            }
            sb.append(token);
            prevPrev = prev;
            prev = token;
        }
        return sb.toString();
    }

    private static boolean spaceBetween(String prevPrev, String prev, String token) {
        if (NO_SPACE_BEFORE.contains(token) || NO_SPACE_AFTER.contains(prev)) {
            return false;
        }
        boolean apostropheAfterWord = APOSTROPHES.contains(token) && isWord(prev);
        boolean wordAfterContraction =
                APOSTROPHES.contains(prev) && prevPrev != null && isWord(prevPrev) && isWord(token);
        return !apostropheAfterWord && !wordAfterContraction;
    }

    private static boolean isWord(String token) {
        return WORD.matcher(token).matches();
    }

    private static List<String> split(String text, boolean lowercase) {
        String s = lowercase ? text.toLowerCase(Locale.ROOT) : text;
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(s);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    @Override
    public int vocabSize() {
        return vocab.size();
    }

    @Override
    public SpecialTokens specials() {
        return SPECIALS;
    }

    @Override
    public void save(Path dir) {
        JsonArray words = new JsonArray(vocab.size());
        vocab.forEach(words::add);
        TokenizerMeta.writeString(dir.resolve(VOCAB_FILE), TokenizerMeta.toJson(words) + "\n");
        JsonObject settings = new JsonObject();
        settings.addProperty("lowercase", lowercase);
        settings.addProperty("vocab", VOCAB_FILE);
        TokenizerMeta.of(TokenizerMeta.Kind.WORDS, this, settings).write(dir);
    }

    /** Restores what {@link #save} wrote. */
    static WordTokenizer restore(Path dir, TokenizerMeta meta) {
        Path file = dir.resolve(meta.setting("vocab", dir));
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("the word vocabulary " + file + " that " + TokenizerMeta.FILE
                    + " names is missing; copy the whole checkpoint directory, or save the tokenizer again");
        }
        List<String> vocab = new ArrayList<>();
        try {
            for (JsonElement e :
                    JsonParser.parseString(TokenizerMeta.readString(file)).getAsJsonArray()) {
                vocab.add(e.getAsString());
            }
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
            throw new IllegalArgumentException(
                    "cannot read the word vocabulary " + file + " (" + e.getMessage()
                            + "); it must be a JSON array of strings: save the tokenizer again",
                    e);
        }
        if (vocab.size() <= SPECIAL_NAMES.size()
                || !vocab.subList(0, SPECIAL_NAMES.size()).equals(SPECIAL_NAMES)) {
            throw new IllegalArgumentException("the word vocabulary " + file + " must start with " + SPECIAL_NAMES
                    + " and hold at least one word; save the tokenizer again");
        }
        return new WordTokenizer(vocab, Boolean.parseBoolean(meta.setting("lowercase", dir)));
    }

    @Override
    public String toString() {
        return "WordTokenizer[vocab=" + vocab.size() + ", lowercase=" + lowercase + "]";
    }
}
