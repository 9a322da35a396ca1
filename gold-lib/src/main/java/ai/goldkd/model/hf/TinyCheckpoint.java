package ai.goldkd.model.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.goldkd.hf.DType;
import ai.goldkd.hf.HfWeights;
import ai.goldkd.hf.SafetensorsWriter;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A small checkpoint of any family gold reads ({@link Family}: llama, mistral, qwen2, qwen3, gpt2) with random
 * weights, written in Hugging Face layout, for notebooks and tests on a machine without a model hub: config.json, model.safetensors (F32), a byte-level BPE
 * tokenizer.json with no merges (every text encodes, one token per byte; ids 256-258 are
 * {@code <s>}, {@code </s>}, {@code <pad>}; the post-processor prepends {@code <s>}),
 * tokenizer_config.json with a chat template, and generation_config.json.
 *
 * <pre>{@code
 * Path teacher = TinyCheckpoint.llama(2, 32, 4, 2, 64).write(Path.of("models/tiny-teacher"), 1);
 * Path qwen = TinyCheckpoint.llama(2, 32, 4, 2, 64).withFamily(Family.QWEN2).write(Path.of("models/tiny-qwen"), 1);
 * }</pre>
 *
 * @param family the architecture ({@code model_type}); GPT-2 has no grouped-query attention, so its kvHeads must
 *     equal heads
 * @param layers decoder layers, >= 1
 * @param dim hidden width, a multiple of heads
 * @param heads attention heads
 * @param kvHeads key/value heads, dividing heads
 * @param mlp MLP width, >= 1
 * @param context max_position_embeddings, >= 2
 */
public record TinyCheckpoint(Family family, int layers, int dim, int heads, int kvHeads, int mlp, int context) {

    /** The tokenizer's size: 256 bytes and three special tokens. */
    public static final int VOCAB = 259;
    /** The chat template written to tokenizer_config.json (a Llama-2-like one). */
    public static final String CHAT_TEMPLATE = "{{ bos_token }}{% for m in messages %}[{{ m['role'] }}] "
            + "{{ m['content'] }}\n{% endfor %}{% if add_generation_prompt %}[assistant] {% endif %}";

    /** Checks the shape. */
    public TinyCheckpoint {
        if (family == null) {
            throw new IllegalArgumentException("tiny checkpoint family is null; use one of Family's values");
        }
        if (family == Family.GPT2 && kvHeads != heads) {
            throw new IllegalArgumentException("a gpt2 checkpoint has no grouped-query attention: kvHeads " + kvHeads
                    + " must equal heads " + heads);
        }
        if (layers < 1 || dim < 1 || heads < 1 || kvHeads < 1 || mlp < 1 || context < 2) {
            throw new IllegalArgumentException("tiny checkpoint layers " + layers + ", dim " + dim + ", heads " + heads
                    + ", kvHeads " + kvHeads + ", mlp " + mlp + ", context " + context + ": each must be >= 1"
                    + " (context >= 2)");
        }
        if (dim % heads != 0 || heads % kvHeads != 0) {
            throw new IllegalArgumentException("tiny checkpoint dim " + dim + ", heads " + heads + ", kvHeads "
                    + kvHeads + ": heads must divide dim and kvHeads must divide heads");
        }
    }

    /**
     * A Llama shape with a context of 256 positions.
     *
     * @param layers decoder layers
     * @param dim hidden width
     * @param heads attention heads
     * @param kvHeads key/value heads
     * @param mlp MLP width
     * @return the shape
     */
    public static TinyCheckpoint llama(int layers, int dim, int heads, int kvHeads, int mlp) {
        return new TinyCheckpoint(Family.LLAMA, layers, dim, heads, kvHeads, mlp, 256);
    }

    /**
     * The same shape in another family: mistral (a llama here), qwen2 (q/k/v biases), qwen3 (per-head q/k
     * RMSNorm), gpt2 (LayerNorm, learned positions, tied head; kvHeads must equal heads).
     *
     * @param value the family
     * @return the shape in that family
     */
    public TinyCheckpoint withFamily(Family value) {
        return new TinyCheckpoint(value, layers, dim, heads, kvHeads, mlp, context);
    }

