package ai.goldkd.train;

import ai.goldkd.io.OutputMode;
import ai.goldkd.io.RunLock;
import ai.goldkd.model.Positions;
import ai.goldkd.model.TransformerConfig;
import ai.goldkd.tokenizer.Tokenizers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code gold lm train}'s run directory: nothing overwritten, one writer, reproducible, clean resumes. */
class LmTrainingTest {

    private static final TransformerConfig SHAPE =
            new TransformerConfig(1, 16, 2, 32, 1, 16, 0.1f, Positions.LEARNED, true);
    private static final List<String> DOCS = List.of(
            "the cat sat on the mat",
            "a dog ran in the park",
            "the sun is warm today",
            "rain falls on the roof",
            "birds sing in the morning",
            "we read a good book");

    private static TrainConfig steps(int n) {
        return TrainConfig.defaults()
                .withSteps(n, 1)
                .withBatch(2, 1)
                .withEvaluation(4, 0)
                .withLogEvery(1)
                .withSeed(7);
    }

    private static TrainResult train(Path out, TransformerConfig shape, int steps, OutputMode mode) {
        return LmTraining.train(DOCS, Tokenizers.bytes(), shape, steps(steps), 0.2, out, mode, 0);
    }

    @Test
    void theFusedHeadTrainsLikeTheLogitsPath(@TempDir Path tmp) throws IOException {
        TrainConfig fast = steps(8).withLearningRate(1e-2f, 1e-3f);
        TrainResult whole =
                LmTraining.train(DOCS, Tokenizers.bytes(), SHAPE, fast, 0.2, tmp.resolve("whole"), OutputMode.NEW, 0);
        // 5 positions a chunk: the batches' 2 x 16 positions end in a partial chunk
        TrainResult fused =
                LmTraining.train(DOCS, Tokenizers.bytes(), SHAPE, fast, 0.2, tmp.resolve("fused"), OutputMode.NEW, 5);
        List<Double> a = values(tmp.resolve("whole/metrics.csv"), "train_loss");
        List<Double> b = values(tmp.resolve("fused/metrics.csv"), "train_loss");
        assertEquals(8, a.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i), b.get(i), 1e-5 * Math.max(1, a.get(i)), "train_loss at step " + i);
        }
        assertTrue(a.get(7) < a.get(0) - 0.1, "the runs learned: " + a);
        List<Double> evalA = values(tmp.resolve("whole/metrics.csv"), "eval_score");
        assertEquals(2, evalA.size(), "held-out loss at steps 4 and 8");
        List<Double> evalB = values(tmp.resolve("fused/metrics.csv"), "eval_score");
        for (int i = 0; i < evalA.size(); i++) {
            assertEquals(evalA.get(i), evalB.get(i), 1e-5 * Math.max(1, evalA.get(i)), "held-out loss " + i);
        }
        assertEquals(whole.bestStep(), fused.bestStep());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> LmTraining.train(
                        DOCS, Tokenizers.bytes(), SHAPE, steps(2), 0.2, tmp.resolve("neg"), OutputMode.NEW, -1));
        assertTrue(e.getMessage().contains("fused head chunk = -1"), e.getMessage());
        assertTrue(Files.notExists(tmp.resolve("neg")), "nothing written for a refused setting");
    }

    private static List<Double> values(Path csv, String metric) throws IOException {
        return Files.readAllLines(csv).stream()
                .filter(l -> l.contains("," + metric + ","))
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(',') + 1)))
                .toList();
    }

    @Test
    void aFinishedRunIsNotOverwrittenWithoutOverwrite(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("lm");
        train(out, SHAPE, 8, OutputMode.NEW);
        byte[] best = Files.readAllBytes(out.resolve("best/model.params"));
        List<String> metrics = Files.readAllLines(out.resolve("metrics.csv"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> train(out, SHAPE, 2, OutputMode.NEW));
        assertTrue(
                e.getMessage().contains("--resume")
                        && e.getMessage().contains("--overwrite")
                        && e.getMessage().contains("best/"),
                e.getMessage());
        assertArrayEquals(best, Files.readAllBytes(out.resolve("best/model.params")), "best/ untouched");
        assertEquals(metrics, Files.readAllLines(out.resolve("metrics.csv")), "metrics untouched");

        train(out, SHAPE, 2, OutputMode.OVERWRITE);
        assertEquals(Set.of(0L, 1L), steps(out.resolve("metrics.csv")), "only the new run's steps");
    }

    @Test
    void overwriteDeletesOnlyARunDirectory(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("notes");
        Files.createDirectories(out);
        Files.writeString(out.resolve("thesis.txt"), "precious");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> train(out, SHAPE, 2, OutputMode.OVERWRITE));
        assertTrue(e.getMessage().contains("not a run directory"), e.getMessage());
        assertEquals("precious", Files.readString(out.resolve("thesis.txt")));
    }

    @Test
    void oneSeedGivesBitIdenticalRuns(@TempDir Path tmp) throws IOException {
        train(tmp.resolve("a"), SHAPE, 6, OutputMode.NEW);
        train(tmp.resolve("b"), SHAPE, 6, OutputMode.NEW);
        assertArrayEquals(
                Files.readAllBytes(tmp.resolve("a/model.params")),
                Files.readAllBytes(tmp.resolve("b/model.params")),
                "same seed, same weights");
        assertEquals(losses(tmp.resolve("a/metrics.csv")), losses(tmp.resolve("b/metrics.csv")));
    }

    @Test
    void aResumedRunWritesEachStepOnceAndRefusesAnotherShape(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("lm");
        train(out, SHAPE, 8, OutputMode.NEW);
        // AdamW's state is written beside each checkpoint, with the checkpoint's step
        assertEquals("8", stepsIn(out.resolve(OptimizerState.FILE)));
        String bestStep = stepsIn(out.resolve("best").resolve(OptimizerState.FILE));
        // as after a kill between the checkpoints of steps 4 and 8: the latest checkpoint is step 4's (a
        // 4-step run's), metrics.csv already holds steps 4 to 7, and a write was cut off
        Path four = tmp.resolve("four");
        train(four, SHAPE, 4, OutputMode.NEW);
        for (String f : List.of("model.params", "model.json", OptimizerState.FILE)) {
            Files.copy(four.resolve(f), out.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(out.resolve("model.params.tmp"), "half a file");
        IllegalArgumentException shape = assertThrows(
                IllegalArgumentException.class, () -> train(out, SHAPE.withLayers(2), 8, OutputMode.RESUME));
        assertTrue(shape.getMessage().contains("layers 1 in the checkpoint, 2 asked"), shape.getMessage());

        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream said = new java.io.ByteArrayOutputStream();
        TrainResult resumed;
        System.setErr(new java.io.PrintStream(said, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            resumed = train(out, null, 8, OutputMode.RESUME);
        } finally {
            System.setErr(err);
        }
        assertEquals(8, resumed.steps());
        assertFalse(
                said.toString(java.nio.charset.StandardCharsets.UTF_8).contains("moments start at zero"),
                "the step-4 checkpoint's AdamW state was restored: " + said);
        assertTrue(bestStep.equals("4") || bestStep.equals("8"), "best's state has its checkpoint's step: " + bestStep);
        assertEquals("8", stepsIn(out.resolve(OptimizerState.FILE)), "the resumed run wrote its own state");
        List<String> keys = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("metrics.csv"))
                .subList(1, Files.readAllLines(out.resolve("metrics.csv")).size())) {
            String[] c = line.split(",");
            keys.add(c[1] + "," + c[2] + "," + c[3]);
        }
        assertEquals(new HashSet<>(keys).size(), keys.size(), "no (iteration, step, metric) twice: " + keys);
        assertEquals(Set.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L), steps(out.resolve("metrics.csv")));
        try (Stream<Path> files = Files.walk(out)) {
            assertEquals(
                    List.of(), files.filter(p -> p.toString().endsWith(".tmp")).toList(), "orphans removed");
        }
    }

    @Test
    void aSecondWriterIsRefusedWhileTheFirstHoldsTheDirectory(@TempDir Path tmp) {
        Path out = tmp.resolve("lm");
        try (RunLock held = RunLock.acquire(out)) {
            IllegalStateException e =
                    assertThrows(IllegalStateException.class, () -> train(out, SHAPE, 2, OutputMode.NEW));
            assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
        }
        assertEquals(2, train(out, SHAPE, 2, OutputMode.NEW).steps(), "free again once released");
    }

    private static String stepsIn(Path optimizerState) {
        try (ai.goldkd.hf.SafetensorsFile f = ai.goldkd.hf.SafetensorsFile.open(optimizerState)) {
            assertTrue(
                    f.tensors().size() > 3,
                    "moments of every parameter: " + f.tensors().keySet());
            return f.metadata().get("steps");
        }
    }

    private static Set<Long> steps(Path csv) throws IOException {
        Set<Long> out = new HashSet<>();
        for (String line :
                Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size())) {
            out.add(Long.parseLong(line.split(",")[2]));
        }
        return out;
    }

    private static List<String> losses(Path csv) throws IOException {
        return Files.readAllLines(csv).stream()
                .filter(l -> l.contains(",train_loss,"))
                .map(l -> l.substring(l.indexOf(',')))
                .toList(); // the run name column differs
    }
}
