package ai.goldkd.model.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.goldkd.nd.Scalars;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How an encoder's hidden states become one vector per text, as sentence-transformers' {@code Pooling}
 * module does it: the mean over real tokens, or the first ({@code [CLS]}) token's state.
 */
public enum Pooling {
    /** The mean of the hidden states over real tokens (padding excluded). */
    MEAN,
    /** The hidden state of the first token, {@code [CLS]}. */
    CLS;

    /** The sentence-transformers pooling config inside a checkpoint directory. */
    public static final String FILE = "1_Pooling/config.json";

    /**
     * Pools hidden states.
     *
     * @param hidden (B, T, D)
     * @param mask (B, T) 1 for real tokens, 0 for padding
     * @return (B, D)
     */
    public NDArray pool(NDArray hidden, NDArray mask) {
        if (this == CLS) {
            return hidden.get(new NDIndex(":, 0, :")); // (B, D)
        }
        NDArray m = mask.toType(hidden.getDataType(), false).expandDims(-1); // (B, T, 1)
        return hidden.mul(m).sum(new int[] {1}).div(Scalars.maximum(m.sum(new int[] {1}), 1e-9)); // (B, D)
    }

    /** The name in settings and files: {@code mean} or {@code cls}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The pooling a setting names.
     *
     * @param name {@code mean} or {@code cls}
     * @return the pooling
     */
    public static Pooling parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "mean" -> MEAN;
            case "cls" -> CLS;
            default -> throw new IllegalArgumentException("pooling '" + name + "' is unknown; use mean or cls");
        };
    }

    /**
     * The pooling a checkpoint's {@code 1_Pooling/config.json} asks for.
     *
     * @param dir the checkpoint directory
     * @return the pooling, or null when the directory has no pooling config
     * @throws IllegalArgumentException when the config asks for a mode gold does not implement (max,
     *     mean-sqrt-len, weighted, last token) or for none or several
     */
    public static Pooling read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        JsonObject json;
        try {
            json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
                    .getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException(
                    file + " is not a JSON object; copy the checkpoint's pooling config again");
        }
        for (String unsupported : new String[] {
            "pooling_mode_max_tokens",
            "pooling_mode_mean_sqrt_len_tokens",
            "pooling_mode_weightedmean_tokens",
            "pooling_mode_lasttoken"
        }) {
            if (flag(json, unsupported)) {
                throw new IllegalArgumentException(
                        file + ": " + unsupported + " is not supported; gold pools by mean or"
                                + " [CLS] (set pooling to mean or cls in the student's settings to override)");
            }
        }
        boolean mean = flag(json, "pooling_mode_mean_tokens");
        boolean cls = flag(json, "pooling_mode_cls_token");
        if (mean == cls) {
            throw new IllegalArgumentException(file + " sets " + (mean ? "both" : "neither") + " of"
                    + " pooling_mode_mean_tokens and pooling_mode_cls_token; set exactly one");
        }
        return mean ? MEAN : CLS;
    }

    /**
     * Writes a sentence-transformers pooling config for this mode.
     *
     * @param dir the checkpoint directory
     * @param dimension the embedding width
     */
    public void write(Path dir, int dimension) {
        JsonObject json = new JsonObject();
        json.addProperty("word_embedding_dimension", dimension);
        json.addProperty("pooling_mode_cls_token", this == CLS);
        json.addProperty("pooling_mode_mean_tokens", this == MEAN);
        json.addProperty("pooling_mode_max_tokens", false);
        json.addProperty("pooling_mode_mean_sqrt_len_tokens", false);
        Path file = dir.resolve(FILE);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, json.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static boolean flag(JsonObject json, String key) {
        return json.has(key) && json.get(key).getAsBoolean();
    }
}
