package ai.goldkd.model.hf;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Reads a checkpoint's {@code config.json} into an {@link HfConfig}: a setting gold does not
 * implement exactly fails here, naming the key, its value and what is supported, never approximated.
 */
public final class HfConfigReader {

    /** The config file's name. */
    public static final String FILE = "config.json";

    private static final Set<String> GELU_NEW = Set.of("gelu_new", "gelu_pytorch_tanh");

    private HfConfigReader() {}

    /**
     * Reads and checks config.json.
     *
     * @param dir the model directory
     * @param context the longest sequence the caller will run, or 0 for the checkpoint's own context
     * @return the config
     */
    public static HfConfig read(Path dir, int context) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no " + FILE + " in " + dir + "; pass a Hugging Face model directory"
                    + " (config.json, model.safetensors, tokenizer.json)");
        }
        JsonObject json;
        try {
            json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
                    .getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException(file + " is not a JSON object; copy the checkpoint's config.json again");
        }
        Keys keys = new Keys(file, json);
        Family family = Family.of(keys.string("model_type", null), file);
        HfConfig config = family.llamaLike() ? llama(family, keys) : gpt2(keys);
        if (context > 0) {
            config = config.withContext(context);
        }
        checkWindow(family, keys, config.context());
        return config;
    }

    private static HfConfig llama(Family family, Keys k) {
        int dim = k.integer("hidden_size", null);
        int heads = k.integer("num_attention_heads", null);
        int kvHeads = k.integer("num_key_value_heads", heads);
        Integer headDimDefault = dim / heads;
        int headDim = k.integer("head_dim", headDimDefault);
        String act = k.string("hidden_act", "silu");
        if (!act.equals("silu")) {
            throw k.unsupported("hidden_act", act, "silu");
        }
        if (k.bool("mlp_bias", false)) {
            throw k.unsupported("mlp_bias", "true", "false");
        }
        boolean bias = family == Family.QWEN2 || k.bool("attention_bias", false);
        if (family == Family.QWEN2 && k.json.has("attention_bias") && !k.bool("attention_bias", true)) {
            throw k.unsupported("attention_bias", "false", "qwen2's q/k/v biases (leave attention_bias out)");
        }
        return new HfConfig(
                family,
                k.integer("vocab_size", null),
                dim,
                k.integer("num_hidden_layers", null),
                heads,
                kvHeads,
                headDim,
                k.integer("intermediate_size", null),
                k.integer("max_position_embeddings", null),
                k.number("rms_norm_eps", 1e-6),
                k.number("rope_theta", 10000.0),
                rope(k),
                k.bool("tie_word_embeddings", false),
                bias,
                act,
                k.json);
    }

    private static RopeScaling rope(Keys k) {
        JsonElement e = k.json.get("rope_scaling");
        if (e == null || e.isJsonNull()) {
            return RopeScaling.none();
        }
        JsonObject r = e.getAsJsonObject();
        Keys rk = new Keys(k.file, r);
        String type = r.has("rope_type") ? rk.string("rope_type", null) : rk.string("type", "default");
        return switch (type) {
            case "default" -> RopeScaling.none();
            case "linear" -> new RopeScaling(RopeScaling.Type.LINEAR, rk.number("factor", null), 0, 0, 0);
            case "llama3" ->
                new RopeScaling(
                        RopeScaling.Type.LLAMA3,
                        rk.number("factor", null),
                        rk.number("low_freq_factor", null),
                        rk.number("high_freq_factor", null),
                        rk.integer("original_max_position_embeddings", null));
            default -> throw k.unsupported("rope_scaling.rope_type", type, "default, linear, llama3");
        };
    }

    private static void checkWindow(Family family, Keys k, int context) {
        boolean windowed = switch (family) {
            case MISTRAL -> true;
            case QWEN2, QWEN3 -> k.bool("use_sliding_window", false);
            default -> false;
        };
        JsonElement window = k.json.get("sliding_window");
        if (windowed && window != null && !window.isJsonNull() && window.getAsInt() < context) {
            throw new IllegalArgumentException(k.file + ": sliding_window " + window.getAsInt() + " is shorter than"
                    + " the context asked (" + context + "); gold implements full attention only: ask for a context"
                    + " of at most " + window.getAsInt() + " tokens");
        }
    }

    private static HfConfig gpt2(Keys k) {
        int dim = k.integer("n_embd", null);
        int heads = k.integer("n_head", null);
        String act = k.string("activation_function", "gelu_new");
        if (!GELU_NEW.contains(act) && !act.equals("gelu")) {
            throw k.unsupported("activation_function", act, "gelu_new, gelu_pytorch_tanh, gelu");
        }
        if (!k.bool("scale_attn_weights", true)) {
            throw k.unsupported("scale_attn_weights", "false", "true");
        }
        if (k.bool("scale_attn_by_inverse_layer_idx", false)) {
            throw k.unsupported("scale_attn_by_inverse_layer_idx", "true", "false");
        }
        if (k.bool("add_cross_attention", false)) {
            throw k.unsupported("add_cross_attention", "true", "false");
        }
        JsonElement inner = k.json.get("n_inner");
        int mlp = inner == null || inner.isJsonNull() ? 4 * dim : inner.getAsInt();
        return new HfConfig(
                Family.GPT2,
                k.integer("vocab_size", null),
                dim,
                k.integer("n_layer", null),
                heads,
                heads,
                dim / heads,
                mlp,
                k.integer("n_positions", null),
                k.number("layer_norm_epsilon", 1e-5),
                0,
                RopeScaling.none(),
                k.bool("tie_word_embeddings", true),
                true,
                GELU_NEW.contains(act) ? "gelu_new" : "gelu",
                k.json);
    }

    /** Typed look-ups that name the file and key when a value is missing or of the wrong kind. */
    private record Keys(Path file, JsonObject json) {

        private JsonElement get(String key, Object fallback) {
            JsonElement e = json.get(key);
            if ((e == null || e.isJsonNull()) && fallback == null) {
                throw new IllegalArgumentException(file + " has no " + key + "; the config is incomplete: copy the"
                        + " checkpoint's config.json again");
            }
            return e == null || e.isJsonNull() ? null : e;
        }

        String string(String key, String fallback) {
            JsonElement e = get(key, fallback);
            return e == null ? fallback : e.getAsString();
        }

        int integer(String key, Integer fallback) {
            JsonElement e = get(key, fallback);
            try {
                return e == null ? fallback : e.getAsInt();
            } catch (NumberFormatException | UnsupportedOperationException | IllegalStateException ex) {
                throw new IllegalArgumentException(file + ": " + key + " is " + e + ", not an integer");
            }
        }

        double number(String key, Double fallback) {
            JsonElement e = get(key, fallback);
            try {
                return e == null ? fallback : e.getAsDouble();
            } catch (NumberFormatException | UnsupportedOperationException | IllegalStateException ex) {
                throw new IllegalArgumentException(file + ": " + key + " is " + e + ", not a number");
            }
        }

        boolean bool(String key, boolean fallback) {
            JsonElement e = json.get(key);
            return e == null || e.isJsonNull() ? fallback : e.getAsBoolean();
        }

        IllegalArgumentException unsupported(String key, String value, String supported) {
            return new IllegalArgumentException(
                    file + ": " + key + " = " + value + " is not supported (gold implements " + supported
                            + "); use a checkpoint with a supported setting");
        }
    }
}
