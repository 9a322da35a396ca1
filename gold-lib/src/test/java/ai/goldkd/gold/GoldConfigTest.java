package ai.goldkd.gold;

import ai.goldkd.config.Budget;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GoldConfigTest {

    @Test
    void everyPresetBuildsAtEveryBudget() {
        for (Budget budget : Budget.values()) {
            for (String preset : GoldConfig.PRESETS) {
                GoldConfig c = GoldConfig.preset(preset, budget);
                assertEquals(preset, c.name(), preset + " at " + budget);
                assertEquals("imdb-sentiment", c.task());
                assertTrue(c.sampleBudget() > 0);
                assertEquals(c, GoldConfig.preset(preset.toUpperCase(), budget), "preset names ignore case");
            }
        }
    }

    @Test
    void presetsDifferWhereThePaperSays() {
        GoldConfig gold = GoldConfig.preset("gold", Budget.SMALL);
        assertEquals("band", gold.selector());
        assertEquals(0.5, gold.bandLow());
        assertEquals(0.8, gold.bandHigh());
        assertEquals(0.1, gold.noiseDrop());
        assertEquals(2, gold.feedbackEvery());
        GoldConfig zerogen = GoldConfig.preset("zerogen", Budget.SMALL);
        assertEquals("none", zerogen.selector());
        assertEquals(0.0, zerogen.noiseDrop());
        GoldConfig hot = GoldConfig.preset("zerogen-hot", Budget.SMALL);
        assertEquals(1.0f, hot.teacher().temperature());
        assertEquals(200, hot.teacher().topK());
        assertEquals(gold.teacher().temperature(), zerogen.teacher().temperature());
        assertEquals("influence", GoldConfig.preset("progen", Budget.SMALL).selector());
        assertEquals("random", GoldConfig.preset("random", Budget.SMALL).selector());
        assertEquals("top", GoldConfig.preset("top-energy", Budget.SMALL).selector());
        assertEquals("real", GoldConfig.preset("real-data", Budget.SMALL).data());
        assertTrue(GoldConfig.preset("teacher-fewshot", Budget.SMALL).teacherAnswers());
        assertFalse(gold.teacherAnswers());
        // Budgets change sizes, not methods.
        GoldConfig smoke = GoldConfig.preset("gold", Budget.SMOKE);
        GoldConfig paper = GoldConfig.preset("gold", Budget.PAPER);
        assertTrue(smoke.iterations() < gold.iterations() && gold.iterations() < paper.iterations());
        assertEquals(gold.selector(), paper.selector());
    }

    @Test
    void anUnknownPresetNamesThePresets() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GoldConfig.load("goldd", Budget.SMALL));
        assertTrue(e.getMessage().contains("'goldd'"), e.getMessage());
        for (String p : GoldConfig.PRESETS) {
            assertTrue(e.getMessage().contains(p), e.getMessage());
        }
    }

    @Test
    void loadReadsAPresetAndOverrides(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mine.json");
        Files.writeString(file, """
                {"preset": "zerogen", "name": "mine", "iterations": 3, "bandHigh": 0.9,
                 "teacher": {"kind": "endpoint", "baseUrl": "http://127.0.0.1:8000/v1", "model": "m",
                             "temperature": 0.7, "topK": 5, "topP": 0.95, "maxTokens": 64}}
                """);
        GoldConfig c = GoldConfig.load(file.toString(), Budget.SMOKE);
        GoldConfig zerogen = GoldConfig.preset("zerogen", Budget.SMOKE);
        assertEquals("mine", c.name());
        assertEquals(3, c.iterations());
        assertEquals(0.9, c.bandHigh());
        assertEquals(new TeacherSpec("endpoint", "http://127.0.0.1:8000/v1", "m", 0.7f, 5, 0.95f, 64), c.teacher());
        assertEquals("none", c.selector(), "the rest comes from the preset");
        assertEquals(zerogen.trainBatch(), c.trainBatch());
        assertEquals(zerogen.testSize(), c.testSize());
        assertEquals(zerogen.with("name", "mine", "iterations", 3, "bandHigh", 0.9, "teacher", c.teacher()), c);

        Path noPreset = dir.resolve("plain.json");
        Files.writeString(noPreset, "{\"seed\": 7}");
        assertEquals(GoldConfig.preset("gold", Budget.PAPER).with("seed", 7L),
                GoldConfig.load(noPreset.toString(), Budget.PAPER), "without a preset, gold is the start");
    }

    @Test
    void anUnknownKeyIsAnErrorNamingItAndListingTheSettings(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("typo.json");
        Files.writeString(file, "{\"preset\": \"gold\", \"iteratoins\": 3}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GoldConfig.load(file.toString(), Budget.SMALL));
        assertTrue(e.getMessage().contains("'iteratoins'"), e.getMessage());
        for (String setting : List.of("iterations", "selector", "bandLow", "bandHigh", "noiseDrop", "seed")) {
            assertTrue(e.getMessage().contains(setting), e.getMessage() + " should list " + setting);
        }
        assertTrue(e.getMessage().contains("typo.json"), e.getMessage());
    }

    @Test
    void badFilesAreRejectedWithTheirName(@TempDir Path dir) throws Exception {
        Path array = dir.resolve("array.json");
        Files.writeString(array, "[1, 2]");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GoldConfig.load(array.toString(), Budget.SMALL));
        assertTrue(e.getMessage().contains("array.json"), e.getMessage());
        Path wrongType = dir.resolve("type.json");
        Files.writeString(wrongType, "{\"iterations\": \"many\"}");
        IllegalArgumentException t = assertThrows(IllegalArgumentException.class,
                () -> GoldConfig.load(wrongType.toString(), Budget.SMALL));
        assertTrue(t.getMessage().contains("type.json"), t.getMessage());
        assertThrows(java.io.UncheckedIOException.class,
                () -> GoldConfig.load(dir.resolve("absent.json").toString(), Budget.SMALL));
    }

    @Test
    void toJsonFromJsonRoundTrips() {
        for (String preset : GoldConfig.PRESETS) {
            GoldConfig c = GoldConfig.preset(preset, Budget.SMALL);
            assertEquals(c, GoldConfig.fromJson(JsonParser.parseString(c.toJson())), preset);
        }
        GoldConfig custom = GoldConfig.preset("progen", Budget.SMOKE).with("templates", "/tmp/my templates",
                "seed", 123456789012L, "energyTemperature", 0.25f, "bandLow", 0.1, "bandHigh", 0.35,
                "teacher", TeacherSpec.endpoint("http://127.0.0.1:9/v1", "llama"));
        String json = custom.toJson();
        assertTrue(json.contains("\"templates\": \"/tmp/my templates\""), json);
        assertTrue(json.contains("\"selector\": \"influence\""), json);
        assertEquals(custom, GoldConfig.fromJson(JsonParser.parseString(json)));
        assertNull(GoldConfig.preset("gold", Budget.SMALL).templates());
        assertTrue(GoldConfig.preset("gold", Budget.SMALL).toJson().contains("\"templates\": null"));
    }

    private static void assertRejected(String expected, Object... override) {
        GoldConfig base = GoldConfig.preset("gold", Budget.SMALL);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> base.with(override),
                java.util.Arrays.toString(override));
        assertTrue(e.getMessage().contains(expected), "message should name " + expected + ": " + e.getMessage());
        assertTrue(e.getMessage().startsWith("GOLD config: "), e.getMessage());
    }

    @Test
    void invalidValuesGiveMessagesNamingTheValue() {
        assertRejected("'foo'", "selector", "foo");
        assertRejected("[0.8, 0.8)", "bandLow", 0.8);
        assertRejected("[0.9, 0.8)", "bandLow", 0.9);
        assertRejected("[0.5, 1.5)", "bandHigh", 1.5);
        assertRejected("[-0.1, 0.8)", "bandLow", -0.1);
        assertRejected("'synthetic'", "data", "synthetic");
        assertRejected("got 0", "iterations", 0);
        assertRejected("1.0", "noiseDrop", 1.0);
        assertRejected("-0.5", "noiseDrop", -0.5);
        assertRejected("0.0", "energyTemperature", 0f);
        assertRejected("got 0.0, 0.0", "sceAlpha", 0f, "sceBeta", 0f);
        assertRejected("-1", "testSize", -1);
        assertRejected("-2", "feedbackPerPrompt", -2);
        assertRejected("got 80, 0", "validationBatch", 0);
        assertRejected("name is empty", "name", " ");
        assertRejected("teacher is missing", "teacher", null);
    }

    @Test
    void invalidValuesInAFileAreRejectedNamingTheValue(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"bandLow\": 0.8, \"bandHigh\": 0.5}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GoldConfig.load(file.toString(), Budget.SMALL));
        assertTrue(e.getMessage().contains("[0.8, 0.5)"), e.getMessage());
        Files.writeString(file, "{\"selector\": \"foo\"}");
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
                () -> GoldConfig.load(file.toString(), Budget.SMALL));
        assertTrue(s.getMessage().contains("'foo'"), s.getMessage());
    }

    @Test
    void teacherSpecChecksItsFields() {
        IllegalArgumentException noUrl = assertThrows(IllegalArgumentException.class,
                () -> new TeacherSpec("endpoint", null, "m", 0.8f, 10, 1f, 10));
        assertTrue(noUrl.getMessage().contains("baseUrl"), noUrl.getMessage());
        IllegalArgumentException tokens = assertThrows(IllegalArgumentException.class,
                () -> new TeacherSpec("imdb", null, null, 0.8f, 10, 1f, 0));
        assertTrue(tokens.getMessage().contains("got 0"), tokens.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TeacherSpec(" ", null, null, 0.8f, 10, 1f, 10));
        TeacherSpec offline = TeacherSpec.offline("imdb");
        assertEquals(0.8f, offline.temperature());
        assertEquals(20, offline.topK());
        TeacherSpec hot = offline.withSampling(1.2f, 0, 0.9f);
        assertEquals(new TeacherSpec("imdb", null, null, 1.2f, 0, 0.9f, offline.maxTokens()), hot);
        assertEquals(10, TeacherSpec.endpoint("http://h/v1", "m").topK());
    }
}
