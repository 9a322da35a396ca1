package ai.goldkd.model.hf;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The checkpoints and golden outputs make_checkpoints.py wrote from HF's modeling conventions. */
final class HfFixtures {

    /** Every fixture: each family and stored dtype. */
    static final String[] NAMES = {
        "llama3-f32", "llama-linear-f16", "mistral-bf16", "qwen2-f16", "qwen3-bf16", "gpt2-f32", "gpt2-bf16"
    };

    private HfFixtures() {}

    static Path dir(String name) {
        try {
            return Path.of(HfFixtures.class.getResource("/hf/lm/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A writable copy of a fixture, for tests that damage it. */
    static Path copy(String name, Path into) {
        Path target = into.resolve(name);
        try (Stream<Path> files = Files.list(dir(name))) {
            Files.createDirectories(target);
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, target.resolve(f.getFileName()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    static JsonObject golden(String name) {
        try {
            return JsonParser.parseString(Files.readString(
                            dir("golden.json").getParent().resolve("golden.json"), StandardCharsets.UTF_8))
                    .getAsJsonObject()
                    .getAsJsonObject(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int[] ints(JsonArray a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsInt();
        }
        return out;
    }

    static float[] floats(JsonArray a) {
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsFloat();
        }
        return out;
    }

    /** The largest |a - b| over max |b|: the relative disagreement of two logit tables. */
    static double relativeError(float[] actual, float[] expected) {
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
        }
        return worst / scale;
    }
}