    /**
     * Writes the checkpoint into a new or empty directory.
     *
     * @param dir the directory
     * @param seed the seed of the random weights (normal, sd 0.02; norms 1)
     * @return dir
     */
    public Path write(Path dir, long seed) {
        HfExport.checkEmpty(dir);
        try {
            Files.createDirectories(dir);
            writeJson(dir.resolve(HfConfigReader.FILE), config());
            JsonObject generation = new JsonObject();
            generation.addProperty("bos_token_id", 256);
            generation.addProperty("eos_token_id", 257);
            writeJson(dir.resolve(HfCheckpoint.GENERATION), generation);
            writeJson(dir.resolve("tokenizer.json"), tokenizerJson());
            JsonObject tc = new JsonObject();
            tc.addProperty("add_bos_token", true);
            tc.addProperty("bos_token", "<s>");
            tc.addProperty("eos_token", "</s>");
            tc.addProperty("pad_token", "<pad>");
            tc.addProperty("model_max_length", context);
            tc.addProperty("tokenizer_class", "PreTrainedTokenizerFast");
            tc.addProperty("chat_template", CHAT_TEMPLATE);
            writeJson(dir.resolve("tokenizer_config.json"), tc);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write a tiny checkpoint to " + dir + " (" + e.getMessage()
                            + "); check that the directory is writable",
                    e);
        }
        HfDecoder model = HfLoader.build(HfConfigReader.read(dir, 0));
        Random random = new Random(seed);
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            List<SafetensorsWriter.Entry> entries = new ArrayList<>();
            for (Map.Entry<String, Shape> e : model.shapes().entrySet()) {
                float[] values = new float[(int) e.getValue().size()];
                // a norm's scale starts at 1 and its shift at 0, as the decoder declared them
                Parameter.Type type = model.named().get(e.getKey()).getType();
                for (int i = 0; i < values.length; i++) {
                    values[i] = type == Parameter.Type.GAMMA
                            ? 1f
                            : type == Parameter.Type.BETA ? 0f : (float) (0.02 * random.nextGaussian());
                }
                NDArray array = manager.create(values, e.getValue());
                entries.add(new SafetensorsWriter.Entry(e.getKey(), array, DType.F32));
            }
            SafetensorsWriter.write(dir.resolve(HfWeights.SINGLE), entries, Map.of("format", "pt"));
        }
        return dir;
    }

    private JsonObject config() {
        JsonObject c = new JsonObject();
        c.addProperty("model_type", family.modelType());
        JsonArray arch = new JsonArray();
        arch.add(family.architecture());
        c.add("architectures", arch);
        c.addProperty("vocab_size", VOCAB);
        if (family == Family.GPT2) {
            c.addProperty("n_embd", dim);
            c.addProperty("n_inner", mlp);
            c.addProperty("n_layer", layers);
            c.addProperty("n_head", heads);
            c.addProperty("n_positions", context);
            c.addProperty("n_ctx", context);
            c.addProperty("layer_norm_epsilon", 1e-5);
            c.addProperty("activation_function", "gelu_new");
            c.addProperty("tie_word_embeddings", true);
        } else {
            c.addProperty("hidden_size", dim);
            c.addProperty("intermediate_size", mlp);
            c.addProperty("num_hidden_layers", layers);
            c.addProperty("num_attention_heads", heads);
            c.addProperty("num_key_value_heads", kvHeads);
            c.addProperty("max_position_embeddings", context);
            c.addProperty("rms_norm_eps", 1e-6);
            c.addProperty("rope_theta", 10000.0);
            c.addProperty("hidden_act", "silu");
            c.addProperty("tie_word_embeddings", false);
            if (family == Family.QWEN3) {
                c.addProperty("head_dim", dim / heads);
            }
        }
        c.addProperty("bos_token_id", 256);
        c.addProperty("eos_token_id", 257);
        c.addProperty("torch_dtype", "float32");
        return c;
    }

    /** GPT-2's byte-to-character table as tokenizers' ByteLevel uses it, ids 0-255 in byte order. */
    private static JsonObject tokenizerJson() {
        JsonObject vocab = new JsonObject();
        for (int b = 0; b < 256; b++) {
            vocab.addProperty(new String(Character.toChars(byteChar(b))), b);
        }
        String[] specials = {"<s>", "</s>", "<pad>"};
        JsonArray added = new JsonArray();
        for (int i = 0; i < specials.length; i++) {
            vocab.addProperty(specials[i], 256 + i);
            JsonObject t = new JsonObject();
            t.addProperty("id", 256 + i);
            t.addProperty("content", specials[i]);
            t.addProperty("single_word", false);
            t.addProperty("lstrip", false);
            t.addProperty("rstrip", false);
            t.addProperty("normalized", false);
            t.addProperty("special", true);
            added.add(t);
        }
        JsonObject model = new JsonObject();
        model.addProperty("type", "BPE");
        model.add("vocab", vocab);
        model.add("merges", new JsonArray());
        JsonObject byteLevel = new JsonObject();
        byteLevel.addProperty("type", "ByteLevel");
        byteLevel.addProperty("add_prefix_space", false);
        byteLevel.addProperty("trim_offsets", true);
        byteLevel.addProperty("use_regex", true);
        JsonObject root = new JsonObject();
        root.addProperty("version", "1.0");
        root.add("added_tokens", added);
        root.add("pre_tokenizer", byteLevel);
        root.add("post_processor", postProcessor());
        root.add("decoder", byteLevel.deepCopy());
        root.add("model", model);
        return root;
    }

    private static JsonObject postProcessor() {
        JsonObject bos = new JsonObject();
        JsonObject special = new JsonObject();
        special.addProperty("id", "<s>");
        special.addProperty("type_id", 0);
        bos.add("SpecialToken", special);
        JsonObject a = new JsonObject();
        JsonObject seq = new JsonObject();
        seq.addProperty("id", "A");
        seq.addProperty("type_id", 0);
        a.add("Sequence", seq);
        JsonObject b = new JsonObject();
        JsonObject seqB = new JsonObject();
        seqB.addProperty("id", "B");
        seqB.addProperty("type_id", 1);
        b.add("Sequence", seqB);
        JsonArray single = new JsonArray();
        single.add(bos);
        single.add(a);
        JsonArray pair = new JsonArray();
        pair.add(bos.deepCopy());
        pair.add(a.deepCopy());
        pair.add(b);
        JsonObject tokens = new JsonObject();
        JsonObject s = new JsonObject();
        s.addProperty("id", "<s>");
        JsonArray ids = new JsonArray();
        ids.add(256);
        s.add("ids", ids);
        JsonArray names = new JsonArray();
        names.add("<s>");
        s.add("tokens", names);
        tokens.add("<s>", s);
        JsonObject p = new JsonObject();
        p.addProperty("type", "TemplateProcessing");
        p.add("single", single);
        p.add("pair", pair);
        p.add("special_tokens", tokens);
        return p;
    }

    /** The printable character GPT-2's ByteLevel maps a byte to. */
    static int byteChar(int b) {
        if ((b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF)) {
            return b;
        }
        int n = 0;
        for (int x = 0; x < b; x++) {
            if (!((x >= '!' && x <= '~') || (x >= 0xA1 && x <= 0xAC) || (x >= 0xAE && x <= 0xFF))) {
                n++;
            }
        }
        return 256 + n;
    }

    private static void writeJson(Path file, JsonObject json) throws IOException {
        Files.writeString(
                file,
                new GsonBuilder()
                        .setPrettyPrinting()
                        .disableHtmlEscaping()
                        .create()
                        .toJson(json),
                StandardCharsets.UTF_8);
    }
}
