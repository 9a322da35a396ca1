package ai.goldkd.gold;

import ai.goldkd.config.Budget;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything a GOLD run (or one of its baselines) needs, as one record: the paper's loop with its
 * knobs. {@link #preset(String, Budget)} gives the named baselines; a JSON file names a preset and
 * overrides any field.
 *
 * @param name the run's name in metrics and reports
 * @param task the task's name in the catalog ({@code imdb-sentiment})
 * @param teacher which teacher writes the data, and how it samples
 * @param data {@code generated} (the loop) or {@code real} (the student on real training data: the upper bound)
 * @param teacherAnswers the {@code teacher-fewshot} baseline: the teacher labels the test set itself
 * @param iterations T, the loop's iterations
 * @param trainBatch samples asked for per iteration for training
 * @param validationBatch samples asked for per iteration with the OOD-validation prompt
 * @param oodPrompt whether the validation batch's prompts ask for a clearly different sample (GOLD's
 *     OOD-validation prompt); false for ZeroGen, whose samples all come from the plain prompt
 * @param updateEvery K: the student takes a pass over all data so far every K iterations
 * @param updateEpochs passes per continual update
 * @param feedbackEvery feedback is used in iterations whose index is a multiple of this (paper: 2)
 * @param selector {@code band}, {@code random}, {@code top}, {@code none} or {@code influence}
 * @param bandLow the band's lower percentile (others choose {@code bandHigh - bandLow} of the batch)
 * @param bandHigh the band's upper percentile
 * @param feedbackPerPrompt the most feedback samples one prompt shows (drawn from the feedback set)
 * @param noiseDrop the top share of energy dropped before the final student trains
 * @param energyTemperature T of the energy score
 * @param finalEpochs the final student's passes over its data
 * @param sceAlpha the final student's cross-entropy weight
 * @param sceBeta the final student's reverse cross-entropy weight (0: plain cross-entropy)
 * @param testSize real test samples the students are scored on (evaluation only); 0 for all
 * @param templates a folder of prompt templates, or null for the defaults
 * @param studentInit seq2seq tasks: a checkpoint directory the loop's and the final student start from
 *     (as GOLD starts from a pretrained T5), or null for a fresh 2-layer byte-level model; ignored for
 *     classification
 * @param whiteBoxTeacher seq2seq tasks: a checkpoint directory of a teacher language model with the
 *     student's tokenizer; the final student then learns by token-level KD (forward KL) on the kept
 *     samples instead of their answers alone; null for none
 * @param seed the run's seed: labels, feedback draws, the teacher's sampling and the students
 */
