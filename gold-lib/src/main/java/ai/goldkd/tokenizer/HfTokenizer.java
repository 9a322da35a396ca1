package ai.goldkd.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Any Hugging Face {@code tokenizer.json}, run by DJL's bundled native {@code tokenizers} library
 * (offline: the library ships in the jar). Special tokens are looked up by name in the file's
 * vocabulary; {@link Names} says which names, or leaves a role to the first match of its candidates.
 *
 * <p>Like Hugging Face's own encoders, {@link #encode} turns text that spells an added token (such as
 * {@code </s>}) into that token's id. {@link #close()} frees the native tokenizer early; otherwise the
 * garbage collector does. Build it with {@link Tokenizers#huggingFace(Path, Names)}.
 */
public final class HfTokenizer implements Tokenizer, AutoCloseable {

    /** The name the tokenizer file has inside a saved directory, as in Hugging Face's checkpoints. */
    static final String FILE = "tokenizer.json";
    /** Pad candidates: a real pad token, else the unknown token (byte-fallback BPEs never emit it). */
    static final List<String> PAD_CANDIDATES = List.of("<pad>", "[PAD]", "<|pad|>", "<|padding|>", "<unk>", "[UNK]");
    /** BOS candidates, in order. */
    static final List<String> BOS_CANDIDATES = List.of("<s>", "<|begin_of_text|>", "<bos>", "[CLS]", "<|endoftext|>");
    /** EOS candidates, in order. */
    static final List<String> EOS_CANDIDATES = List.of("</s>", "<|end_of_text|>", "<eos>", "[SEP]", "<|endoftext|>");

    /**
     * The names of the special tokens; a null name means "the first of the role's candidates that the
     * vocabulary holds" ({@code <pad>, [PAD], <|pad|>, <|padding|>, <unk>, [UNK]} for pad;
     * {@code <s>, <|begin_of_text|>, <bos>, [CLS], <|endoftext|>} for bos; {@code </s>,
     * <|end_of_text|>, <eos>, [SEP], <|endoftext|>} for eos).
     *
     * @param pad the padding token's name, or null
     * @param bos the beginning-of-sequence token's name, or null
     * @param eos the end-of-sequence token's name, or null
     */
    public record Names(String pad, String bos, String eos) {

        /** Every role from its candidates. */
        public static Names defaults() {
            return new Names(null, null, null);
        }

        /** Returns a copy with the pad name replaced. */
        public Names withPad(String name) {
            return new Names(name, bos, eos);
        }

        /** Returns a copy with the bos name replaced. */
        public Names withBos(String name) {
            return new Names(pad, name, eos);
        }

        /** Returns a copy with the eos name replaced. */
        public Names withEos(String name) {
            return new Names(pad, bos, name);
        }
    }

    private final Path file;
    private final HuggingFaceTokenizer hf;
    private final int vocabSize;
    private final SpecialTokens specials;
    private final Names resolved;

    private HfTokenizer(
            Path file, HuggingFaceTokenizer tokenizer, int vocabSize, SpecialTokens specials, Names resolved) {
        this.file = file;
        this.hf = tokenizer;
        this.vocabSize = vocabSize;
        this.specials = specials;
        this.resolved = resolved;
    }

    /**
     * Loads a tokenizer.json.
     *
     * @param path the tokenizer.json, or a directory that holds one
     * @param names the special tokens' names ({@link Names#defaults()} to look them up)
     * @return the tokenizer
     * @throws IllegalArgumentException when the file is missing or not a tokenizer.json, or a special
     *     token is not in its vocabulary
     */
    public static HfTokenizer load(Path path, Names names) {
        Objects.requireNonNull(path, "tokenizer.json path is null; pass the path of a tokenizer.json");
        Objects.requireNonNull(names, "names are null; pass HfTokenizer.Names.defaults()");
        Path json = Files.isDirectory(path) ? path.resolve(FILE) : path;
        if (!Files.isRegularFile(json)) {
            throw new IllegalArgumentException("tokenizer.json not found: " + json.toAbsolutePath()
                    + "; pass the path of a Hugging Face tokenizer.json (for the npm Llama-2 tokenizer run"
                    + " environment/gold setup, which installs it under " + Tokenizers.npmLlama2Path() + ")");
        }
        HfVocab vocab = HfVocab.read(json);
        String pad = resolve(json, vocab, "pad", names.pad(), PAD_CANDIDATES);
        String bos = resolve(json, vocab, "bos", names.bos(), BOS_CANDIDATES);
        String eos = resolve(json, vocab, "eos", names.eos(), EOS_CANDIDATES);
        SpecialTokens specials = new SpecialTokens(vocab.id(pad), vocab.id(bos), vocab.id(eos));
        HuggingFaceTokenizer tokenizer;
        try {
            tokenizer = HuggingFaceTokenizer.newInstance(
                    json, Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + json + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "DJL's tokenizers library rejected " + json + " (" + e.getMessage()
                            + "); pass a tokenizer.json that Hugging Face tokenizers 0.21 can load",
                    e);
        }
        return new HfTokenizer(json, tokenizer, vocab.size(), specials, new Names(pad, bos, eos));
    }

    private static String resolve(Path json, HfVocab vocab, String role, String name, List<String> candidates) {
        if (name != null) {
            if (vocab.id(name) < 0) {
                throw new IllegalArgumentException("unknown special token '" + name + "' in " + json + "; name one of "
                        + offered(vocab) + howToName(role));
            }
            return name;
        }
        for (String candidate : candidates) {
            if (vocab.id(candidate) >= 0) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("no " + role + " token in " + json + " (looked for "
                + String.join(", ", candidates) + "); name one of " + offered(vocab) + howToName(role));
    }

    private static String howToName(String role) {
        return " with --" + role + "-token (HfTokenizer.Names.with" + Character.toUpperCase(role.charAt(0))
                + role.substring(1) + " in Java)";
    }

    private static String offered(HfVocab vocab) {
        return vocab.specialNames().isEmpty() ? "its tokens" : String.join(", ", vocab.specialNames());
    }

    /** The tokenizer.json this tokenizer runs. */
    public Path file() {
        return file;
    }

    /** The special tokens' names, every role resolved. */
    public Names names() {
        return resolved;
    }

    @Override
    public int[] encode(String text) {
        long[] ids = hf.encode(text, false, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    @Override
    public String decode(int[] ids) {
        List<Long> kept = new ArrayList<>(ids.length);
        for (int id : ids) {
            Tokenizers.checkId(id, vocabSize);
            // The pad token may not be marked special in the file (e.g. <unk> as pad), so drop it here.
            if (id != specials.pad() && id != specials.bos() && id != specials.eos()) {
                kept.add((long) id);
            }
        }
        return hf.decode(kept.stream().mapToLong(Long::longValue).toArray(), true);
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public SpecialTokens specials() {
        return specials;
    }

    @Override
    public void save(Path dir) {
        Path target = dir.resolve(FILE);
        try {
            Files.createDirectories(dir);
            if (!Files.exists(target) || !Files.isSameFile(file, target)) {
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot copy " + file + " to " + target + " (" + e.getMessage()
                            + "); check that the directory is writable",
                    e);
        }
        JsonObject settings = new JsonObject();
        settings.addProperty("tokenizer", FILE);
        settings.addProperty("pad", resolved.pad());
        settings.addProperty("bos", resolved.bos());
        settings.addProperty("eos", resolved.eos());
        TokenizerMeta.of(TokenizerMeta.Kind.HUGGING_FACE, this, settings).write(dir);
    }

    /** Restores what {@link #save} wrote. */
    static HfTokenizer restore(Path dir, TokenizerMeta meta) {
        return load(
                dir.resolve(meta.setting("tokenizer", dir)),
                new Names(meta.setting("pad", dir), meta.setting("bos", dir), meta.setting("eos", dir)));
    }

    /** Frees the native tokenizer; the object is unusable afterwards. */
    @Override
    public void close() {
        hf.close();
    }

    @Override
    public String toString() {
        return "HfTokenizer[" + file + ", vocab=" + vocabSize + ", pad=" + resolved.pad() + ", bos=" + resolved.bos()
                + ", eos=" + resolved.eos() + "]";
    }
}
