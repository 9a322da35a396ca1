package ai.goldkd.gold;

import ai.goldkd.config.Budget;
import ai.goldkd.ood.SelectorKind;
import ai.goldkd.student.SequenceStudentConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GoldConfigTest {

    @Test
    void everyPresetBuildsAtEveryBudget() {
        for (Budget budget : Budget.values()) {
            for (Preset preset : Preset.values()) {
                GoldConfig c = GoldConfig.preset(preset, budget);
                assertEquals(preset.label(), c.name(), preset + " at " + budget);
                assertEquals("imdb-sentiment", c.task());
                assertTrue(c.sampleBudget() > 0);
                assertEquals(c, GoldConfig.preset(preset.label().toUpperCase(), budget), "preset names ignore case");
            }
        }
    }

    @Test
    void presetsDifferWhereThePaperSays() {
        GoldConfig gold = GoldConfig.preset("gold", Budget.SMALL);
        assertEquals(SelectorKind.BAND, gold.feedback().selector());
        assertEquals(0.5, gold.feedback().bandLow());
        assertEquals(0.8, gold.feedback().bandHigh());
        assertEquals(0.1, gold.finalStudent().noiseDrop());
        assertEquals(2, gold.feedback().every());
        assertEquals(StudentKind.BAG_OF_NGRAMS, gold.student().kind());
        GoldConfig zerogen = GoldConfig.preset("zerogen", Budget.SMALL);
        assertEquals(SelectorKind.NONE, zerogen.feedback().selector());
        assertEquals(0.0, zerogen.finalStudent().noiseDrop());
        assertEquals(false, zerogen.loop().oodPrompt());
        GoldConfig hot = GoldConfig.preset("zerogen-hot", Budget.SMALL);
        assertEquals(1.0f, hot.teacher().temperature());
        assertEquals(200, hot.teacher().topK());
        assertEquals(gold.teacher().temperature(), zerogen.teacher().temperature());
        assertEquals(
                SelectorKind.INFLUENCE,
                GoldConfig.preset("progen", Budget.SMALL).feedback().selector());
        assertEquals(
                SelectorKind.RANDOM,
                GoldConfig.preset("random", Budget.SMALL).feedback().selector());
        assertEquals(
                SelectorKind.TOP,
                GoldConfig.preset("top-energy", Budget.SMALL).feedback().selector());
        assertEquals(
                Method.REAL_DATA, GoldConfig.preset("real-data", Budget.SMALL).method());
        assertEquals(
                Method.TEACHER_FEWSHOT,
                GoldConfig.preset("teacher-fewshot", Budget.SMALL).method());
        assertEquals(Method.LOOP, gold.method());
        // Budgets change sizes, not methods.
        GoldConfig smoke = GoldConfig.preset("gold", Budget.SMOKE);
        GoldConfig paper = GoldConfig.preset("gold", Budget.PAPER);
        assertTrue(smoke.loop().iterations() < gold.loop().iterations()
                && gold.loop().iterations() < paper.loop().iterations());
        assertEquals(gold.feedback(), paper.feedback());
        assertEquals(gold, GoldConfig.defaults());
    }

    @Test
    void anUnknownPresetNamesThePresets() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> GoldConfig.load("goldd", Budget.SMALL));
        assertTrue(e.getMessage().contains("'goldd'"), e.getMessage());
        for (String p : Preset.labels()) {
            assertTrue(e.getMessage().contains(p), e.getMessage());
        }
    }

    @Test
    void loadReadsAPresetAndOverridesNestedKeys(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mine.json");
        Files.writeString(file, """
                {"preset": "zerogen", "name": "mine", "loop": {"iterations": 3}, "feedback": {"bandHigh": 0.9},
                 "teacher": {"kind": "endpoint", "baseUrl": "http://127.0.0.1:8000/v1", "model": "m",
                             "temperature": 0.7, "topK": 5, "topP": 0.95, "maxTokens": 64}}
                """);
        GoldConfig c = GoldConfig.load(file.toString(), Budget.SMOKE);
        GoldConfig zerogen = GoldConfig.preset("zerogen", Budget.SMOKE);
        TeacherSpec endpoint =
                new TeacherSpec(TeacherKind.ENDPOINT, "http://127.0.0.1:8000/v1", "m", 0.7f, 5, 0.95f, 64);
        assertEquals(
                zerogen.withName("mine")
                        .withLoop(zerogen.loop().withIterations(3))
                        .withFeedback(zerogen.feedback().withBand(0.5, 0.9))
                        .withTeacher(endpoint),
                c,
                "the rest comes from the preset");

        Path noPreset = dir.resolve("plain.json");
        Files.writeString(noPreset, "{\"seed\": 7}");
        assertEquals(
                GoldConfig.preset("gold", Budget.PAPER).withSeed(7),
                GoldConfig.load(noPreset.toString(), Budget.PAPER),
                "without a preset, gold is the start");
    }

    private static void assertMisspelt(Supplier<GoldConfig> path, String key, String nearest) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, path::get);
        assertTrue(e.getMessage().contains("unknown key '" + key + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("nearest: " + nearest), e.getMessage());
        assertTrue(e.getMessage().contains("fix the spelling"), e.getMessage());
    }

    @Test
    void aMisspeltKeyFailsOnTheFileCommandLineAndJavaPaths(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("typo.json");
        Files.writeString(file, "{\"preset\": \"gold\", \"loop\": {\"trainBach\": 64}}");
        assertMisspelt(() -> GoldConfig.load(file.toString(), Budget.SMALL), "loop.trainBach", "loop.trainBatch");
        IllegalArgumentException named =
                assertThrows(IllegalArgumentException.class, () -> GoldConfig.load(file.toString(), Budget.SMALL));
        assertTrue(named.getMessage().startsWith(file.toString()), named.getMessage());

        GoldConfig gold = GoldConfig.defaults();
        assertMisspelt(() -> gold.withSettings(List.of("loop.trainBach=64")), "loop.trainBach", "loop.trainBatch");
        assertEquals(64, gold.withSettings(List.of("loop.trainBatch=64")).loop().trainBatch());
        assertMisspelt(
                () -> GoldConfig.fromJson("{\"feedback\": {\"slector\": \"band\"}}"),
                "feedback.slector",
                "feedback.selector");
        assertMisspelt(() -> GoldConfig.overrides("{\"studnet\": {}}", Budget.SMOKE), "studnet", "student");
        // a flat key of the old layout points to where it lives now
        assertMisspelt(() -> GoldConfig.overrides("{\"bandLow\": 0.4}", Budget.SMOKE), "bandLow", "feedback.bandLow");
        assertMisspelt(
                () -> GoldConfig.overrides("{\"student\": {\"sequence\": {\"layrs\": 4}}}", Budget.SMOKE),
                "student.sequence.layrs",
                "student.sequence.layers");
    }

    @Test
    void numbersForIntegerSettingsMustBeWholeAndInRange() {
        IllegalArgumentException fraction = assertThrows(
                IllegalArgumentException.class,
                () -> GoldConfig.overrides("{\"loop\": {\"iterations\": 2.7}}", Budget.SMOKE));
        assertTrue(
                fraction.getMessage().contains("'loop.iterations' is 2.7, not a whole number"), fraction.getMessage());
        IllegalArgumentException big = assertThrows(
                IllegalArgumentException.class,
                () -> GoldConfig.overrides("{\"loop\": {\"iterations\": 1e12}}", Budget.SMOKE));
        assertTrue(big.getMessage().contains("'loop.iterations' is 1e12, out of range"), big.getMessage());
        IllegalArgumentException cli = assertThrows(
                IllegalArgumentException.class,
                () -> GoldConfig.defaults().withSettings(List.of("loop.trainBatch=2.5")));
        assertTrue(cli.getMessage().contains("not a whole number"), cli.getMessage());
        IllegalArgumentException quoted = assertThrows(
                IllegalArgumentException.class,
                () -> GoldConfig.overrides("{\"loop\": {\"iterations\": \"many\"}}", Budget.SMOKE));
        assertTrue(quoted.getMessage().contains("give a number"), quoted.getMessage());
        IllegalArgumentException selector = assertThrows(
                IllegalArgumentException.class,
                () -> GoldConfig.overrides("{\"feedback\": {\"selector\": \"foo\"}}", Budget.SMOKE));
        assertTrue(
                selector.getMessage().contains("not one of band, random, top, none, influence"), selector.getMessage());
    }

    @Test
    void badFilesAreRejectedWithTheirName(@TempDir Path dir) throws Exception {
        Path array = dir.resolve("array.json");
        Files.writeString(array, "[1, 2]");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> GoldConfig.load(array.toString(), Budget.SMALL));
        assertTrue(e.getMessage().contains("array.json"), e.getMessage());
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"loop\": ");
        IllegalArgumentException t =
                assertThrows(IllegalArgumentException.class, () -> GoldConfig.load(broken.toString(), Budget.SMALL));
        assertTrue(t.getMessage().contains("broken.json") && t.getMessage().contains("not valid JSON"), t.getMessage());
        assertThrows(
                java.io.UncheckedIOException.class,
                () -> GoldConfig.load(dir.resolve("absent.json").toString(), Budget.SMALL));
    }

    @Test
    void aNestedConfigRoundTripsThroughJson() {
        for (Preset preset : Preset.values()) {
            GoldConfig c = GoldConfig.preset(preset, Budget.SMALL);
            assertEquals(c, GoldConfig.fromJson(c.toJson()), preset.label());
        }
        GoldConfig progen = GoldConfig.preset("progen", Budget.SMOKE);
        GoldConfig custom = progen.withTemplates("/tmp/my templates")
                .withSeed(123456789012L)
                .withScorer(progen.scorer().withTemperature(0.25f))
                .withFeedback(progen.feedback().withBand(0.1, 0.35))
                .withTeacher(TeacherSpec.endpoint("http://127.0.0.1:9/v1", "llama"))
                .withTask("arithmetic-answer")
                .withStudent(progen.student()
                        .withKind(StudentKind.SEQUENCE)
                        .withSequence(SequenceStudentConfig.defaults().withInit("runs/distill/student-init")))
                .withFinalStudent(progen.finalStudent().withWhiteBoxTeacher("runs/teacher"));
        String json = custom.toJson();
        assertTrue(json.contains("\"templates\": \"/tmp/my templates\""), json);
        assertTrue(json.contains("\"selector\": \"influence\""), json);
        assertTrue(json.contains("\"kind\": \"sequence\""), json);
        assertTrue(json.contains("\"init\": \"runs/distill/student-init\""), json);
        assertTrue(json.contains("\"kind\": \"endpoint\""), json);
        assertEquals(custom, GoldConfig.fromJson(json));
        assertNull(GoldConfig.preset("gold", Budget.SMALL).templates());
        assertTrue(GoldConfig.preset("gold", Budget.SMALL).toJson().contains("\"templates\": null"));
    }

    private static void assertRejected(String expected, Supplier<GoldConfig> change) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, change::get);
        assertTrue(e.getMessage().contains(expected), "message should name " + expected + ": " + e.getMessage());
        assertTrue(e.getMessage().startsWith("GOLD config: "), e.getMessage());
    }

    @Test
    void invalidValuesGiveMessagesNamingTheValue() {
        GoldConfig b = GoldConfig.preset("gold", Budget.SMALL);
        FeedbackConfig f = b.feedback();
        LoopConfig l = b.loop();
        FinalStudentConfig s = b.finalStudent();
        assertRejected("[0.8, 0.8)", () -> b.withFeedback(f.withBand(0.8, 0.8)));
        assertRejected("[0.9, 0.8)", () -> b.withFeedback(f.withBand(0.9, 0.8)));
        assertRejected("[0.5, 1.5)", () -> b.withFeedback(f.withBand(0.5, 1.5)));
        assertRejected("[-0.1, 0.8)", () -> b.withFeedback(f.withBand(-0.1, 0.8)));
        assertRejected("loop.iterations must be >= 1, got 0", () -> b.withLoop(l.withIterations(0)));
        assertRejected("1.0", () -> b.withFinalStudent(s.withNoiseDrop(1.0)));
        assertRejected("-0.5", () -> b.withFinalStudent(s.withNoiseDrop(-0.5)));
        assertRejected("0.0", () -> b.withScorer(b.scorer().withTemperature(0f)));
        assertRejected("got 0.0, 0.0", () -> b.withFinalStudent(s.withLoss(0f, 0f)));
        assertRejected("-1", () -> b.withTestSize(-1));
        assertRejected("-2", () -> b.withFeedback(f.withPerPrompt(-2)));
        assertRejected("got 80, 0", () -> b.withLoop(l.withValidationBatch(0)));
        assertRejected("name is empty", () -> b.withName(" "));
        assertRejected("teacher is missing", () -> b.withTeacher(null));
        assertRejected(
                "whiteBoxTeacher is for sequence students", () -> b.withFinalStudent(s.withWhiteBoxTeacher("x")));
    }

    @Test
    void teacherSpecChecksItsFields() {
        IllegalArgumentException noUrl = assertThrows(
                IllegalArgumentException.class,
                () -> new TeacherSpec(TeacherKind.ENDPOINT, null, "m", 0.8f, 10, 1f, 10));
        assertTrue(noUrl.getMessage().contains("baseUrl"), noUrl.getMessage());
        IllegalArgumentException tokens = assertThrows(
                IllegalArgumentException.class, () -> new TeacherSpec(TeacherKind.IMDB, null, null, 0.8f, 10, 1f, 0));
        assertTrue(tokens.getMessage().contains("got 0"), tokens.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TeacherSpec(null, null, null, 0.8f, 10, 1f, 10));
        TeacherSpec offline = TeacherSpec.offline(TeacherKind.IMDB);
        assertEquals(0.8f, offline.temperature());
        assertEquals(20, offline.topK());
        TeacherSpec hot = offline.withSampling(1.2f, 0, 0.9f);
        assertEquals(new TeacherSpec(TeacherKind.IMDB, null, null, 1.2f, 0, 0.9f, offline.maxTokens()), hot);
        assertEquals(10, TeacherSpec.endpoint("http://h/v1", "m").topK());
        assertEquals(
                TeacherSpec.endpoint("http://h/v1", "m")
                        .withSampling(0.8f, 20, 1f)
                        .withMaxTokens(160),
                offline.withEndpoint("http://h/v1", "m"));
    }

    @Test
    void everyConfigFileInTheDocsLoads() throws Exception {
        Path docs = Files.isDirectory(Path.of("../docs/gold")) ? Path.of("../docs/gold") : Path.of("docs/gold");
        List<Path> files;
        try (var list = Files.list(docs)) {
            files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertTrue(files.size() >= 8, "docs/gold holds " + files);
        for (Path file : files) {
            GoldConfig c = GoldConfig.load(file.toString(), Budget.SMALL);
            assertEquals(file.getFileName().toString().replace(".json", ""), c.name(), file.toString());
            if (c.task().startsWith("arithmetic")) {
                assertEquals(StudentKind.SEQUENCE, c.student().kind(), file.toString());
            }
        }
    }

    @Test
    void aRunDirectoryOfTheOldFlatLayoutSaysSo(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("config.json"), "{\"name\": \"gold\", \"data\": \"generated\", \"iterations\": 4}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunDirectory.open(dir));
        assertTrue(
                e.getMessage().contains("unknown key 'data'") && e.getMessage().contains("older gold"), e.getMessage());
    }

    @Test
    void theEncoderStudentIsASettingThatRoundTripsAndRefusesATyop() {
        GoldConfig c = GoldConfig.preset("gold", Budget.SMOKE)
                .withStudent(StudentSpec.defaults()
                        .withKind(StudentKind.ENCODER)
                        .withEncoder(new StudentSpec.EncoderSpec(
                                "minilm",
                                ai.goldkd.student.EncoderStudentConfig.defaults()
                                        .withMaxLength(64),
                                true)));
        String json = c.toJson();
        assertTrue(json.contains("\"kind\": \"encoder\"") && json.contains("\"maxLength\": 64"), json);
        assertEquals(c, GoldConfig.fromJson(json));
        GoldConfig partial =
                GoldConfig.fromJson("{\"student\": {\"kind\": \"encoder\", \"encoder\": {\"model\": \"/m\"}}}");
        assertEquals(StudentKind.ENCODER, partial.student().kind());
        assertEquals("/m", partial.student().encoder().model());
        assertEquals(
                ai.goldkd.student.EncoderStudentConfig.defaults(),
                partial.student().encoder().settings());
        assertMisspelt(
                () -> GoldConfig.fromJson("{\"student\": {\"encoder\": {\"modle\": \"x\"}}}"),
                "student.encoder.modle",
                "student.encoder.model");
    }
}
