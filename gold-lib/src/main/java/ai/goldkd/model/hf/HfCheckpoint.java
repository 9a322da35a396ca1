package ai.goldkd.model.hf;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.goldkd.hf.HfWeights;
import ai.goldkd.tokenizer.CheckpointTokenizer;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A Hugging Face causal-LM directory loaded whole: config.json, the safetensors weights (one file or
 * shards), the tokenizer files and generation_config.json. Every file is checked before the model is
 * returned; a bad one fails the load and nothing stays half-loaded.
 *
 * @param dir the directory
 * @param config its config
 * @param model the decoder, parameters loaded
 * @param tokenizer its tokenizer (prompts encoded by its own post-processor)
 */
public record HfCheckpoint(Path dir, HfConfig config, HfDecoder model, CheckpointTokenizer tokenizer) {

    /** The generation settings' file name. */
    public static final String GENERATION = "generation_config.json";
    /** The prefix that marks a model argument as a Hugging Face directory. */
    public static final String SCHEME = "hf:";

    /**
     * How to load.
     *
     * @param context the longest sequence to run, or 0 for the checkpoint's own context
     * @param precision the weights' and compute's type
     */
    public record Options(int context, Precision precision) {

        /** Checks the values. */
        public Options {
            if (context < 0) {
                throw new IllegalArgumentException("context " + context + " must be >= 0 (0: the checkpoint's own)");
            }
            Objects.requireNonNull(precision, "precision is null; pass Precision.FP32");
        }

        /** The checkpoint's own context, fp32. */
        public static Options defaults() {
            return new Options(0, Precision.FP32);
        }

        /** Returns a copy with another context. */
        public Options withContext(int value) {
            return new Options(value, precision);
        }

        /** Returns a copy with another precision. */
        public Options withPrecision(Precision value) {
            return new Options(context, value);
        }
    }

    /**
     * The directory a model argument names: {@code hf:DIR} or a plain path. A hub id that is not a
     * local directory fails: the machine is offline.
     *
     * @param spec the argument
     * @return the directory, which holds a config.json
     */
    public static Path resolve(String spec) {
        String path = spec.startsWith(SCHEME) ? spec.substring(SCHEME.length()) : spec;
        Path dir = Path.of(path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path);
        if (!Files.isDirectory(dir)) {
            boolean hubId = path.matches("[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*");
            throw new IllegalArgumentException(
                    hubId
                            ? "'" + spec
                                    + "' looks like a model hub id, but this machine is offline and gold never downloads:"
                                    + " pass a local directory that holds the checkpoint (config.json, *.safetensors, tokenizer.json)"
                            : "model directory " + dir + " does not exist; pass a Hugging Face model directory");
        }
        return dir;
    }

    /** Whether a directory looks like a Hugging Face model (it holds a config.json with a model_type). */
    public static boolean isCheckpoint(Path dir) {
        return Files.isRegularFile(dir.resolve(HfConfigReader.FILE));
    }

    /**
     * Loads a checkpoint.
     *
     * @param spec the directory, as {@code hf:DIR} or a plain path
     * @param manager where the parameters live
     * @param options context and precision
     * @return the checkpoint
     */
    public static HfCheckpoint load(String spec, NDManager manager, Options options) {
        Path dir = resolve(spec);
        HfConfig config = HfConfigReader.read(dir, options.context());
        DataType type = options.precision().on(manager.getDevice());
        CheckpointTokenizer tokenizer = CheckpointTokenizer.load(dir, eosIds(dir));
        try {
            tokenizer.checkVocab(config.vocab());
            try (HfWeights weights = HfWeights.open(dir)) {
                return new HfCheckpoint(dir, config, HfLoader.load(config, weights, manager, type), tokenizer);
            }
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    /**
     * The stop ids transformers' generate would use: generation_config.json's eos_token_id (a number
     * or a list) when that file exists, else config.json's, else null (the tokenizer's eos token).
     */
    static int[] eosIds(Path dir) {
        Path generation = dir.resolve(GENERATION);
        if (Files.isRegularFile(generation)) {
            return ids(read(generation).get("eos_token_id"));
        }
        JsonObject config = read(dir.resolve(HfConfigReader.FILE));
        return config.has("eos_token_id") ? ids(config.get("eos_token_id")) : null;
    }

    private static int[] ids(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return new int[0];
        }
        if (e.isJsonArray()) {
            JsonArray a = e.getAsJsonArray();
            int[] out = new int[a.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = a.get(i).getAsInt();
            }
            return out;
        }
        return new int[] {e.getAsInt()};
    }

    static JsonObject read(Path file) {
        try {
            return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
                    .getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException(file + " is not a JSON object; copy the checkpoint's file again");
        }
    }
}
