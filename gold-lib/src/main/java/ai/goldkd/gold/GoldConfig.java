package ai.goldkd.gold;

import ai.goldkd.config.Budget;
import ai.goldkd.config.ConfigJson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Everything a GOLD run (or one of its baselines) needs, grouped by concern: the paper's loop with
 * its knobs, the student, the teacher. {@link Preset} gives the named baselines; a JSON file names a
 * preset and overrides any setting, nested as here:
 *
 * <pre>{@code
 * {"preset": "gold", "name": "wide-band", "feedback": {"bandLow": 0.4}, "finalStudent": {"noiseDrop": 0.2}}
 * }</pre>
 *
 * An unknown or misspelt key, in a file, on the command line ({@code --set loop.iterations=3}) or in
 * a run directory's config.json, is an error naming the nearest known keys ({@link ConfigJson}).
 *
 * @param name the run's name in metrics and reports
 * @param task the task's name in the catalog ({@code imdb-sentiment})
 * @param method where the final student's data comes from ({@link Method})
 * @param seed the run's seed: labels, feedback draws, the teacher's sampling and the students
 * @param testSize real test samples the students are scored on (evaluation only); 0 for all
 * @param loop the loop's sizes
 * @param feedback which validation samples go back to the teacher
 * @param scorer how unfamiliar a sample is to the student (energy)
 * @param finalStudent the final student's filter and training
 * @param student which student learns, with its settings
 * @param teacher which teacher writes the data, and how it samples
 * @param templates a folder of prompt templates, or null for the defaults
 */
