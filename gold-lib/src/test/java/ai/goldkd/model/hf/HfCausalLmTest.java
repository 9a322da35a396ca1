package ai.goldkd.model.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.goldkd.model.Generation;
import ai.goldkd.model.Sampler;
import ai.goldkd.model.SamplingConfig;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every family and stored dtype against the PyTorch reference make_checkpoints.py wrote from HF's
 * modeling conventions: prompt ids, logits at every position, greedy continuations (cached and not).
 */
class HfCausalLmTest {

    private static final double TOLERANCE = 1e-4;

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
    void logitsAndGreedyContinuationsMatchTheReference(String name) {
        JsonObject golden = HfFixtures.golden(name);
        try (NDManager manager = NDManager.newBaseManager()) {
            HfCheckpoint checkpoint =
                    HfCheckpoint.load("hf:" + HfFixtures.dir(name), manager, HfCheckpoint.Options.defaults());
            HfDecoder model = checkpoint.model();
            assertArrayEquals(
                    HfFixtures.ints(golden.getAsJsonArray("eos")),
                    checkpoint.tokenizer().stopIds(),
                    name);
            List<int[]> prompts = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            for (JsonElement e : golden.getAsJsonArray("prompts")) {
                JsonObject p = e.getAsJsonObject();
                int[] ids = HfFixtures.ints(p.getAsJsonArray("ids"));
                String text = p.get("text").getAsString();
                assertArrayEquals(ids, checkpoint.tokenizer().encodePrompt(text), name + ": prompt ids of " + text);
                prompts.add(ids);
                texts.add(text);
                try (NDManager scope = manager.newSubManager()) {
                    NDArray logits = model.logits(
                            new ParameterStore(scope, false),
                            scope.create(toLongs(ids), new Shape(1, ids.length)),
                            null,
                            false);
                    double err = HfFixtures.relativeError(
                            logits.toFloatArray(), HfFixtures.floats(p.getAsJsonArray("logits")));
                    assertTrue(err < TOLERANCE, name + ": logits of '" + text + "' differ by " + err + " relative");
                }
            }
            int steps = golden.getAsJsonArray("prompts")
                    .get(0)
                    .getAsJsonObject()
                    .getAsJsonArray("greedy_no_eos")
                    .size();
            Sampler sampler = new Sampler(model, checkpoint.tokenizer());
            for (boolean cache : new boolean[] {true, false}) {
                SamplingConfig config = SamplingConfig.greedy(steps).withCache(cache);
                List<Generation> one = new ArrayList<>();
                for (String text : texts) {
                    one.add(sampler.generate(List.of(text), config).get(0));
                }
                // Batched: prompts of different lengths left-padded in one batch.
                List<Generation> batched = sampler.generate(texts, config);
                for (int i = 0; i < texts.size(); i++) {
                    int[] expected = HfFixtures.ints(golden.getAsJsonArray("prompts")
                            .get(i)
                            .getAsJsonObject()
                            .getAsJsonArray("greedy"));
                    assertArrayEquals(
                            expected, one.get(i).tokens(), name + " cache=" + cache + ": '" + texts.get(i) + "'");
                    assertArrayEquals(expected, batched.get(i).tokens(), name + " batched cache=" + cache);
                }
            }
            checkpoint.tokenizer().close();
        }
    }

    private static long[] toLongs(int[] ids) {
        long[] out = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = ids[i];
        }
        return out;
    }
}
