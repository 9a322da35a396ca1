package ai.goldkd.gold;

import ai.goldkd.config.Budget;
import ai.goldkd.data.ImdbReviews;
import ai.goldkd.data.Jsonl;
import ai.goldkd.offline.RunDiagnostics;
import ai.goldkd.teacher.Completion;
import ai.goldkd.teacher.GenerationRequest;
import ai.goldkd.teacher.Generator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GoldLoopTest {

    /**
     * A deterministic stand-in teacher: it writes a short review with the requested label from a word
     * list, reuses a word of the prompt's last example (so feedback shows in the output), and writes a
     * too-short answer for one seed in nine (a reject).
     */
    static final class WordTeacher implements Generator {
        private static final Pattern LABEL = Pattern.compile("with label (\\w+)");
        private static final String[] GOOD = {"great", "wonderful", "moving", "superb", "charming"};
        private static final String[] BAD = {"awful", "boring", "dull", "terrible", "clumsy"};
        private static final String[] THINGS = {"plot", "acting", "music", "ending", "camera", "script"};
        int calls;

        @Override
        public List<Completion> generate(GenerationRequest request) {
            calls++;
            Matcher m = LABEL.matcher(request.prompt());
            String label = "positive";
            while (m.find()) {
                label = m.group(1);
            }
            Random r = new Random(request.seed());
            if (r.nextInt(9) == 0) {
                return List.of(new Completion(" meh\n", null, null, null, "stop"));
            }
            String[] words = label.equals("positive") ? GOOD : BAD;
            String[] lines = request.prompt().split("\n");
            String echo = "";
            for (String line : lines) {
                if (line.matches("\\s*\\d+\\. text: .*")) {
                    String[] w = line.trim().split(" ");
                    echo = w[w.length - 1].replaceAll("[^a-z]", "");
                }
            }
            String text = " The " + THINGS[r.nextInt(THINGS.length)] + " was " + words[r.nextInt(words.length)]
                    + " and the " + THINGS[r.nextInt(THINGS.length)] + " was " + words[r.nextInt(words.length)]
                    + ", a " + echo + " film number " + r.nextInt(1000) + ".";
            return List.of(new Completion(text + "\n", null, null, null, "stop"));
        }
    }

    @BeforeAll
    static void needsImdb() {
        Assumptions.assumeTrue(Files.exists(ImdbReviews.file()), "IMDB not installed (environment/gold setup)");
    }

    private static GoldConfig smoke(String preset) {
        return GoldConfig.preset(preset, Budget.SMOKE)
                .withTestSize(300)
                .withTeacher(TeacherSpec.endpoint("http://127.0.0.1:1/v1", "test"));
    }

    @Test
    void runsTheLoopAndWritesEverythingItMakes(@TempDir Path dir) throws Exception {
        GoldConfig config = smoke("gold");
        WordTeacher teacher = new WordTeacher();
        GoldLoop loop = GoldLoop.start(config, teacher, dir);
        List<Iteration> its = new ArrayList<>();
        while (loop.hasNext()) {
            its.add(loop.next());
        }
        assertEquals(config.loop().iterations(), its.size());
        assertEquals(config.sampleBudget(), teacher.calls);
        Set<String> validationIds = new HashSet<>();
        for (Iteration it : its) {
            assertEquals(it.metric("generated"), it.metric("accepted") + it.metric("rejected"));
            // the teacher's cost: a plain Generator is counted by the loop, one call per sample asked
            assertEquals(it.metric(GoldMetrics.GENERATED), it.metric(GoldMetrics.TEACHER_CALLS));
            assertEquals(0.0, it.metric(GoldMetrics.TEACHER_RETRIES));
            assertEquals(0.0, it.metric(GoldMetrics.TEACHER_FAILURES));
            assertEquals(0.0, it.metric(GoldMetrics.TEACHER_PROMPT_TOKENS));
            assertTrue(it.metric(GoldMetrics.TEACHER_SECONDS) >= 0);
            assertEquals(it.rejects().size(), (int) it.metric("rejected"));
            it.rejects().forEach(r -> assertEquals("length", r.reason(), r.detail()));
            // band 50-80% of the validation batch: floor(0.5 n) .. floor(0.8 n) - 1 by energy rank
            int n = it.validation().size();
            assertEquals(
                    (int) Math.floor(0.8 * n) - (int) Math.floor(0.5 * n),
                    it.feedback().size());
            float[] sorted = it.energies().clone();
            java.util.Arrays.sort(sorted);
            assertEquals(sorted[(int) Math.floor(0.5 * n)], it.feedback().get(0).energy());
            // prompts show feedback only from earlier validation batches, every other iteration
            for (GeneratedSample s : it.train()) {
                assertTrue(validationIds.containsAll(s.feedback()), s.id() + " shows unknown feedback " + s.feedback());
                if (it.index() % 2 == 1) {
                    assertTrue(s.feedback().isEmpty(), "odd iterations show no feedback");
                }
            }
            it.validation().forEach(s -> validationIds.add(s.id()));
            assertEquals(
                    it.train().size(),
                    Jsonl.read(loop.directory().iterationDir(it.index()).resolve("train.jsonl"))
                            .size());
        }
        assertTrue(its.get(2).train().stream().anyMatch(s -> !s.feedback().isEmpty()), "iteration 2 shows feedback");
        assertTrue(its.get(0).metric("student_accuracy") > 0, "student scored on the real test set");
        RunResult result = loop.finish();
        int accepted = loop.samples().size();
        assertEquals(accepted - (int) Math.floor(0.1 * accepted), result.trainingSamples());
        assertEquals(
                result.dropped(), Jsonl.read(dir.resolve("final/dropped.jsonl")).size());
        assertTrue(Files.exists(dir.resolve("final/student.bin")));
        assertTrue(
                Files.readString(dir.resolve("metrics.csv").toFile().toPath()).contains("final_accuracy"));
    }

    @Test
    void zeroGenShowsNoFeedback(@TempDir Path dir) {
        GoldLoop loop = GoldLoop.start(smoke("zerogen"), new WordTeacher(), dir);
        while (loop.hasNext()) {
            Iteration it = loop.next();
            assertTrue(it.feedback().isEmpty());
            it.train().forEach(s -> assertTrue(s.feedback().isEmpty()));
        }
    }

    @Test
    void aKilledRunResumesToTheSameResult(@TempDir Path tmp) throws Exception {
        GoldConfig config = smoke("gold");
        RunResult straight = Gold.run(config, new WordTeacher(), tmp.resolve("a"), it -> {});

        Path b = tmp.resolve("b");
        GoldLoop first = GoldLoop.start(config, new WordTeacher(), b);
        first.next();
        first.next();
        first.next();
        // a kill during iteration 2: its metrics marker and feedback never written, a partial file left
        Path cut = first.directory().iterationDir(2);
        Files.delete(cut.resolve("metrics.json"));
        Files.delete(cut.resolve("feedback.jsonl"));
        Files.writeString(cut.resolve("validation.jsonl.tmp"), "{\"id\": \"half");
        WordTeacher second = new WordTeacher();
        RunResult resumed = Gold.run(config, second, b, it -> {});
        assertEquals(
                config.loop().trainBatch() * 2 + config.loop().validationBatch() * 2,
                second.calls,
                "only iterations 2 and 3 are generated again");
        assertEquals(straight, resumed);
        for (int t = 0; t < config.loop().iterations(); t++) {
            for (String f : List.of("train.jsonl", "validation.jsonl", "feedback.jsonl", "rejects.jsonl")) {
                assertEquals(
                        Files.readString(tmp.resolve("a")
                                .resolve("iterations")
                                .resolve(String.format("%04d", t))
                                .resolve(f)),
                        Files.readString(b.resolve("iterations")
                                .resolve(String.format("%04d", t))
                                .resolve(f)),
                        "iteration " + t + " " + f);
            }
        }
        List<String> metricLines = Files.readAllLines(b.resolve("metrics.csv"));
        assertEquals(metricLines.size(), new HashSet<>(metricLines).size(), "no metric row twice");
        // every metric but the wall times is the same as in the uninterrupted run
        assertEquals(withoutTimes(Files.readAllLines(tmp.resolve("a/metrics.csv"))), withoutTimes(metricLines));
        assertTrue(metricLines.stream().anyMatch(l -> l.contains(",seconds_teacher,")), "wall times are recorded");
    }

    private static List<String> withoutTimes(List<String> lines) {
        return lines.stream()
                .filter(l -> !l.contains(",seconds") && !l.contains(",teacher_seconds,"))
                .toList();
    }

    @Test
    void refusesToOverwriteARun(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "mine");
        Exception e = assertThrows(
                IllegalArgumentException.class, () -> GoldLoop.start(smoke("gold"), new WordTeacher(), dir));
        assertTrue(e.getMessage().contains("--resume"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("config.json")));
    }

    @Test
    void realDataBaselineTrainsOnRealReviews(@TempDir Path dir) {
        GoldConfig config = smoke("real-data");
        config = config.withLoop(config.loop().withIterations(40))
                .withFinalStudent(config.finalStudent().withEpochs(5));
        RunResult r = Gold.run(config, new WordTeacher(), dir, it -> {});
        assertEquals(960, r.trainingSamples());
        assertTrue(r.accuracy() > 0.7, "accuracy " + r.accuracy());
    }

    @Test
    void diagnosticsReadTheRunBackAndTheSavedStudentScoresAsBefore(@TempDir Path dir) {
        GoldConfig config = smoke("gold");
        RunResult result = Gold.run(config, new WordTeacher(), dir.resolve("gold-s1"), it -> {});
        ai.goldkd.data.Task task = ai.goldkd.data.TaskCatalog.locate().task(config.task());
        List<ai.goldkd.data.Example> train = ImdbReviews.load().subset(ai.goldkd.data.Split.TRAIN, 400);
        List<ai.goldkd.data.Example> test = ai.goldkd.data.TaskExamples.testSet(task, config.testSize());
        RunDiagnostics diagnostics =
                new RunDiagnostics(ai.goldkd.offline.TeacherHealth.fit(train, test, task.labelNames()), task, test);
        tech.tablesaw.api.Table table = diagnostics.table(List.of(dir.resolve("gold-s1")));
        assertEquals(1, table.rowCount());
        assertEquals("gold", table.stringColumn("method").get(0));
        assertEquals(
                result.accuracy(), table.doubleColumn("accuracy").get(0), 1e-4, "the loaded student scores as saved");
        double consistency = table.doubleColumn("consistency").get(0);
        assertTrue(consistency >= 0 && consistency <= 1, "consistency " + consistency);
        assertFalse(Double.isNaN(table.doubleColumn("consistency dropped").get(0)), "the filter dropped samples");
        assertTrue(table.doubleColumn("tail accuracy").get(0) >= 0);
    }

    @Test
    void runsOverRealHttpWithFaultsAndTheTeacherAnswersTheTestSet(@TempDir Path dir) {
        // The offline IMDB teacher behind gold's OpenAI-compatible server on loopback, a fifth of the
        // requests answered with faults: the loop's endpoint path end to end.
        ai.goldkd.teacher.ServerConfig serverConfig = ai.goldkd.teacher.ServerConfig.defaults()
                .withPort(0)
                .withFaults(ai.goldkd.teacher.Faults.parse("429:0.1,500:0.1", 5));
        try (ai.goldkd.teacher.OpenAiServer server = ai.goldkd.teacher.OpenAiServer.start(
                ai.goldkd.offline.ImdbTeachers.latentTopic(), "imdb", serverConfig)) {
            TeacherSpec spec = TeacherSpec.endpoint(server.baseUrl(), "imdb").withSampling(0.8f, 20, 1f);
            GoldConfig config =
                    GoldConfig.preset("gold", Budget.SMOKE).withTestSize(200).withTeacher(spec);
            try (GoldTeachers.Opened teacher = GoldTeachers.open(spec, false, dir.resolve("cache"))) {
                RunResult r = Gold.run(config, teacher.generator(), dir.resolve("gold"), it -> {});
                int accepted = RunDirectory.open(dir.resolve("gold"))
                        .completedIterations(ai.goldkd.data.TaskCatalog.locate().task(config.task()))
                        .stream()
                        .mapToInt(it -> it.train().size() + it.validation().size())
                        .sum();
                assertTrue(
                        accepted >= config.sampleBudget() * 0.9,
                        accepted + " of " + config.sampleBudget()
                                + " samples accepted: retries must recover the faulted requests");
                assertTrue(r.accuracy() > 0.5, "accuracy " + r.accuracy());
                // an endpoint's cost and health come from its client: calls, tokens, retries of the faults
                List<Iteration> its = RunDirectory.open(dir.resolve("gold"))
                        .completedIterations(ai.goldkd.data.TaskCatalog.locate().task(config.task()));
                double retries = its.stream()
                        .mapToDouble(it -> it.metric(GoldMetrics.TEACHER_RETRIES))
                        .sum();
                assertTrue(retries > 0, "the injected faults were retried and counted: " + retries);
                its.forEach(it -> assertEquals(it.metric(GoldMetrics.GENERATED), it.metric(GoldMetrics.TEACHER_CALLS)));
                assertTrue(
                        its.get(0).metric(GoldMetrics.TEACHER_COMPLETION_TOKENS) > 0,
                        "the server reports completion tokens");

                // teacher-fewshot: the teacher labels the test set; this teacher writes reviews, not labels,
                // so its answers name a label only by chance, and the result says so without failing.
                RunResult fewshot = Gold.run(
                        GoldConfig.preset("teacher-fewshot", Budget.SMOKE)
                                .withTestSize(50)
                                .withTeacher(spec),
                        teacher.generator(),
                        dir.resolve("fewshot"),
                        it -> {});
                assertTrue(fewshot.accuracy() >= 0 && fewshot.accuracy() <= 1);
                assertTrue(Files.exists(dir.resolve("fewshot/final/result.json")));
            }
            assertTrue(server.stats().faults() > 0, "faults were injected");
        }
    }

    @Test
    void configJsonNamesTheStudentAndReloadingItReproducesTheRun(@TempDir Path dir) throws Exception {
        GoldConfig config = smoke("gold");
        RunResult first = Gold.run(config, new WordTeacher(), dir.resolve("a"), it -> {});
        String json = Files.readString(dir.resolve("a/config.json"));
        assertTrue(json.contains("\"kind\": \"bag-of-ngrams\""), json);
        assertTrue(json.contains("\"buckets\": 65536"), "the student's settings are written: " + json);
        GoldConfig reloaded = GoldConfig.fromJson(json);
        assertEquals(config, reloaded);
        RunResult again = Gold.run(reloaded, new WordTeacher(), dir.resolve("b"), it -> {});
        assertEquals(first, again, "config.json alone reproduces the run");
    }

    @Test
    void aResumeWithEditedSettingsIsRefusedNamingTheKeys(@TempDir Path dir) throws Exception {
        GoldConfig config = smoke("gold");
        GoldLoop loop = GoldLoop.start(config, new WordTeacher(), dir);
        loop.next();
        Path file = dir.resolve("config.json");
        String original = Files.readString(file);
        Files.writeString(
                file,
                original.replace("\"iterations\": 4", "\"iterations\": 6")
                        .replace("\"trainBatch\": 16", "\"trainBatch\": 64"));
        IllegalArgumentException edited =
                assertThrows(IllegalArgumentException.class, () -> GoldLoop.resume(dir, new WordTeacher()));
        assertTrue(edited.getMessage().contains("loop.iterations 4 -> 6"), edited.getMessage());
        assertTrue(edited.getMessage().contains("loop.trainBatch 16 -> 64"), edited.getMessage());

        Files.writeString(file, original.replace("\"trainBatch\"", "\"trainBach\""));
        IllegalArgumentException typo =
                assertThrows(IllegalArgumentException.class, () -> GoldLoop.resume(dir, new WordTeacher()));
        assertTrue(typo.getMessage().contains("unknown key 'loop.trainBach'"), typo.getMessage());
        assertTrue(typo.getMessage().contains("nearest: loop.trainBatch"), typo.getMessage());

        // a finished run: the same refusal, and its result is not reported as if it matched
        Files.writeString(file, original);
        RunResult done = Gold.run(config, new WordTeacher(), dir, it -> {});
        Files.writeString(file, original.replace("\"iterations\": 4", "\"iterations\": 6"));
        IllegalArgumentException finished = assertThrows(IllegalArgumentException.class, () -> Gold.resume(dir));
        assertTrue(finished.getMessage().contains("loop.iterations 4 -> 6"), finished.getMessage());
        Files.writeString(file, original);
        assertEquals(done, RunDirectory.open(dir).result());
        IllegalArgumentException other = assertThrows(
                IllegalArgumentException.class, () -> Gold.run(config.withSeed(2), new WordTeacher(), dir, it -> {}));
        assertTrue(other.getMessage().contains("(seed)"), other.getMessage());
    }

    @Test
    void aStudentOfTheWrongKindForTheTaskIsRefusedWithTheFix(@TempDir Path dir) {
        GoldConfig config = smoke("gold");
        GoldConfig wrong = config.withStudent(config.student().withKind(StudentKind.SEQUENCE));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> GoldLoop.start(wrong, new WordTeacher(), dir));
        assertTrue(e.getMessage().contains("set student.kind to bag-of-ngrams"), e.getMessage());
    }
}