public record GoldConfig(String name, String task, TeacherSpec teacher, String data, boolean teacherAnswers,
        int iterations, int trainBatch, int validationBatch, boolean oodPrompt, int updateEvery, int updateEpochs, int feedbackEvery,
        String selector, double bandLow, double bandHigh, int feedbackPerPrompt, double noiseDrop,
        float energyTemperature, int finalEpochs, float sceAlpha, float sceBeta, int testSize, String templates,
        String studentInit, String whiteBoxTeacher, long seed) {

    /** The presets, one per method the paper compares. */
    public static final List<String> PRESETS = List.of("gold", "zerogen", "zerogen-hot", "progen", "random",
            "top-energy", "real-data", "teacher-fewshot");

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().create();

    /** Checks every field and names the bad value. */
    public GoldConfig {
        require(name != null && !name.isBlank(), "name is empty; give the run a name");
        require(task != null && !task.isBlank(), "task is empty; give a task name such as imdb-sentiment");
        require(teacher != null, "teacher is missing; give {\"kind\": \"imdb\"} or an endpoint");
        require("generated".equals(data) || "real".equals(data), "data '" + data + "' is unknown; use generated or real");
        require(iterations >= 1, "iterations must be >= 1, got " + iterations);
        require(trainBatch >= 1 && validationBatch >= 1, "trainBatch and validationBatch must be >= 1, got "
                + trainBatch + ", " + validationBatch);
        require(updateEvery >= 1 && updateEpochs >= 1 && feedbackEvery >= 1, "updateEvery, updateEpochs and"
                + " feedbackEvery must be >= 1, got " + updateEvery + ", " + updateEpochs + ", " + feedbackEvery);
        require(List.of("band", "random", "top", "none", "influence").contains(selector), "selector '" + selector
                + "' is unknown; use band, random, top, none or influence");
        require(bandLow >= 0 && bandLow < bandHigh && bandHigh <= 1, "band [" + bandLow + ", " + bandHigh
                + ") must lie in [0, 1] with bandLow < bandHigh; GOLD uses 0.5 and 0.8");
        require(feedbackPerPrompt >= 0, "feedbackPerPrompt must be >= 0, got " + feedbackPerPrompt);
        require(noiseDrop >= 0 && noiseDrop < 1, "noiseDrop must be in [0, 1), got " + noiseDrop);
        require(energyTemperature > 0, "energyTemperature must be > 0, got " + energyTemperature);
        require(finalEpochs >= 1, "finalEpochs must be >= 1, got " + finalEpochs);
        require(sceAlpha >= 0 && sceBeta >= 0 && sceAlpha + sceBeta > 0, "sceAlpha and sceBeta must be >= 0 and"
                + " not both 0, got " + sceAlpha + ", " + sceBeta);
        require(testSize >= 0, "testSize must be >= 0 (0: the whole test split), got " + testSize);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("GOLD config: " + message);
        }
    }

    /**
     * A named preset at a budget.
     *
     * <ul>
     *   <li>{@code gold}: band feedback (50-80%), every other iteration; the top 10% of energy dropped;
     *   <li>{@code zerogen}: no feedback, no filter, every prompt the plain one (no OOD-validation prompt);
     *   <li>{@code zerogen-hot}: ZeroGen with the teacher sampled hotter (temperature 1.0, top-k 200),
     *       the control for "GOLD helps because it adds diversity";
     *   <li>{@code progen}: the loop with influence-chosen feedback;
     *   <li>{@code random}, {@code top-energy}: the band's ablations;
     *   <li>{@code real-data}: the student on as many real training samples (the upper bound);
     *   <li>{@code teacher-fewshot}: the teacher answers the test set from the few-shot prompt.
     * </ul>
     *
     * @param preset one of {@link #PRESETS}
     * @param budget smoke, small or paper
     * @return the config
     */
    public static GoldConfig preset(String preset, Budget budget) {
        String key = preset.toLowerCase(Locale.ROOT);
        GoldConfig base = new GoldConfig("gold", "imdb-sentiment", TeacherSpec.offline("imdb"), "generated", false,
                budget.pick(4, 25, 375), budget.pick(16, 80, 8), budget.pick(8, 40, 8), true, budget.pick(2, 5, 25),
                budget.pick(10, 2, 2), 2,
                "band", 0.5, 0.8, 4, 0.1, 1f, budget.pick(10, 5, 50), 1f, 0f, budget.pick(500, 5000, 0), null, null, null, 1);
        return switch (key) {
            case "gold" -> base;
            case "zerogen" -> base.with("name", "zerogen", "selector", "none", "noiseDrop", 0.0, "oodPrompt", false);
            case "zerogen-hot" -> base.with("name", "zerogen-hot", "selector", "none", "noiseDrop", 0.0,
                    "oodPrompt", false,
                    "teacher", base.teacher().withSampling(1.0f, 200, 1f));
            case "progen" -> base.with("name", "progen", "selector", "influence");
            case "random" -> base.with("name", "random", "selector", "random");
            case "top-energy" -> base.with("name", "top-energy", "selector", "top");
            case "real-data" -> base.with("name", "real-data", "data", "real", "selector", "none", "noiseDrop", 0.0);
            case "teacher-fewshot" -> base.with("name", "teacher-fewshot", "teacherAnswers", true, "selector", "none");
            default -> throw new IllegalArgumentException("preset '" + preset + "' is unknown; use one of " + PRESETS
                    + " or a config file (.json)");
        };
    }

    /**
     * A copy with fields replaced by name, the way a JSON file overrides a preset.
     *
     * @param namesAndValues alternating field names and values
     * @return the copy
     */
    public GoldConfig with(Object... namesAndValues) {
        JsonObject json = GSON.toJsonTree(this).getAsJsonObject();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            json.add((String) namesAndValues[i], GSON.toJsonTree(namesAndValues[i + 1]));
        }
        return fromJson(json);
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
        try {
            JsonObject overrides = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            String preset = overrides.has("preset") ? overrides.remove("preset").getAsString() : "gold";
            JsonObject json = GSON.toJsonTree(preset(preset, budget)).getAsJsonObject();
            for (Map.Entry<String, JsonElement> e : overrides.entrySet()) {
                if (!json.has(e.getKey())) {
                    throw new IllegalArgumentException(file + ": unknown setting '" + e.getKey() + "'; the settings"
                            + " are " + json.keySet());
                }
                json.add(e.getKey(), e.getValue());
            }
            return fromJson(json);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the config " + file + ": " + e.getMessage(), e);
        } catch (IllegalStateException | com.google.gson.JsonParseException e) {
            throw new IllegalArgumentException(file + " is not a JSON object of settings: " + e.getMessage(), e);
        }
    }

    /** The config as pretty JSON (what a run directory's config.json holds). */
    public String toJson() {
        return GSON.toJson(this);
    }

    /**
     * Parses {@link #toJson()}'s output.
     *
     * @param json the JSON
     * @return the config
     */
    public static GoldConfig fromJson(JsonElement json) {
        try {
            return GSON.fromJson(json, GoldConfig.class);
        } catch (com.google.gson.JsonParseException e) {
            throw e;
        } catch (RuntimeException e) {
            // Gson wraps what a record's constructor throws ("Failed to invoke constructor ..."); the
            // check's own message names the bad value.
            if (e.getCause() instanceof IllegalArgumentException invalid) {
                throw invalid;
            }
            throw e;
        }
    }

    /** The generated samples the run asks for: iterations x (training + validation batch). */
    public int sampleBudget() {
        return iterations * (trainBatch + validationBatch);
    }
}
