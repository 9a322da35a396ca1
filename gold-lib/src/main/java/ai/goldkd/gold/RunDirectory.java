package ai.goldkd.gold;

import ai.goldkd.config.ConfigJson;
import ai.goldkd.data.Example;
import ai.goldkd.data.Jsonl;
import ai.goldkd.data.Sha256;
import ai.goldkd.data.Task;
import ai.goldkd.data.TaskField;
import ai.goldkd.io.RunLock;
import ai.goldkd.train.MetricsLog;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.reflect.TypeToken;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A run's directory, written as the run goes so that nothing made is lost:
 *
 * <pre>
 * config.json                      the settings, the student and teacher included (the run resumes from them)
 * fingerprint.json                 the settings the run started with and their SHA-256: a resume whose
 *                                  config.json differs is refused, naming the changed keys
 * templates/                       the prompt templates used
 * iterations/0007/train.jsonl      accepted training samples (id, iteration, batch, fields, feedback ids)
 * iterations/0007/validation.jsonl accepted OOD-validation samples with their energy
 * iterations/0007/rejects.jsonl    every rejected generation with its reason
 * iterations/0007/feedback.jsonl   the validation samples chosen as feedback
 * iterations/0007/metrics.json     the iteration's metrics; written last, it marks the iteration done
 * metrics.csv                      long: run, iteration, step, metric, value
 * final/dropped.jsonl              what the noise filter dropped
 * final/student.bin                the final student
 * final/result.json                the final student's accuracy
 * </pre>
 *
 * Every file is written to a temporary name and renamed, so a kill leaves whole files or none.
 */
public final class RunDirectory {

    private static final Gson GSON = new GsonBuilder()
            .setPrettyPrinting()
            .serializeSpecialFloatingPointValues()
            .create();
    private static final String CONFIG_FILE = "config.json";
    private static final String FINGERPRINT_FILE = "fingerprint.json";

    private final Path dir;
    private final GoldConfig config;

    private RunDirectory(Path dir, GoldConfig config) {
        this.dir = dir;
        this.config = config;
    }