public record GoldConfig(
        String name,
        String task,
        Method method,
        long seed,
        int testSize,
        LoopConfig loop,
        FeedbackConfig feedback,
        ScorerConfig scorer,
        FinalStudentConfig finalStudent,
        StudentSpec student,
        TeacherSpec teacher,
        String templates) {

    /** The codec every GOLD config goes through. */
    public static final ConfigJson CODEC = ConfigJson.standard();

    /** Checks every field and names the bad value. */
    public GoldConfig {
        require(name != null && !name.isBlank(), "name is empty; give the run a name");
        require(task != null && !task.isBlank(), "task is empty; give a task name such as imdb-sentiment");
        require(method != null, "method is missing; use loop, real-data or teacher-fewshot");
        require(testSize >= 0, "testSize must be >= 0 (0: the whole test split), got " + testSize);
        require(
                loop != null && feedback != null && scorer != null && finalStudent != null && student != null,
                "loop, feedback, scorer, finalStudent and student must not be null; leave a section out for the"
                        + " preset's values");
        require(teacher != null, "teacher is missing; give {\"kind\": \"imdb\"} or an endpoint");
        require(
                finalStudent.whiteBoxTeacher() == null || student.kind() == StudentKind.SEQUENCE,
                "finalStudent.whiteBoxTeacher is for sequence students; student.kind is "
                        + student.kind().name().toLowerCase(Locale.ROOT) + ": set whiteBoxTeacher to null");
    }

    static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("GOLD config: " + message);
        }
    }

    /** GOLD at the small budget. */
    public static GoldConfig defaults() {
        return Preset.GOLD.config(Budget.SMALL);
    }

    /**
     * A named preset at a budget.
     *
     * @param preset a {@link Preset}'s name ({@code gold}, {@code zerogen-hot}, ...), case ignored
     * @param budget smoke, small or paper
     * @return the config
     */
    public static GoldConfig preset(String preset, Budget budget) {
        return Preset.parse(preset).config(budget);
    }

    /**
     * A preset at a budget.
     *
     * @param preset the preset
     * @param budget smoke, small or paper
     * @return the config
     */
    public static GoldConfig preset(Preset preset, Budget budget) {
        return preset.config(budget);
    }

    /**
     * Reads a config: either a preset name, or a JSON file whose optional {@code preset} (default
     * {@code gold}) gives the starting point and whose other keys override it.
     *
     * @param presetOrFile a preset name or a path ending in .json
     * @param budget the budget the preset starts from
     * @return the config
     */
    public static GoldConfig load(String presetOrFile, Budget budget) {
        if (!presetOrFile.endsWith(".json")) {
            return preset(presetOrFile, budget);
        }
        Path file = Path.of(presetOrFile);
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the config " + file + ": " + e.getMessage(), e);
        }
        try {
            return overrides(text, budget);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads overrides of a preset from JSON text, as a config file holds them.
     *
     * @param json an object whose optional {@code preset} names the start and whose other keys override it
     * @param budget the budget the preset starts from
     * @return the config
     */
    public static GoldConfig overrides(String json, Budget budget) {
        JsonObject overrides;
        try {
            JsonElement tree = JsonParser.parseString(json);
            if (!tree.isJsonObject()) {
                throw new IllegalArgumentException("not a JSON object of settings, e.g. {\"preset\": \"gold\"}");
            }
            overrides = tree.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("not valid JSON (" + e.getMessage() + ")", e);
        }
        JsonElement preset = overrides.remove("preset");
        if (preset != null
                && !(preset.isJsonPrimitive() && preset.getAsJsonPrimitive().isString())) {
            throw new IllegalArgumentException("'preset' is " + preset + "; give a name such as \"gold\"");
        }
        return CODEC.read(overrides, GoldConfig.class, preset(preset == null ? "gold" : preset.getAsString(), budget));
    }

    /**
     * A copy with settings changed by dotted key, as {@code gold run --set} gives them.
     *
     * @param assignments e.g. {@code loop.iterations=3}, {@code feedback.selector=random}
     * @return the copy
     */
    public GoldConfig withSettings(List<String> assignments) {
        return CODEC.set(this, GoldConfig.class, assignments);
    }

    /** The config as pretty JSON (what a run directory's config.json holds). */
    public String toJson() {
        return CODEC.write(this);
    }

    /**
     * Parses {@link #toJson()}'s output; a key left out takes {@link #defaults()}'s value.
     *
     * @param json the JSON
     * @return the config
     */
    public static GoldConfig fromJson(JsonElement json) {
        return CODEC.read(json, GoldConfig.class, defaults());
    }

    /**
     * Parses {@link #toJson()}'s output.
     *
     * @param json the JSON text
     * @return the config
     */
    public static GoldConfig fromJson(String json) {
        return CODEC.read(json, GoldConfig.class, defaults());
    }

    /** The generated samples the run asks for: iterations x (training + validation batch). */
    public int sampleBudget() {
        return loop.sampleBudget();
    }

    /** @return a copy with another name */
    public GoldConfig withName(String value) {
        return new GoldConfig(
                value, task, method, seed, testSize, loop, feedback, scorer, finalStudent, student, teacher, templates);
    }

    /** @return a copy on another task (set {@link #withStudent} to a student of its kind) */
    public GoldConfig withTask(String value) {
        return new GoldConfig(
                name, value, method, seed, testSize, loop, feedback, scorer, finalStudent, student, teacher, templates);
    }

    /** @return a copy with another method */
    public GoldConfig withMethod(Method value) {
        return new GoldConfig(
                name, task, value, seed, testSize, loop, feedback, scorer, finalStudent, student, teacher, templates);
    }

    /** @return a copy with another seed */
    public GoldConfig withSeed(long value) {
        return new GoldConfig(
                name, task, method, value, testSize, loop, feedback, scorer, finalStudent, student, teacher, templates);
    }

    /** @return a copy scored on another number of real test samples (0: all) */
    public GoldConfig withTestSize(int value) {
        return new GoldConfig(
                name, task, method, seed, value, loop, feedback, scorer, finalStudent, student, teacher, templates);
    }

    /** @return a copy with other loop sizes */
    public GoldConfig withLoop(LoopConfig value) {
        return new GoldConfig(
                name, task, method, seed, testSize, value, feedback, scorer, finalStudent, student, teacher, templates);
    }

    /** @return a copy with other feedback settings */
    public GoldConfig withFeedback(FeedbackConfig value) {
        return new GoldConfig(
                name, task, method, seed, testSize, loop, value, scorer, finalStudent, student, teacher, templates);
    }

    /** @return a copy with another OOD scorer */
    public GoldConfig withScorer(ScorerConfig value) {
        return new GoldConfig(
                name, task, method, seed, testSize, loop, feedback, value, finalStudent, student, teacher, templates);
    }

    /** @return a copy with other final-student settings */
    public GoldConfig withFinalStudent(FinalStudentConfig value) {
        return new GoldConfig(
                name, task, method, seed, testSize, loop, feedback, scorer, value, student, teacher, templates);
    }

    /** @return a copy training another student */
    public GoldConfig withStudent(StudentSpec value) {
        return new GoldConfig(
                name, task, method, seed, testSize, loop, feedback, scorer, finalStudent, value, teacher, templates);
    }

    /** @return a copy with another teacher */
    public GoldConfig withTeacher(TeacherSpec value) {
        return new GoldConfig(
                name, task, method, seed, testSize, loop, feedback, scorer, finalStudent, student, value, templates);
    }

    /** @return a copy reading its prompt templates from {@code dir} (null: the defaults) */
    public GoldConfig withTemplates(String dir) {
        return new GoldConfig(
                name, task, method, seed, testSize, loop, feedback, scorer, finalStudent, student, teacher, dir);
    }
}
