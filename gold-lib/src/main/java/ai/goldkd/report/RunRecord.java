package ai.goldkd.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One run directory read back for a report, finished or still going: what made it, its metrics so far
 * and, once it has finished, its headline value.
 *
 * <p>It reads the files as the commands write them ({@code gold.RunDirectory}, {@code cli.DistillCommand},
 * {@code train.LmTraining}) with a plain JSON parser rather than the configs' strict codecs, so that a
 * report still opens runs written by an older or newer version of a config.
 *
 * @param dir the run directory
 * @param kind what wrote it
 * @param method the method its seeds are grouped under (the GOLD config's name, else the folder's name
 *     without a trailing {@code -sN} or {@code -seedN})
 * @param seed its seed, or null when the run does not record one
 * @param config the file holding its settings, or null (an {@code lm train} run without a checkpoint yet)
 * @param metrics its metrics.csv so far: iteration, step, metric, value (empty when there is none yet)
 * @param headline the final value the summary compares ({@link RunKind#headlineLabel()}), NaN until finished
 * @param slices the final accuracy per family (percent), empty when the task has none
 * @param details further final values shown in the summary (training samples, tail accuracy, ...)
 * @param status how far it got, in words
 */
public record RunRecord(
        Path dir,
        RunKind kind,
        String method,
        Long seed,
        Path config,
        Table metrics,
        double headline,
        Map<String, Double> slices,
        Map<String, Double> details,
        String status) {

    private static final Pattern SEED_SUFFIX = Pattern.compile("^(.+?)[-_](?:s|seed)(\\d+)$");

    /** A record with its maps kept in order and unmodifiable. */
    public RunRecord {
        slices = Collections.unmodifiableMap(new LinkedHashMap<>(slices));
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** Whether the run has its final value. */
    public boolean finished() {
        return !Double.isNaN(headline);
    }

    /** The seed as a label: {@code s3}, or the folder's name when the run records no seed. */
    public String seedLabel() {
        return seed == null ? dir.getFileName().toString() : "s" + seed;
    }

    /**
     * Reads a run directory.
     *
     * @param dir the directory, as {@code gold run}, {@code gold distill} or {@code gold lm train} wrote it
     * @return the record
     */
    public static RunRecord read(Path dir) {
        RunKind kind = RunKind.of(dir)
                .orElseThrow(() -> new IllegalArgumentException(dir + " is not a run directory:"
                        + " it holds no config.json (gold run), distillation.json (gold distill) or metrics.csv (gold lm"
                        + " train); give a run's --out folder, or a folder of such runs"));
        Table metrics = readMetrics(dir.resolve("metrics.csv"));
        String folder = dir.toAbsolutePath().normalize().getFileName().toString();
        Matcher m = SEED_SUFFIX.matcher(folder);
        String baseName = m.matches() ? m.group(1) : folder;
        Long folderSeed = m.matches() ? Long.valueOf(m.group(2)) : null;
        return switch (kind) {
            case GOLD -> gold(dir, metrics, baseName, folderSeed);
            case DISTILLATION -> distillation(dir, metrics, baseName, folderSeed);
            case LM_TRAINING -> lm(dir, metrics, baseName, folderSeed);
        };
    }

    /**
     * The run directories at or under the given paths: a run's folder stands for itself, any other folder
     * for the runs inside it (three levels deep at most, as {@code gold run --out} and the distillation
     * scripts lay them out).
     *
     * @param paths run directories or folders of them
     * @return the run directories, in the order given, each folder's runs sorted by name
     */
    public static List<Path> expand(List<Path> paths) {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.isDirectory(p)) {
                throw new IllegalArgumentException(p + " is not a directory; give run directories (the --out of gold"
                        + " run, gold distill or gold lm train) or folders that hold them");
            }
            int before = out.size();
            collect(p, 0, out);
            if (out.size() == before) {
                throw new IllegalArgumentException(p + " holds no run: no config.json, distillation.json or metrics.csv"
                        + " in it or in its sub-folders; give the --out folder of a run");
            }
        }
        return out;
    }

    private static void collect(Path dir, int depth, List<Path> out) {
        if (RunKind.of(dir).isPresent()) {
            out.add(dir);
            return;
        }
        if (depth >= 3) {
            return;
        }
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : children.filter(Files::isDirectory).sorted().toList()) {
                collect(child, depth + 1, out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static RunRecord gold(Path dir, Table metrics, String baseName, Long folderSeed) {
        JsonObject config = json(dir.resolve("config.json"));
        JsonObject result = jsonIfPresent(dir.resolve("final/result.json"));
        // the config names the run; the result and the folder are the fall-backs if its layout changes
        String name = string(config, "name", result == null ? baseName : string(result, "name", baseName));
        Long seed = config.has("seed")
                ? Long.valueOf(config.get("seed").getAsLong())
                : result != null && result.has("seed")
                        ? Long.valueOf(result.get("seed").getAsLong())
                        : folderSeed;
        int iterations = iterations(config);
        Map<String, Double> details = new LinkedHashMap<>();
        Map<String, Double> slices = new LinkedHashMap<>();
        double headline = Double.NaN;
        String status;
        if (result != null) {
            headline = 100 * result.get("accuracy").getAsDouble();
            details.put("training samples", number(result, "trainingSamples"));
            details.put("dropped as noise", number(result, "dropped"));
            percentages(result.getAsJsonObject("slices"), slices);
            status = iterations < 0 ? "finished" : "finished: " + iterations + " iterations";
        } else {
            int done = 0;
            while (Files.isRegularFile(dir.resolve(String.format(Locale.ROOT, "iterations/%04d/metrics.json", done)))) {
                done++;
            }
            status = "in progress or stopped: " + done + (iterations < 0 ? "" : " of " + iterations)
                    + " iterations done";
        }
        return new RunRecord(
                dir, RunKind.GOLD, name, seed, dir.resolve("config.json"), metrics, headline, slices, details, status);
    }

    /** The planned iterations: a top-level "iterations", or one in a section (such as "loop"); -1 if none. */
    private static int iterations(JsonObject config) {
        if (config.has("iterations") && config.get("iterations").isJsonPrimitive()) {
            return config.get("iterations").getAsInt();
        }
        for (Map.Entry<String, JsonElement> e : config.entrySet()) {
            if (e.getValue().isJsonObject() && e.getValue().getAsJsonObject().has("iterations")) {
                return e.getValue().getAsJsonObject().get("iterations").getAsInt();
            }
        }
        return -1;
    }

    private static RunRecord distillation(Path dir, Table metrics, String method, Long folderSeed) {
        JsonObject config = json(dir.resolve("distillation.json"));
        JsonObject train = config.has("train") ? config.getAsJsonObject("train") : new JsonObject();
        Long seed = train.has("seed") ? Long.valueOf(train.get("seed").getAsLong()) : folderSeed;
        int steps = train.has("maxSteps") ? train.get("maxSteps").getAsInt() : -1;
        JsonObject result = jsonIfPresent(dir.resolve("results.json"));
        Map<String, Double> details = new LinkedHashMap<>();
        Map<String, Double> slices = new LinkedHashMap<>();
        double headline = Double.NaN;
        String status;
        if (result != null) {
            headline = 100 * result.get("accuracy").getAsDouble();
            details.put("tail accuracy %", 100 * number(result, "tail_accuracy"));
            details.put("on-policy fraction", number(result, "on_policy_fraction"));
            details.put("train seconds", number(result, "train_seconds"));
            percentages(result.getAsJsonObject("slices"), slices);
            status = "finished: " + (result.has("steps") ? result.get("steps").getAsInt() : steps) + " steps";
        } else {
            status = "in progress or stopped: step " + lastStep(metrics) + " of " + steps;
        }
        return new RunRecord(
                dir,
                RunKind.DISTILLATION,
                method,
                seed,
                dir.resolve("distillation.json"),
                metrics,
                headline,
                slices,
                details,
                status);
    }

    private static RunRecord lm(Path dir, Table metrics, String method, Long folderSeed) {
        Path model = dir.resolve("model.json");
        DoubleColumn values = metrics.doubleColumn("value");
        double best = Double.NaN;
        for (int i = 0; i < metrics.rowCount(); i++) {
            if (metrics.stringColumn("metric").get(i).equals("eval_score") && !(values.get(i) >= best)) {
                best = values.get(i);
            }
        }
        // lm train records no target step count, so a report cannot tell finished from still going.
        String status = "last logged step " + lastStep(metrics)
                + (Files.isDirectory(dir.resolve("best")) ? ", best checkpoint saved" : "");
        return new RunRecord(
                dir,
                RunKind.LM_TRAINING,
                method,
                folderSeed,
                Files.isRegularFile(model) ? model : null,
                metrics,
                best,
                Map.of(),
                Map.of(),
                status);
    }

    private static long lastStep(Table metrics) {
        return metrics.isEmpty() ? 0 : (long) metrics.longColumn("step").max();
    }

    /**
     * Reads a metrics.csv, skipping a line cut off by a run that is still writing it.
     *
     * @param file the file; absent means no metrics yet
     * @return iteration, step, metric, value
     */
    static Table readMetrics(Path file) {
        IntColumn iteration = IntColumn.create("iteration");
        LongColumn step = LongColumn.create("step");
        StringColumn metric = StringColumn.create("metric");
        DoubleColumn value = DoubleColumn.create("value");
        if (Files.isRegularFile(file)) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.split(",", -1);
                if (f.length != 5) {
                    continue;
                }
                try {
                    int it = Integer.parseInt(f[1]);
                    long st = Long.parseLong(f[2]);
                    double v = Double.parseDouble(f[4]);
                    iteration.append(it);
                    step.append(st);
                    metric.append(f[3]);
                    value.append(v);
                } catch (NumberFormatException e) {
                    // a row cut off mid-write by a running run: the next report will have it whole
                }
            }
        }
        return Table.create(file.toString(), iteration, step, metric, value);
    }

    private static void percentages(JsonObject slices, Map<String, Double> out) {
        if (slices != null) {
            slices.entrySet()
                    .forEach(e -> out.put(e.getKey(), 100 * e.getValue().getAsDouble()));
        }
    }

    private static double number(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? Double.NaN : e.getAsDouble();
    }

    private static String string(JsonObject o, String key, String fallback) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? fallback : e.getAsString();
    }

    private static JsonObject jsonIfPresent(Path file) {
        return Files.isRegularFile(file) ? json(file) : null;
    }

    private static JsonObject json(Path file) {
        try {
            return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
                    .getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    file + " is not a JSON object (" + e.getMessage() + "); a run being"
                            + " written renames its files into place whole, so this one was edited or damaged",
                    e);
        }
    }
}
