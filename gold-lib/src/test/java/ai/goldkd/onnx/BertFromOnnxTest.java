package ai.goldkd.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.goldkd.hf.HfWeights;
import ai.goldkd.model.bert.BertConfig;
import ai.goldkd.model.bert.BertEncoder;
import ai.goldkd.model.bert.Pooling;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The converter on a tiny BERT that make_onnx.py exported with torch.onnx.export (anonymous, transposed
 * MatMul matrices, as in the real all-MiniLM-L6-v2 export): the converted directory loads as an encoder
 * whose hidden states match the exported module's on a padded batch.
 */
class BertFromOnnxTest {

    @TempDir
    Path tmp;

    private Path resource(String name) throws IOException {
        Path file = tmp.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/onnx/" + name)) {
            Files.copy(in, file);
        }
        return file;
    }

    private Path tokenizer() throws IOException {
        return Files.writeString(
                tmp.resolve("tokenizer.json"), "{\"model\": {\"type\": \"WordPiece\", \"vocab\": {}}}");
    }

    private static float[] flat(JsonElement e) {
        List<Float> out = new ArrayList<>();
        flatten(e, out);
        float[] a = new float[out.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = out.get(i);
        }
        return a;
    }

    private static void flatten(JsonElement e, List<Float> out) {
        if (e.isJsonArray()) {
            e.getAsJsonArray().forEach(x -> flatten(x, out));
        } else {
            out.add(e.getAsFloat());
        }
    }

    private static long[] longs(JsonElement e) {
        float[] f = flat(e);
        long[] out = new long[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = (long) f[i];
        }
        return out;
    }

    @Test
    void convertedExportMatchesTheExportedModule() throws IOException {
        JsonObject golden;
        try (InputStream in = getClass().getResourceAsStream("/onnx/tiny-bert.json")) {
            golden = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .getAsJsonObject();
        }
        Path target = tmp.resolve("tiny-bert");
        BertConfig config = BertFromOnnx.convert(resource("tiny-bert.onnx"), tokenizer(), target, Pooling.MEAN);
        assertEquals(golden.get("heads").getAsInt(), config.heads(), "heads read from the attention's Reshape");
        assertEquals(2, config.layers());
        assertEquals(20, config.intermediateSize());
        assertEquals(1e-12f, config.layerNormEps());
        assertEquals(Pooling.MEAN, Pooling.read(target));
        assertTrue(Files.isRegularFile(target.resolve("tokenizer.json")));
        try (HfWeights weights = HfWeights.open(target)) {
            assertEquals(
                    new Shape(20, 12),
                    weights.info("encoder.layer.0.intermediate.dense.weight").shape(),
                    "Hugging Face's (out, in)");
        }
        Shape shape = new Shape(2, 8);
        try (NDManager manager = NDManager.newBaseManager()) {
            BertEncoder encoder = BertEncoder.load(target, manager);
            NDArray hidden = encoder.hidden(
                    new ParameterStore(manager, false),
                    manager.create(longs(golden.get("input_ids")), shape),
                    manager.create(longs(golden.get("token_type_ids")), shape),
                    manager.create(longs(golden.get("attention_mask")), shape),
                    false);
            float[] expected = flat(golden.get("last_hidden_state"));
            float[] actual = hidden.toFloatArray();
            assertEquals(expected.length, actual.length);
            float worst = 0;
            for (int i = 0; i < expected.length; i++) {
                worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
            }
            assertTrue(worst < 2e-5f, "max |diff| " + worst);
        }
    }

    @Test
    void refusesAnExistingTargetAndKeepsIt() throws IOException {
        Path target = Files.createDirectories(tmp.resolve("taken"));
        Files.writeString(target.resolve("keep.txt"), "mine");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> BertFromOnnx.convert(resource("tiny-bert.onnx"), tokenizer(), target, Pooling.MEAN));
        assertTrue(e.getMessage().contains("exists already"), e.getMessage());
        assertEquals("mine", Files.readString(target.resolve("keep.txt")));
    }

    @Test
    void aTruncatedFileFailsNamingIt() throws IOException {
        Path whole = resource("tiny-bert.onnx");
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(tmp.resolve("cut.onnx"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> BertFromOnnx.convert(cut, tokenizer(), tmp.resolve("out"), Pooling.MEAN));
        assertTrue(e.getMessage().contains("cut.onnx is not a valid ONNX file"), e.getMessage());
        assertTrue(Files.notExists(tmp.resolve("out")) && Files.notExists(tmp.resolve("out.partial")));
    }
}
