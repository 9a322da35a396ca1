package ai.goldkd.model.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.goldkd.hf.DType;
import ai.goldkd.hf.HfWeights;
import ai.goldkd.model.CausalLm;
import ai.goldkd.model.Positions;
import ai.goldkd.model.Sampler;
import ai.goldkd.model.SamplingConfig;
import ai.goldkd.model.TransformerConfig;
import ai.goldkd.tokenizer.HfTokenizer;
import ai.goldkd.tokenizer.Tokenizers;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Export: an HF checkpoint loaded in gold writes back the same tensors under HF's names, and gold's
 * own CausalLm writes as GPT-2 whose logits the PyTorch reference (reading HF's names) reproduces.
 */
class HfExportTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "llama3-f32",
                "llama-linear-f16",
                "mistral-bf16",
                "qwen2-f16",
                "qwen3-bf16",
                "gpt2-f32",
                "gpt2-bf16"
            })
    void aLoadedCheckpointExportsBackToItsFamily(String name) throws IOException {
        Path source = HfFixtures.dir(name);
        Path out = tmp.resolve("export");
        try (NDManager manager = NDManager.newBaseManager()) {
            HfCheckpoint checkpoint = HfCheckpoint.load(source.toString(), manager, HfCheckpoint.Options.defaults());
            DType stored = HfExport.sourceType(source);
            HfExport.write(checkpoint.model(), checkpoint.tokenizer(), source, out, stored);
            checkpoint.tokenizer().close();
        }
        try (HfWeights in = HfWeights.open(source);
                HfWeights back = HfWeights.open(out)) {
            for (String tensor : in.names()) {
                String bare = tensor.startsWith("transformer.") ? tensor.substring("transformer.".length()) : tensor;
                assertTrue(back.has(bare), name + ": the export lacks " + bare);
                assertEquals(in.info(tensor).shape(), back.info(bare).shape(), bare);
                assertEquals(in.info(tensor).dtype(), back.info(bare).dtype(), bare);
                assertArrayEquals(in.floats(tensor), back.floats(bare), name + ": " + bare);
            }
            assertEquals(in.names().size(), back.names().size(), name + ": tensor count");
        }
        JsonObject a = json(source.resolve("config.json"));
        JsonObject b = json(out.resolve("config.json"));
        assertEquals(a, b, name + ": config.json");
        assertEquals(
                Files.readString(source.resolve("tokenizer.json")), Files.readString(out.resolve("tokenizer.json")));
        assertEquals(HfCheckpoint.eosIds(source) == null, HfCheckpoint.eosIds(out) == null);
    }

    @Test
    void ownCausalLmExportsAsGpt2AndTheReferenceAgrees() throws IOException {
        JsonArray golden = JsonParser.parseString(
                        Files.readString(HfFixtures.dir("causal-lm-gpt2.json"), StandardCharsets.UTF_8))
                .getAsJsonArray();
        Path out = tmp.resolve("gpt2");
        HfTokenizer tokenizer =
                Tokenizers.huggingFace(HfFixtures.dir("gpt2-f32").resolve("tokenizer.json"));
        try (NDManager manager = NDManager.newBaseManager()) {
            CausalLm lm = deterministic(manager, tokenizer.vocabSize());
            CausalLmExport.write(lm, tokenizer, out, DType.F32);
            Path keep = Path.of("target", "causal-lm-export");
            if (System.getenv("GOLD_KEEP_EXPORT") != null) {
                copyTree(out, keep);
            }
            HfCheckpoint back = HfCheckpoint.load(out.toString(), manager, HfCheckpoint.Options.defaults());
            Sampler ours = new Sampler(lm, tokenizer);
            Sampler exported = new Sampler(back.model(), back.tokenizer());
            for (JsonElement e : golden) {
                JsonObject p = e.getAsJsonObject();
                String text = p.get("text").getAsString();
                int[] ids = HfFixtures.ints(p.getAsJsonArray("ids"));
                assertArrayEquals(ids, back.tokenizer().encodePrompt(text), "the export's tokenizer encodes as gold");
                assertArrayEquals(ids, tokenizer.encodePrompt(text));
                float[] expected = HfFixtures.floats(p.getAsJsonArray("logits"));
                // Issue 15's reference-logits check: gold's CausalLm against the PyTorch GPT-2 reference.
                double ownErr = HfFixtures.relativeError(logits(lm, manager, ids), expected);
                assertTrue(ownErr < 1e-4, "CausalLm vs the reference: " + ownErr);
                double backErr = HfFixtures.relativeError(logits(back.model(), manager, ids), expected);
                assertTrue(backErr < 1e-4, "the export reloaded vs the reference: " + backErr);
                int[] greedy = HfFixtures.ints(p.getAsJsonArray("greedy_no_eos"));
                SamplingConfig config = SamplingConfig.greedy(greedy.length);
                assertArrayEquals(
                        greedy,
                        prefix(ours.generate(List.of(text), config).get(0).tokens(), greedy.length));
                assertArrayEquals(
                        ours.generate(List.of(text), config).get(0).tokens(),
                        exported.generate(List.of(text), config).get(0).tokens());
            }
            back.tokenizer().close();
        }
    }

    @Test
    void aRotaryCausalLmSaysWhyItCannotBeExported() {
        HfTokenizer tokenizer =
                Tokenizers.huggingFace(HfFixtures.dir("gpt2-f32").resolve("tokenizer.json"));
        try (NDManager manager = NDManager.newBaseManager()) {
            CausalLm lm = new CausalLm(
                            new TransformerConfig(1, 16, 4, 32, tokenizer.vocabSize(), 32, 0f, Positions.ROTARY, true))
                    .initialize(manager);
            String m = assertThrows(
                            IllegalArgumentException.class,
                            () -> CausalLmExport.write(lm, tokenizer, tmp.resolve("x"), DType.F32))
                    .getMessage();
            assertTrue(m.contains("rotary") && m.contains("RMSNorm") && m.contains("--positions learned"), m);
        }
    }

    /** A CausalLm with learned positions and weights from a seeded SplittableRandom (the same on every JVM). */
    static CausalLm deterministic(NDManager manager, int vocab) {
        CausalLm lm = new CausalLm(new TransformerConfig(2, 16, 4, 40, vocab, 32, 0f, Positions.LEARNED, false))
                .initialize(manager);
        java.util.SplittableRandom random = new java.util.SplittableRandom(17);
        List<Pair<String, Parameter>> all = new java.util.ArrayList<>();
        lm.getParameters().forEach(all::add);
        lm.getChildren().values().forEach(child -> child.getParameters().forEach(all::add));
        for (Pair<String, Parameter> p : all) {
            NDArray array = p.getValue().getArray();
            float[] values = new float[(int) array.size()];
            boolean gain = p.getKey().endsWith("gamma");
            for (int i = 0; i < values.length; i++) {
                double s = random.nextDouble(-1, 1);
                values[i] = (float) (gain ? 1 + 0.2 * s : 0.4 * s);
            }
            array.set(values);
        }
        return lm;
    }

    private static float[] logits(ai.goldkd.model.LanguageModel model, NDManager manager, int[] ids) {
        try (NDManager scope = manager.newSubManager()) {
            long[] longs = new long[ids.length];
            for (int i = 0; i < ids.length; i++) {
                longs[i] = ids[i];
            }
            return model.logits(
                            new ParameterStore(scope, false),
                            scope.create(longs, new Shape(1, ids.length)),
                            null,
                            false)
                    .toFloatArray();
        }
    }

    private static int[] prefix(int[] a, int n) {
        return java.util.Arrays.copyOf(a, Math.min(n, a.length));
    }

    private static JsonObject json(Path file) throws IOException {
        JsonObject o = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
                .getAsJsonObject();
        o.remove("torch_dtype");
        return o;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
