package ai.goldkd.gold;

import ai.goldkd.config.Budget;
import ai.goldkd.data.Example;
import ai.goldkd.data.Split;
import ai.goldkd.data.TaskCatalog;
import ai.goldkd.offline.ArithmeticRunDiagnostics;
import ai.goldkd.ood.SelectorKind;
import ai.goldkd.teacher.Completion;
import ai.goldkd.teacher.GenerationRequest;
import ai.goldkd.teacher.Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The GOLD loop on the seq2seq arithmetic task, with a language-model student. */
class GoldSeq2SeqLoopTest {

    /**
     * Writes real training problems back, chosen by the request's seed, in the reply format an LLM
     * gives to the generation prompt (the body is pre-filled): deterministic, so runs can be compared.
     */
    static final class ReplayTeacher implements Generator {
        private final List<Example> problems;

        ReplayTeacher() {
            TaskCatalog catalog = TaskCatalog.locate();
            problems = catalog.examples(catalog.task("arithmetic-answer"), Split.TRAIN);
        }

        @Override
        public List<Completion> generate(GenerationRequest request) {
            Example p = problems.get(new java.util.Random(request.seed()).nextInt(problems.size()));
            String text =
                    " " + p.get("body") + "\nquestion: " + p.get("question") + "\nanswer: " + p.get("answer") + "\n";
            return List.of(new Completion(text, null, null, null, "stop"));
        }
    }

    private static GoldConfig smoke() {
        GoldConfig gold = GoldConfig.preset("gold", Budget.SMOKE);
        return gold.withTask("arithmetic-answer")
                .withStudent(gold.student().withKind(StudentKind.SEQUENCE))
                .withTestSize(24)
                .withLoop(gold.loop().withUpdateEpochs(2))
                .withFinalStudent(gold.finalStudent().withEpochs(2));
    }

    private static GoldConfig oneIteration() {
        return smoke().withLoop(smoke().loop().withIterations(1));
    }

    private static List<Iteration> runAll(GoldLoop loop) {
        List<Iteration> out = new ArrayList<>();
        while (loop.hasNext()) {
            out.add(loop.next());
        }
        return out;
    }

    @Test
    void runsOnArithmeticScoresBySequenceEnergyAndReportsFamilies(@TempDir Path dir) throws Exception {
        GoldConfig config = smoke().withTeacher(TeacherSpec.offline(TeacherKind.ARITHMETIC_WRITER));
        GoldLoop loop = GoldLoop.start(config, ai.goldkd.offline.ArithmeticWriters.writer(), dir);
        List<Iteration> its = runAll(loop);
        assertEquals(config.loop().iterations(), its.size());
        for (Iteration it : its) {
            assertFalse(
                    it.validation().isEmpty(),
                    "iteration " + it.index() + " kept no validation sample: " + it.rejects());
            for (GeneratedSample s : it.validation()) {
                assertTrue(Float.isFinite(s.energy()), "energy of " + s.id() + " is " + s.energy());
                assertTrue(
                        s.sample().has("answer") && !s.sample().has("label"),
                        s.sample().fields().toString());
            }
            float[] e = it.energies();
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (float v : e) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            assertTrue(max > min, "every validation sample got the same energy " + min + " at iteration " + it.index());
        }
        // feedback from iteration 0 is shown at iteration 2, and the writer's problems are mostly well formed
        assertTrue(its.get(2).feedbackShown() && !its.get(0).feedback().isEmpty(), "no feedback went back");
        double accepted = its.stream().mapToDouble(it -> it.metric("accepted")).sum();
        double asked = its.stream().mapToDouble(it -> it.metric("generated")).sum();
        assertTrue(accepted >= 0.9 * asked, accepted + " of " + asked + " generations accepted");
        Iteration first = its.get(0);
        assertTrue(
                first.metrics().containsKey("student_accuracy"),
                first.metrics().keySet().toString());
        assertTrue(
                first.metrics().keySet().stream().anyMatch(k -> k.startsWith("student_accuracy_")),
                "no per-family accuracy in " + first.metrics().keySet());
        assertFalse(first.metrics().containsKey("spread"), "a language model student has no feature space to spread");
        RunResult result = loop.finish();
        assertTrue(result.accuracy() >= 0 && result.accuracy() <= 1, "accuracy " + result.accuracy());
        assertFalse(result.slices().isEmpty(), "the final result has no per-family accuracy");
        assertTrue(Files.exists(dir.resolve("final/student/model.params")), "the final student was not saved");
        assertTrue(
                Files.exists(dir.resolve("student/update-000/metrics.csv")), "the loop's first update left no metrics");
        assertEquals(
                result,
                RunDirectory.open(dir).result(),
                "result.json holds what finish() returned, dropped count included");
        assertTrue(result.dropped() > 0, "the noise filter dropped nothing");
        String json = Files.readString(dir.resolve("config.json"));
        assertTrue(
                json.contains("\"kind\": \"sequence\"") && json.contains("\"layers\": 2"),
                "config.json names the student and its shape: " + json);
        tech.tablesaw.api.Table why = ArithmeticRunDiagnostics.of("arithmetic-answer", config.testSize())
                .table(List.of(dir));
        assertEquals(1, why.rowCount());
        double correct = why.doubleColumn("correct").get(0);
        assertTrue(correct > 0.5 && correct <= 1, "share of the writer's samples judged correct: " + correct);
        assertEquals(result.accuracy(), why.doubleColumn("accuracy").get(0), 1e-4);
    }

