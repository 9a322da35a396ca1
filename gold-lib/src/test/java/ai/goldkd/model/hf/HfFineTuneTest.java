package ai.goldkd.model.hf;

import ai.djl.ndarray.NDManager;
import ai.goldkd.hf.HfWeights;
import ai.goldkd.model.Sampler;
import ai.goldkd.model.SamplingConfig;
import ai.goldkd.train.LmTraining;
import ai.goldkd.train.TrainConfig;
import ai.goldkd.train.TrainResult;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A checkpoint fine-tuned a few steps from --init writes an HF directory of its family that continues as gold samples it. */
class HfFineTuneTest {

    @TempDir
    Path tmp;

    private static final List<String> DOCS = List.of(
            "the movie was good and the acting was great",
            "i hated the plot but liked the music",
            "a very long film with a dull story",
            "this actor is fun and the scene is short",
            "the end of the film was awful");

    @Test
    void aFusedHeadFineTuneEndsAtTheLogitsPathsWeights() throws Exception {
        TrainConfig train =
                TrainConfig.defaults().withSteps(4, 0).withBatch(2, 1).withLearningRate(1e-2f, 1e-3f);
        for (String fixture : new String[] {"llama3-f32", "gpt2-f32"}) { // an untied head, a tied one
            String init = "hf:" + HfFixtures.dir(fixture);
            Path whole = tmp.resolve(fixture + "-whole");
            Path fused = tmp.resolve(fixture + "-fused");
            LmTraining.fineTune(DOCS, init, 0, train, 0, whole, 0);
            LmTraining.fineTune(DOCS, init, 0, train, 0, fused, 7);
            try (HfWeights a = HfWeights.open(whole);
                    HfWeights b = HfWeights.open(fused)) {
                assertEquals(a.names(), b.names());
                for (String name : a.names()) {
                    float[] x = a.floats(name);
                    float[] y = b.floats(name);
                    // GPT-2's key bias adds q.b_k to every score of a query, which softmax ignores: its gradient
                    // is 0 in exact arithmetic, so Adam's update there is the sign of rounding noise, either path
                    int[] skip = name.endsWith("attn.c_attn.bias") ? new int[] {x.length / 3, 2 * x.length / 3} : null;
                    for (int i = 0; i < x.length; i++) {
                        if (skip != null && i >= skip[0] && i < skip[1]) {
                            continue;
                        }
                        // AdamW divides by sqrt(v): a gradient near 0 shows its summation order, hence 1e-4
                        assertEquals(x[i], y[i], 1e-4f, fixture + " " + name + "[" + i + "]");
                    }
                }
            }
        }
    }

    @Test
    void aFineTunedLlamaExportsAndTheReferenceContinuesAsGoldDoes() throws Exception {
        Path out = tmp.resolve("tuned");
        TrainConfig train =
                TrainConfig.defaults().withSteps(4, 0).withBatch(2, 1).withLearningRate(1e-2f, 1e-3f);
        TrainResult result = LmTraining.fineTune(DOCS, "hf:" + HfFixtures.dir("llama3-f32"), 0, train, 0, out, 0);
        assertEquals(4, result.steps());
        Path source = HfFixtures.dir("llama3-f32");
        try (HfWeights before = HfWeights.open(source);
                HfWeights after = HfWeights.open(out)) {
            assertEquals(before.names(), after.names());
            assertFalse(
                    Arrays.equals(
                            before.floats("model.layers.0.mlp.up_proj.weight"),
                            after.floats("model.layers.0.mlp.up_proj.weight")),
                    "training changed the weights");
        }
        List<int[]> ours = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            HfCheckpoint tuned = HfCheckpoint.load(out.toString(), manager, HfCheckpoint.Options.defaults());
            Sampler sampler = new Sampler(tuned.model(), tuned.tokenizer());
            for (String prompt :
                    new String[] {"the movie was", "i liked the acting but not the plot", "a very long film"}) {
                int[] cached = sampler.generate(List.of(prompt), SamplingConfig.greedy(8))
                        .get(0)
                        .tokens();
                int[] full = sampler.generate(
                                List.of(prompt), SamplingConfig.greedy(8).withCache(false))
                        .get(0)
                        .tokens();
                assertArrayEquals(cached, full, "cached and uncached decoding of the fine-tuned model");
                ours.add(cached);
            }
            tuned.tokenizer().close();
        }
        // The PyTorch reference reads the export with HF's names; it needs Debian's python3-torch.
        Path python = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(python) && hasTorch(python), "no /usr/bin/python3 with torch");
        Path script = HfFixtures.dir("make_checkpoints.py");
        Process p = new ProcessBuilder(python.toString(), script.toString(), "--check", out.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "the reference failed");
        JsonArray reference = JsonParser.parseString(json).getAsJsonArray();
        for (int i = 0; i < reference.size(); i++) {
            JsonObject r = reference.get(i).getAsJsonObject();
            int[] theirs = HfFixtures.ints(r.getAsJsonArray("greedy_no_eos"));
            // gold stops at an eos id (2 or 3); the reference's continuation without stops must agree up to it.
            assertArrayEquals(
                    Arrays.copyOf(theirs, ours.get(i).length),
                    ours.get(i),
                    r.get("text").getAsString());
        }
    }

    private static boolean hasTorch(Path python) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(python.toString(), "-c", "import torch")
                .redirectErrorStream(true)
                .start();
        p.getInputStream().readAllBytes();
        return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
}