    /**
     * Creates a run directory (it must be absent or empty).
     *
     * @param dir the directory
     * @param config the run's settings, written to config.json
     * @return the run directory
     */
    public static RunDirectory create(Path dir, GoldConfig config) {
        try {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> entries = Files.list(dir)) {
                    // the lock file of the process creating the run is no earlier run
                    if (entries.anyMatch(p -> !p.getFileName().toString().equals(RunLock.FILE))) {
                        throw new IllegalArgumentException("run directory " + dir + " is not empty; continue that run"
                                + " with --resume " + dir + ", or give another --out");
                    }
                }
            }
            Files.createDirectories(dir);
            RunDirectory run = new RunDirectory(dir, config);
            // The fingerprint first: a config.json never stands without the settings it must match.
            run.write(dir.resolve(FINGERPRINT_FILE), fingerprint(config));
            run.write(dir.resolve(CONFIG_FILE), config.toJson());
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException("could not create the run directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens an existing run directory.
     *
     * @param dir the directory
     * @return the run directory
     */
    public static RunDirectory open(Path dir) {
        Path file = dir.resolve(CONFIG_FILE);
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(dir + " holds no config.json, so it is not a GOLD run directory;"
                    + " give the --out directory of the run to resume");
        }
        GoldConfig config;
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    file + " is not a run config (" + e.getMessage() + "); restore it as"
                            + " the run wrote it, or start the run again in another --out",
                    e);
        }
        if (text.isBlank()) {
            throw new IllegalArgumentException(
                    file + " is empty; restore it as the run wrote it, or start the run" + " again in another --out");
        }
        try {
            config = GoldConfig.fromJson(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    file + " is not a run config (" + e.getMessage() + ")" + restoreHint(dir, text)
                            + "; restore it as the run wrote it, or start the run again in another --out",
                    e);
        }
        checkFingerprint(dir, config);
        return new RunDirectory(dir, config);
    }

    /** The fingerprint file's text: the settings as started, and their SHA-256. */
    private static String fingerprint(GoldConfig config) {
        JsonObject out = new JsonObject();
        out.addProperty("sha256", Sha256.hex(config.toJson().getBytes(StandardCharsets.UTF_8)));
        out.add("settings", GoldConfig.CODEC.tree(config));
        // nulls kept, as config.json keeps them: inside a list (teacher.endpoints) a dropped null would read
        // as a changed setting on resume
        return new GsonBuilder()
                .setPrettyPrinting()
                .serializeNulls()
                .serializeSpecialFloatingPointValues()
                .create()
                .toJson(out);
    }

    /** Refuses a config.json whose settings differ from those the run started with. */
    private static void checkFingerprint(Path dir, GoldConfig config) {
        Path file = dir.resolve(FINGERPRINT_FILE);
        if (!Files.exists(file)) {
            return; // a run written before fingerprints: config.json is all there is
        }
        JsonElement started;
        try {
            started = JsonParser.parseString(Files.readString(file))
                    .getAsJsonObject()
                    .get("settings");
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(
                    file + " is unreadable (" + e.getMessage() + "); it records the"
                            + " settings the run started with: restore it, or start a new run in another --out",
                    e);
        }
        JsonElement now = GoldConfig.CODEC.tree(config);
        List<String> changed = ConfigJson.changedKeys(started, now);
        if (!changed.isEmpty()) {
            Map<String, String> before = ConfigJson.flatten(started);
            Map<String, String> after = ConfigJson.flatten(now);
            List<String> edits = changed.stream()
                    .map(k -> k + " " + before.get(k) + " -> " + after.get(k))
                    .toList();
            throw new IllegalArgumentException(dir.resolve(CONFIG_FILE) + " differs from the settings the run started"
                    + " with (" + FINGERPRINT_FILE + "): " + String.join(", ", edits) + "; a run resumes with the"
                    + " settings it started with: undo the edit, or start a new run with --out elsewhere");
        }
    }

    private static String restoreHint(Path dir, String text) {
        if (Files.exists(dir.resolve(FINGERPRINT_FILE))) {
            return "; the settings the run started with are in " + dir.resolve(FINGERPRINT_FILE)
                    + " under \"settings\"";
        }
        try {
            JsonObject json = JsonParser.parseString(text).getAsJsonObject();
            if (json.has("iterations") && !json.has("loop")) {
                return "; this is the flat layout of an older gold (iterations, bandLow, ... at the top), which"
                        + " the nested one (loop.iterations, feedback.bandLow, ...) replaced: run it again";
            }
        } catch (RuntimeException notJson) {
            // the codec's message already says what is wrong with the text
        }
        return "";
    }

    /** The directory. */
    public Path path() {
        return dir;
    }

    /** The run's settings. */
    public GoldConfig config() {
        return config;
    }

    /** The folder of one iteration. */
    public Path iterationDir(int t) {
        return dir.resolve("iterations").resolve(String.format(Locale.ROOT, "%04d", t));
    }

    /** The final student's folder. */
    public Path finalDir() {
        return dir.resolve("final");
    }

    /** The metrics file. */
    public Path metricsFile() {
        return dir.resolve("metrics.csv");
    }

    void clearIteration(int t) {
        Path d = iterationDir(t);
        if (!Files.exists(d)) {
            return;
        }
        try (Stream<Path> files = Files.walk(d)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not clear the unfinished iteration " + d + ": " + e.getMessage(), e);
        }
    }

    void writeSamples(int t, String name, List<GeneratedSample> samples) {
        writeRows(
                iterationDir(t).resolve(name + ".jsonl"),
                samples.stream().map(GeneratedSample::toRow).toList());
    }

    void writeRejects(int t, List<Reject> rejects) {
        writeRows(
                iterationDir(t).resolve("rejects.jsonl"),
                rejects.stream().map(Reject::toRow).toList());
    }

    void writeFinalSamples(String name, List<GeneratedSample> samples) {
        writeRows(
                finalDir().resolve(name + ".jsonl"),
                samples.stream().map(GeneratedSample::toRow).toList());
    }

    void completeIteration(Iteration iteration) {
        write(iterationDir(iteration.index()).resolve("metrics.json"), GSON.toJson(iteration.metrics()));
        try (MetricsLog log = MetricsLog.open(metricsFile(), config.name())) {
            append(log, iteration);
        }
    }

    private static void append(MetricsLog log, Iteration iteration) {
        new TreeMap<>(iteration.metrics()).forEach((k, v) -> log.write(iteration.index(), 0, k, v));
    }

    /** Rewrites metrics.csv from the completed iterations (after a resume, rows of a cut-off iteration go). */
    void rewriteMetrics(List<Iteration> iterations) {
        try {
            Files.deleteIfExists(metricsFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (MetricsLog log = MetricsLog.open(metricsFile(), config.name())) {
            iterations.forEach(it -> append(log, it));
        }
    }

    void writeResult(RunResult result) {
        write(finalDir().resolve("result.json"), GSON.toJson(result));
        try (MetricsLog log = MetricsLog.open(metricsFile(), config.name())) {
            int at = config.loop().iterations();
            log.write(at, 0, GoldMetrics.FINAL_ACCURACY, result.accuracy());
            log.write(at, 0, GoldMetrics.FINAL_SAMPLES, result.trainingSamples());
            result.slices()
                    .forEach((slice, value) -> log.write(at, 0, GoldMetrics.FINAL_ACCURACY_PREFIX + slice, value));
        }
    }

    /** The final result, or null when the run has not finished. */
    public RunResult result() {
        Path file = finalDir().resolve("result.json");
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return GSON.fromJson(Files.readString(file), RunResult.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads the completed iterations, in order, stopping at the first that is not complete.
     *
     * @param task the run's task
     * @return the iterations
     */
    public List<Iteration> completedIterations(Task task) {
        List<String> fields = task.fields().stream().map(TaskField::name).toList();
        List<Iteration> out = new ArrayList<>();
        for (int t = 0; t < config.loop().iterations(); t++) {
            Path d = iterationDir(t);
            Path metrics = d.resolve("metrics.json");
            if (!Files.exists(metrics)) {
                break;
            }
            try {
                Map<String, Double> values =
                        GSON.fromJson(Files.readString(metrics), new TypeToken<Map<String, Double>>() {}.getType());
                List<GeneratedSample> train = samples(d.resolve("train.jsonl"), fields);
                List<GeneratedSample> validation = samples(d.resolve("validation.jsonl"), fields);
                List<GeneratedSample> feedback = samples(d.resolve("feedback.jsonl"), fields);
                List<Reject> rejects = Jsonl.read(d.resolve("rejects.jsonl")).stream()
                        .map(Reject::fromRow)
                        .toList();
                out.add(new Iteration(
                        t,
                        train,
                        validation,
                        feedback,
                        rejects,
                        values.getOrDefault(GoldMetrics.FEEDBACK_SHOWN, 0.0) > 0,
                        values));
            } catch (IOException e) {
                throw new UncheckedIOException("could not read iteration " + t + " in " + d + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static List<GeneratedSample> samples(Path file, List<String> fields) {
        return Jsonl.read(file).stream()
                .map(row -> GeneratedSample.fromRow(row, fields))
                .toList();
    }

    private void writeRows(Path file, List<Example> rows) {
        write(file, Jsonl.format(rows));
    }

    private void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try {
                Files.writeString(tmp, text);
            } catch (IOException e) {
                Files.deleteIfExists(tmp); // a full disk leaves no half-written file behind
                throw e;
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
        }
    }
}
