package ai.goldkd.model.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.goldkd.hf.DType;
import ai.goldkd.hf.HfWeights;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DistilBERT against make_distilbert.py, a PyTorch DistilBERT written from Hugging Face's
 * modeling_distilbert.py: the same weights (a DistilBertForSequenceClassification checkpoint, names
 * under a distilbert. prefix, no token types) give the same hidden states and pooled embeddings on a
 * padded batch.
 */
class DistilBertEncoderTest {

    @TempDir
    Path tmp;

    private Path fixture() throws IOException {
        Path dir = tmp.resolve("distilbert");
        for (String file : List.of("config.json", "model.safetensors", "1_Pooling/config.json")) {
            Path target = dir.resolve(file);
            Files.createDirectories(target.getParent());
            try (InputStream in = getClass().getResourceAsStream("/bert/distilbert/" + file)) {
                Files.copy(in, target);
            }
        }
        return dir;
    }

    private static JsonObject golden() throws IOException {
        try (InputStream in = DistilBertEncoderTest.class.getResourceAsStream("/bert/distilbert_golden.json")) {
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .getAsJsonObject();
        }
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

    private static void assertClose(float[] expected, float[] actual, float tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": sizes");
        float worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst < tolerance, what + ": max |diff| " + worst + " >= " + tolerance);
    }

    @Test
    void matchesTheReferenceOnAPaddedBatch() throws IOException {
        JsonObject golden = golden();
        Path dir = fixture();
        BertConfig config = BertConfig.read(dir);
        assertEquals(EncoderFamily.DISTILBERT, config.family());
        assertEquals(16, config.hiddenSize());
        assertEquals(24, config.intermediateSize());
        assertEquals(Pooling.MEAN, Pooling.read(dir));
        Shape shape = new Shape(3, 10);
        try (NDManager manager = NDManager.newBaseManager()) {
            BertEncoder encoder = BertEncoder.load(dir, manager);
            NDArray ids = manager.create(longs(golden.get("input_ids")), shape);
            NDArray mask = manager.create(longs(golden.get("attention_mask")), shape);
            NDArray hidden = encoder.hidden(new ParameterStore(manager, false), ids, null, mask, false);
            assertEquals(new Shape(3, 10, 16), hidden.getShape());
            assertClose(flat(golden.get("last_hidden_state")), hidden.toFloatArray(), 2e-5f, "hidden");
            assertClose(
                    flat(golden.get("mean")), Pooling.MEAN.pool(hidden, mask).toFloatArray(), 2e-5f, "mean");
            assertClose(flat(golden.get("cls")), Pooling.CLS.pool(hidden, mask).toFloatArray(), 2e-5f, "cls");
        }
    }

    @Test
    void savesUnderDistilBertsNamesAndLoadsBackToTheSameNumbers() throws IOException {
        JsonObject golden = golden();
        Shape shape = new Shape(3, 10);
        Path saved = tmp.resolve("saved");
        try (NDManager manager = NDManager.newBaseManager()) {
            BertEncoder encoder = BertEncoder.load(fixture(), manager);
            encoder.save(saved, DType.F32);
            try (HfWeights weights = HfWeights.open(saved)) {
                assertTrue(weights.has("transformer.layer.1.attention.q_lin.weight"));
                assertTrue(weights.has("transformer.layer.0.output_layer_norm.bias"));
                assertFalse(weights.has("embeddings.token_type_embeddings.weight"), "DistilBERT has no token types");
                assertFalse(weights.has("encoder.layer.0.attention.self.query.weight"));
            }
            JsonObject json = JsonParser.parseString(Files.readString(saved.resolve("config.json")))
                    .getAsJsonObject();
            assertEquals("distilbert", json.get("model_type").getAsString());
            assertEquals(16, json.get("dim").getAsInt());
            BertEncoder again = BertEncoder.load(saved, manager);
            NDArray ids = manager.create(longs(golden.get("input_ids")), shape);
            NDArray mask = manager.create(longs(golden.get("attention_mask")), shape);
            ParameterStore ps = new ParameterStore(manager, false);
            assertClose(
                    flat(golden.get("last_hidden_state")),
                    again.hidden(ps, ids, null, mask, false).toFloatArray(),
                    2e-5f,
                    "saved and loaded");
        }
    }

    @Test
    void refusesAnotherActivationNamingIt() throws IOException {
        Path dir = fixture();
        String config = Files.readString(dir.resolve("config.json"));
        Files.writeString(
                dir.resolve("config.json"), config.replace("\"activation\": \"gelu\"", "\"activation\": \"relu\""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BertConfig.read(dir));
        assertTrue(e.getMessage().contains("activation relu is not supported"), e.getMessage());
    }

    @Test
    void mapsEveryLayerTensorAndLeavesEmbeddingsAlone() {
        assertEquals(
                "transformer.layer.3.ffn.lin1.bias",
                EncoderFamily.DISTILBERT.checkpointName("encoder.layer.3.intermediate.dense.bias"));
        assertEquals(
                "transformer.layer.0.sa_layer_norm.weight",
                EncoderFamily.DISTILBERT.checkpointName("encoder.layer.0.attention.output.LayerNorm.weight"));
        assertEquals("embeddings.LayerNorm.bias", EncoderFamily.DISTILBERT.checkpointName("embeddings.LayerNorm.bias"));
        assertEquals(
                "encoder.layer.0.output.dense.weight",
                EncoderFamily.BERT.checkpointName("encoder.layer.0.output.dense.weight"));
    }
}
