package ai.goldkd.model.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.goldkd.hf.DType;
import com.google.gson.JsonArray;
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
 * The encoder against make_bert.py, a PyTorch BERT written from Hugging Face's modeling_bert.py: the same
 * weights (F32, and F16 under a bert. prefix) give the same hidden states and pooled embeddings on a
 * padded batch with two token types.
 */
class BertEncoderTest {

    @TempDir
    Path tmp;

    private Path fixture(String name) throws IOException {
        Path dir = tmp.resolve(name);
        for (String file : List.of("config.json", "model.safetensors", "1_Pooling/config.json")) {
            Path target = dir.resolve(file);
            Files.createDirectories(target.getParent());
            try (InputStream in = getClass().getResourceAsStream("/bert/" + name + "/" + file)) {
                Files.copy(in, target);
            }
        }
        return dir;
    }

    static JsonObject golden() throws IOException {
        try (InputStream in = BertEncoderTest.class.getResourceAsStream("/bert/golden.json")) {
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
            for (JsonElement x : e.getAsJsonArray()) {
                flatten(x, out);
            }
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

    private void checkParity(String name, Pooling expectedPooling) throws IOException {
        JsonObject golden = golden();
        Path dir = fixture(name);
        assertEquals(expectedPooling, Pooling.read(dir), "the pooling config of " + name);
        JsonArray rows = golden.getAsJsonArray("input_ids");
        Shape shape = new Shape(rows.size(), rows.get(0).getAsJsonArray().size());
        JsonObject expected = golden.getAsJsonObject(name);
        boolean roberta = name.equals("roberta");
        try (NDManager manager = NDManager.newBaseManager()) {
            BertEncoder encoder = BertEncoder.load(dir, manager);
            NDArray ids = manager.create(longs((roberta ? expected : golden).get("input_ids")), shape);
            NDArray types = roberta ? null : manager.create(longs(golden.get("token_type_ids")), shape);
            NDArray mask = manager.create(longs(golden.get("attention_mask")), shape);
            NDArray hidden = encoder.hidden(new ParameterStore(manager, false), ids, types, mask, false);
            assertEquals(new Shape(shape.get(0), shape.get(1), 16), hidden.getShape());
            assertClose(flat(expected.get("last_hidden_state")), hidden.toFloatArray(), 2e-5f, name + " hidden");
            assertClose(
                    flat(expected.get("mean")), Pooling.MEAN.pool(hidden, mask).toFloatArray(), 2e-5f, name + " mean");
            assertClose(
                    flat(expected.get("cls")), Pooling.CLS.pool(hidden, mask).toFloatArray(), 2e-5f, name + " cls");
        }
    }

    @Test
    void matchesTheReferenceOnF32Weights() throws IOException {
        checkParity("f32", Pooling.MEAN);
    }

    @Test
    void matchesTheReferenceOnF16WeightsWithABertPrefix() throws IOException {
        checkParity("f16", Pooling.CLS);
    }

    @Test
    void matchesTheReferenceOnARobertaCheckpoint() throws IOException {
        checkParity("roberta", Pooling.MEAN);
        assertEquals(
                EncoderFamily.ROBERTA, BertConfig.read(tmp.resolve("roberta")).family());
    }

    @Test
    void savedEncoderLoadsBackToTheSameNumbers() throws IOException {
        JsonObject golden = golden();
        Path dir = fixture("f32");
        Shape shape = new Shape(3, 10);
        try (NDManager manager = NDManager.newBaseManager()) {
            BertEncoder encoder = BertEncoder.load(dir, manager);
            encoder.save(tmp.resolve("saved"), DType.F32);
            BertEncoder again = BertEncoder.load(tmp.resolve("saved"), manager);
            NDArray ids = manager.create(longs(golden.get("input_ids")), shape);
            NDArray mask = manager.create(longs(golden.get("attention_mask")), shape);
            ParameterStore ps = new ParameterStore(manager, false);
            assertClose(
                    encoder.hidden(ps, ids, null, mask, false).toFloatArray(),
                    again.hidden(ps, ids, null, mask, false).toFloatArray(),
                    1e-6f,
                    "saved and loaded");
        }
    }

    @Test
    void refusesACausalLanguageModelByName() throws IOException {
        Path dir = tmp.resolve("llama");
        Files.createDirectories(dir);
        Files.writeString(
                dir.resolve("config.json"), "{\"model_type\": \"llama\", \"architectures\": [\"LlamaForCausalLM\"]}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BertConfig.read(dir));
        assertTrue(e.getMessage().contains("causal language model (model_type llama)"), e.getMessage());
    }

    @Test
    void refusesUnsupportedSettingsNamingThem() throws IOException {
        Path dir = fixture("f32");
        String config = Files.readString(dir.resolve("config.json"));
        Files.writeString(dir.resolve("config.json"), config.replace("\"absolute\"", "\"relative_key\""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BertConfig.read(dir));
        assertTrue(e.getMessage().contains("position_embedding_type relative_key"), e.getMessage());
        Files.writeString(dir.resolve("config.json"), config.replace("\"bert\"", "\"deberta-v2\""));
        e = assertThrows(IllegalArgumentException.class, () -> BertConfig.read(dir));
        assertTrue(e.getMessage().contains("model_type deberta-v2 is not supported"), e.getMessage());
        Files.writeString(dir.resolve(Pooling.FILE), "{\"pooling_mode_max_tokens\": true}");
        e = assertThrows(IllegalArgumentException.class, () -> Pooling.read(dir));
        assertTrue(e.getMessage().contains("pooling_mode_max_tokens"), e.getMessage());
    }
}
