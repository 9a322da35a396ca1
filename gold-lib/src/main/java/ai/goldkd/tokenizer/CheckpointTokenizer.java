package ai.goldkd.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The tokenizer of a Hugging Face checkpoint directory: {@code tokenizer.json} run by DJL's bundled
 * tokenizers library, with the special tokens, {@code add_bos_token} and chat template of
 * {@code tokenizer_config.json} and the stop ids of {@code generation_config.json}.
 *
 * <p>Prompts are encoded as transformers encodes them: the tokenizer's own post-processor decides
 * which special tokens to add ({@link #encodePrompt}); {@link #encode} adds none, for training text.
 * Without any eos id a generation runs to the length asked ({@link #stopIds} is empty).
 */
public final class CheckpointTokenizer implements Tokenizer, AutoCloseable {

    /** The tokenizer settings' file name. */
    public static final String CONFIG = "tokenizer_config.json";
    /** The file that may hold a tokenizer's special tokens besides tokenizer_config.json. */
    public static final String SPECIAL_MAP = "special_tokens_map.json";

    private final Path dir;
    private final HuggingFaceTokenizer hf;
    private final int vocabSize;
    private final SpecialTokens specials;
    private final int[] stopIds;
    private final boolean addBos;
    private final String chatTemplate;
    private final String bosToken;
    private final String eosToken;

    private CheckpointTokenizer(
            Path dir,
            HuggingFaceTokenizer hf,
            int vocabSize,
            SpecialTokens specials,
            int[] stopIds,
            boolean addBos,
            String chatTemplate,
            String bosToken,
            String eosToken) {
        this.dir = dir;
        this.hf = hf;
        this.vocabSize = vocabSize;
        this.specials = specials;
        this.stopIds = stopIds;
        this.addBos = addBos;
        this.chatTemplate = chatTemplate;
        this.bosToken = bosToken;
        this.eosToken = eosToken;
    }

    /**
     * Loads a checkpoint directory's tokenizer.
     *
     * @param dir the model directory (tokenizer.json, tokenizer_config.json)
     * @param eosIds the stop ids generation_config.json or config.json give, or null to take the
     *     tokenizer config's eos token
     * @return the tokenizer; close it to free the native tokenizer early
     */
    public static CheckpointTokenizer load(Path dir, int[] eosIds) {
        Path json = dir.resolve(HfTokenizer.FILE);
        if (!Files.isRegularFile(json)) {
            throw new IllegalArgumentException("no " + HfTokenizer.FILE + " in " + dir + "; gold reads the fast"
                    + " tokenizer file: save the tokenizer with transformers' save_pretrained into " + dir);
        }
        HfVocab vocab = HfVocab.read(json);
        JsonObject config = readObject(dir.resolve(CONFIG));
        String bos = token(config, "bos_token");
        String eos = token(config, "eos_token");
        String pad = token(config, "pad_token");
        int[] stops = eosIds != null
                ? eosIds.clone()
                : eos != null ? new int[] {idOf(vocab, eos, "eos_token", dir)} : new int[0];
        int padId = pad != null ? idOf(vocab, pad, "pad_token", dir) : stops.length > 0 ? stops[0] : 0;
        int bosId = bos != null ? idOf(vocab, bos, "bos_token", dir) : padId;
        int eosId = stops.length > 0 ? stops[0] : padId;
        boolean addBos =
                config.has("add_bos_token") && config.get("add_bos_token").getAsBoolean();
        String template = chatTemplate(config);
        HuggingFaceTokenizer tokenizer;
        try {
            tokenizer = HuggingFaceTokenizer.newInstance(json, Map.of("truncation", "false", "padding", "false"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + json + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "DJL's tokenizers library rejected " + json + " (" + e.getMessage()
                            + "); pass a tokenizer.json that Hugging Face tokenizers 0.21 can load",
                    e);
        }
        return new CheckpointTokenizer(
                dir,
                tokenizer,
                vocab.size(),
                new SpecialTokens(padId, bosId, eosId),
                stops,
                addBos,
                template,
                bos,
                eos);
    }

    private static JsonObject readObject(Path file) {
        if (!Files.isRegularFile(file)) {
            return new JsonObject();
        }
        try {
            return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
                    .getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException(file + " is not a JSON object; copy the checkpoint's file again");
        }
    }

    /** A special token of tokenizer_config.json: a string or an added-token object with a content. */
    private static String token(JsonObject config, String key) {
        JsonElement e = config.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        return e.isJsonObject() ? e.getAsJsonObject().get("content").getAsString() : e.getAsString();
    }

    private static int idOf(HfVocab vocab, String token, String key, Path dir) {
        int id = vocab.id(token);
        if (id < 0) {
            throw new IllegalArgumentException(dir.resolve(CONFIG) + ": " + key + " '" + token + "' is not in "
                    + HfTokenizer.FILE + "; the two files are from different tokenizers: copy both again");
        }
        return id;
    }

    private static String chatTemplate(JsonObject config) {
        JsonElement e = config.get("chat_template");
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (e.isJsonPrimitive()) {
            return e.getAsString();
        }
        // A list of named templates: the one named "default".
        for (JsonElement named : e.getAsJsonArray()) {
            JsonObject o = named.getAsJsonObject();
            if ("default".equals(o.get("name").getAsString())) {
                return o.get("template").getAsString();
            }
        }
        return null;
    }

    /** The checkpoint directory. */
    public Path dir() {
        return dir;
    }

    /** The Jinja chat template of tokenizer_config.json, or null when it has none. */
    public String chatTemplate() {
        return chatTemplate;
    }

    /** The bos token's text, or null. */
    public String bosToken() {
        return bosToken;
    }

    /** The eos token's text, or null. */
    public String eosToken() {
        return eosToken;
    }

    /** tokenizer_config.json's {@code add_bos_token} (the post-processor applies it in tokenizer.json). */
    public boolean addBos() {
        return addBos;
    }

    @Override
    public int[] encode(String text) {
        return ints(hf.encode(text, false, false).getIds());
    }

    @Override
    public int[] encodePrompt(String text) {
        return ints(hf.encode(text, true, false).getIds());
    }

    @Override
    public int[] stopIds() {
        return stopIds.clone();
    }

    private static int[] ints(long[] ids) {
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
            kept.add((long) id);
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

    /**
     * Checks the tokenizer against a checkpoint's embedding: every id it makes must be a row. An
     * embedding with more rows than the tokenizer has ids is fine (checkpoints pad it for speed).
     */
    @Override
    public void checkVocab(int modelVocab) {
        if (vocabSize > modelVocab) {
            throw new IllegalArgumentException(dir.resolve(HfTokenizer.FILE) + " has " + vocabSize + " ids but the"
                    + " model's embedding has " + modelVocab + " rows (vocab_size in config.json); the tokenizer is"
                    + " from another checkpoint: copy the checkpoint's own tokenizer files");
        }
    }

    /** Copies the tokenizer files (tokenizer.json, tokenizer_config.json, special_tokens_map.json) into a directory. */
    @Override
    public void save(Path target) {
        try {
            Files.createDirectories(target);
            for (String name : Arrays.asList(HfTokenizer.FILE, CONFIG, SPECIAL_MAP)) {
                Path from = dir.resolve(name);
                Path to = target.resolve(name);
                if (Files.isRegularFile(from) && (!Files.exists(to) || !Files.isSameFile(from, to))) {
                    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot copy the tokenizer files of " + dir + " to " + target + " (" + e.getMessage()
                            + "); check that the directory is writable",
                    e);
        }
    }

    @Override
    public void close() {
        hf.close();
    }

    @Override
    public String toString() {
        return "CheckpointTokenizer[" + dir + ", vocab=" + vocabSize + ", stop=" + Arrays.toString(stopIds) + "]";
    }
}