    @Test
    void aResumedRunEqualsAnUninterruptedOne(@TempDir Path whole, @TempDir Path cut) {
        GoldConfig config = smoke().withLoop(smoke().loop().withIterations(3))
                .withFinalStudent(smoke().finalStudent().withNoiseDrop(0.0));
        RunResult uninterrupted = Gold.run(config, new ReplayTeacher(), whole, it -> {});
        GoldLoop first = GoldLoop.start(config, new ReplayTeacher(), cut);
        first.next();
        first.next();
        first.loopStudent().close(); // the process "dies" after two iterations
        GoldLoop resumed = GoldLoop.resume(cut, new ReplayTeacher());
        assertEquals(2, resumed.iterations().size());
        RunResult after = resumed.finish();
        assertEquals(uninterrupted.accuracy(), after.accuracy(), "resumed final accuracy");
        assertEquals(uninterrupted.finalLoss(), after.finalLoss(), "resumed final loss");
        ai.goldkd.data.Task task = TaskCatalog.locate().task("arithmetic-answer");
        List<Iteration> a = RunDirectory.open(whole).completedIterations(task);
        List<Iteration> b = RunDirectory.open(cut).completedIterations(task);
        assertEquals(3, b.size());
        for (int t = 0; t < a.size(); t++) {
            assertTrue(
                    java.util.Arrays.equals(a.get(t).energies(), b.get(t).energies()),
                    "energies of iteration " + t + " differ after the resume");
        }
    }

    @Test
    void aSampleLongerThanTheStudentsContextIsRejectedNotFatal(@TempDir Path dir) {
        ReplayTeacher real = new ReplayTeacher();
        String longBody = " Sam had 24 marbles and 31 stickers and 12 cards and 40 coins in a big old box under"
                + " the bed in the house by the lake. He gave 7 marbles to Umar and 3 cards to Leo and 5 coins to Mia.";
        Generator mixed = request -> request.seed() % 2 == 0
                ? real.generate(request)
                : List.of(new Completion(
                        longBody + "\nquestion: How many marbles, of all the ones he had in the box,"
                                + " does Sam have left now after giving some away?\nanswer: 24 - 7 = 17. The answer is 17.\n",
                        null,
                        null,
                        null,
                        "stop"));
        GoldLoop loop = GoldLoop.start(oneIteration(), mixed, dir);
        Iteration it = loop.next();
        List<Reject> tooLong =
                it.rejects().stream().filter(r -> r.reason().equals("too-long")).toList();
        assertFalse(tooLong.isEmpty(), "no too-long reject in " + it.rejects());
        assertTrue(tooLong.get(0).detail().contains("tokens"), tooLong.get(0).detail());
        assertFalse(it.train().isEmpty(), "the problems that fit were lost too");
        assertEquals((double) tooLong.size(), it.metric("rejected_too-long"));
    }

    @Test
    void aWhiteBoxTeacherMakesTheFinalStudentLearnByTokenKd(@TempDir Path dir, @TempDir Path teacherDir)
            throws Exception {
        try (ai.goldkd.student.SequenceStudent teacher = ai.goldkd.student.SequenceStudent.create(
                new ai.goldkd.student.SequenceStudentConfig(null, 1, 32, 2, 192, 16, 1e-3f, 48), 3)) {
            teacher.save(teacherDir); // any language model with the student's (byte) tokenizer will do
        }
        GoldConfig config =
                oneIteration().withFinalStudent(smoke().finalStudent().withWhiteBoxTeacher(teacherDir.toString()));
        RunResult result = Gold.run(config, new ReplayTeacher(), dir, it -> {});
        assertTrue(result.accuracy() >= 0);
        String finalRegime = Files.readString(dir.resolve("final/updates/update-000/distillation.json"));
        assertTrue(finalRegime.contains("supervised_kd"), finalRegime);
        String loopRegime = Files.readString(dir.resolve("student/update-000/distillation.json"));
        assertTrue(loopRegime.contains("\"sft\""), "the loop's student learns from the answers: " + loopRegime);
    }

    @Test
    void influenceNeedsAClassifierAndSaysWhatToUse(@TempDir Path dir) {
        GoldConfig config = oneIteration().withFeedback(smoke().feedback().withSelector(SelectorKind.INFLUENCE));
        GoldLoop loop = GoldLoop.start(config, new ReplayTeacher(), dir);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, loop::next);
        assertTrue(e.getMessage().contains("band"), e.getMessage());
    }
}
