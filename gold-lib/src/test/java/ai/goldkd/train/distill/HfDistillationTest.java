package ai.goldkd.train.distill;

import ai.djl.ndarray.NDManager;
import ai.goldkd.data.Split;
import ai.goldkd.data.Task;
import ai.goldkd.data.TaskCatalog;
import ai.goldkd.hf.DType;
import ai.goldkd.model.Sampler;
import ai.goldkd.model.SamplingConfig;
import ai.goldkd.model.hf.HfCheckpoint;
import ai.goldkd.model.hf.HfExport;
import ai.goldkd.model.hf.TinyCheckpoint;
import ai.goldkd.train.MetricsLog;
import ai.goldkd.train.Schedule;
import ai.goldkd.train.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * gold distill with Hugging Face directories: a tiny Llama teacher into a tinier Llama student with the
 * same tokenizer (both written by {@link TinyCheckpoint}); the divergence falls, the student is saved as a
 * Hugging Face directory, and its export loads back and continues exactly as the trained student answered.
 */
class HfDistillationTest {

    @TempDir
    Path tmp;

    @Test
    void aTinyHfTeacherDistilsIntoATinierHfStudentThatExportsAndContinuesIdentically() throws Exception {
        Path teacher = TinyCheckpoint.llama(2, 32, 4, 2, 64).write(tmp.resolve("teacher"), 1);
        Path student = TinyCheckpoint.llama(1, 16, 2, 1, 32).write(tmp.resolve("student"), 2);
        Path out = tmp.resolve("run");
        DistillRun run = DistillRun.defaults()
                .withTeacher("hf:" + teacher)
                .withStudent(StudentSpec.fromCheckpoint(student.toString()))
                .withValidation(4)
                .withLimits(36, 6)
                .withEvalBatch(6)
                .withConfig(DistillationConfig.defaults()
                        .withRegime(Regime.SUPERVISED_KD)
                        .withMaxNewTokens(6)
                        .withTrain(new TrainConfig(2e-2f, 2e-3f, 0f, 2, 24, Schedule.COSINE, 4, 1, 1f, 0, 0, 7L, 1)));
        DistillRun.Outcome outcome = run.run(out);
        assertEquals(24, outcome.train().train().steps());

        Table m = MetricsLog.read(out.resolve("metrics.csv"));
        List<Double> divergence = new ArrayList<>();
        for (int r = 0; r < m.rowCount(); r++) {
            if (m.stringColumn("metric").get(r).equals("divergence")) {
                divergence.add(m.numberColumn("value").getDouble(r));
            }
        }
        assertTrue(divergence.size() == 24, "divergence rows: " + divergence.size());
        double first = mean(divergence.subList(0, 5));
        double last = mean(divergence.subList(divergence.size() - 5, divergence.size()));
        assertTrue(last < 0.7 * first, "divergence " + first + " -> " + last + " should fall");

        // The student is a Hugging Face llama directory in model/, config.json of the run left as it was.
        Path model = out.resolve("model");
        assertTrue(Files.readString(model.resolve("config.json")).contains("\"model_type\": \"llama\""));
        assertTrue(Files.readString(out.resolve("config.json")).contains("\"teacher\""));
        Path exported =
                HfExport.write(load(model).model(), load(model).tokenizer(), model, tmp.resolve("export"), DType.F32);
        List<String> prompts = List.of("12 + 7 =", "What is 3 times 4?", "a");
        try (NDManager manager = NDManager.newBaseManager()) {
            HfCheckpoint saved = HfCheckpoint.load(model.toString(), manager, HfCheckpoint.Options.defaults());
            HfCheckpoint back = HfCheckpoint.load(exported.toString(), manager, HfCheckpoint.Options.defaults());
            // the saved student answers the test prompts exactly as the trained one did
            TaskCatalog catalog = TaskCatalog.locate();
            Task task = catalog.task("arithmetic-answer");
            List<PromptExample> test =
                    PromptExample.of(task, catalog.examples(task, Split.TEST)).subList(0, 6);
            assertEquals(
                    outcome.accuracy().predictions(),
                    AnswerAccuracy.evaluate(saved.model(), saved.tokenizer(), test, 6, 6)
                            .predictions());
            for (String p : prompts) {
                int[] a = new Sampler(saved.model(), saved.tokenizer())
                        .generate(List.of(p), SamplingConfig.greedy(8))
                        .get(0)
                        .tokens();
                int[] b = new Sampler(back.model(), back.tokenizer())
                        .generate(List.of(p), SamplingConfig.greedy(8))
                        .get(0)
                        .tokens();
                assertArrayEquals(a, b, "the export continues '" + p + "' as the distilled student does");
            }
        }
    }

    @Test
    void aHubIdIsRefusedSayingTheMachineIsOffline() {
        DistillRun run = DistillRun.defaults()
                .withTeacher("Qwen/Qwen2.5-0.5B")
                .withLimits(8, 2)
                .withValidation(2)
                .withConfig(DistillationConfig.defaults().withRegime(Regime.SUPERVISED_KD));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run.run(tmp.resolve("r")));
        assertTrue(e.getMessage().contains("offline") && e.getMessage().contains("local directory"), e.getMessage());
        DistillRun student = DistillRun.defaults()
                .withStudent(StudentSpec.fromCheckpoint("hf:Qwen/Qwen2.5-0.5B"))
                .withLimits(8, 2)
                .withValidation(2)
                .withConfig(DistillationConfig.defaults().withRegime(Regime.SFT));
        e = assertThrows(IllegalArgumentException.class, () -> student.run(tmp.resolve("s")));
        assertTrue(e.getMessage().contains("offline"), e.getMessage());
        assertTrue(!Files.exists(tmp.resolve("r")) && !Files.exists(tmp.resolve("s")), "nothing written");
    }

    private HfCheckpoint load(Path dir) {
        return HfCheckpoint.load(dir.toString(), NDManager.newBaseManager(), HfCheckpoint.Options.defaults());
    }

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
