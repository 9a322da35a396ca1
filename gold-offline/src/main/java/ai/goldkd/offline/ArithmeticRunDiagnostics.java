package ai.goldkd.offline;

import ai.goldkd.data.Example;
import ai.goldkd.data.Jsonl;
import ai.goldkd.data.Task;
import ai.goldkd.data.TaskCatalog;
import ai.goldkd.data.TaskExamples;
import ai.goldkd.data.arithmetic.Family;
import ai.goldkd.gold.Iteration;
import ai.goldkd.gold.Method;
import ai.goldkd.gold.RunDirectory;
import ai.goldkd.gold.RunResult;
import ai.goldkd.metrics.Diversity;
import tech.tablesaw.api.Table;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Why one method beats another on the arithmetic task: what finished runs generated and how their final
 * students score, judged by rules that read the samples' text only ({@link ArithmeticCheck}). Per
 * method, averaged over seeds:
 *
 * <ul>
 *   <li>{@code correct}: share of accepted samples whose answer is right for their own text (the numbers
 *       it uses are in the problem, every step's arithmetic holds, the final number is the last result);
 *       {@code correct dropped} / {@code correct feedback}: the same over what the noise filter dropped
 *       and what went back to the teacher as feedback;
 *   <li>{@code tail share}: share of accepted samples in the tail families (all but add and subtract), and
 *       {@code family overlap}: 1 - total variation between the samples' family mix and the test set's;
 *   <li>{@code distinct-2} of body + question;
 *   <li>{@code accuracy} and {@code tail accuracy}: the final student on the real test set, overall and
 *       on its tail families (from the run's per-family result).
 * </ul>
 *
 * @param task the arithmetic task
 * @param test the real test samples the runs were scored on
 */
public record ArithmeticRunDiagnostics(Task task, List<Example> test) {

    /**
     * The diagnostics for a task's runs.
     *
     * @param taskName a seq2seq arithmetic task (arithmetic-answer)
     * @param testSize the runs' test subset size, 0 for all
     * @return the diagnostics
     */
    public static ArithmeticRunDiagnostics of(String taskName, int testSize) {
        Task task = TaskCatalog.locate().task(taskName);
        return new ArithmeticRunDiagnostics(task, TaskExamples.testSet(task, testSize));
    }

    /**
     * The table, one row per method in the order first seen.
     *
     * @param runs finished run directories
     * @return the table
     */
    public Table table(List<Path> runs) {
        Map<String, List<double[]>> rows = new LinkedHashMap<>();
        for (Path dir : runs) {
            RunDirectory run = RunDirectory.open(dir);
            if (run.result() != null) {
                rows.computeIfAbsent(run.config().name(), k -> new ArrayList<>())
                        .add(measure(run));
            }
        }
        String[] names = {
            "correct",
            "correct dropped",
            "correct feedback",
            "tail share",
            "family overlap",
            "distinct-2",
            "accuracy",
            "tail accuracy"
        };
        return RunDiagnostics.meanTable(
                "Arithmetic data and students, judged by the problems' own text (test: " + test.size() + " problems)",
                names,
                rows);
    }

    private double[] measure(RunDirectory run) {
        List<Example> all = new ArrayList<>();
        List<Example> feedback = new ArrayList<>();
        for (Iteration it : run.completedIterations(task)) {
            it.train().forEach(s -> all.add(s.sample()));
            it.validation().forEach(s -> all.add(s.sample()));
            it.feedback().forEach(s -> feedback.add(s.sample()));
        }
        if (run.config().method() == Method.REAL_DATA) {
            all.clear(); // a real-data run generated nothing; its samples are the real problems
        }
        Path droppedFile = run.finalDir().resolve("dropped.jsonl");
        List<Example> dropped = Files.exists(droppedFile) ? Jsonl.read(droppedFile) : List.of();
        double[] mix = familyMix(all);
        double[] real = familyMix(test);
        double tv = 0;
        for (int f = 0; f < mix.length; f++) {
            tv += Math.abs(mix[f] - real[f]) / 2;
        }
        double tailShare = 0;
        for (Family f : Family.values()) {
            tailShare += f.head() ? 0 : mix[f.ordinal()];
        }
        RunResult result = run.result();
        List<String> texts =
                all.stream().map(e -> e.get("body") + " " + e.get("question")).toList();
        return new double[] {
            correct(all),
            correct(dropped),
            correct(feedback),
            all.isEmpty() ? Double.NaN : tailShare,
            all.isEmpty() ? Double.NaN : 1 - tv,
            texts.isEmpty() ? Double.NaN : Diversity.distinctN(texts, 2),
            result.accuracy(),
            tailAccuracy(result)
        };
    }

    private static double correct(List<Example> samples) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        long right = samples.stream()
                .filter(e -> e.has("body")
                        && e.has("question")
                        && e.has("answer")
                        && ArithmeticCheck.correct(e.get("body"), e.get("question"), e.get("answer")))
                .count();
        return right / (double) samples.size();
    }

    /** The share of each family (read from the text), in {@link Family} order; unclassified samples count nowhere. */
    private static double[] familyMix(List<Example> samples) {
        double[] out = new double[Family.values().length];
        if (samples.isEmpty()) {
            return out;
        }
        for (Example e : samples) {
            Family f = ArithmeticCheck.family(e.get("body"), e.get("answer")); // agrees with every TRAIN label
            if (f != null) {
                out[f.ordinal()] += 1.0 / samples.size();
            }
        }
        return out;
    }

    private double tailAccuracy(RunResult result) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        test.forEach(e -> counts.merge(e.has("family") ? e.get("family") : "", 1, Integer::sum));
        double right = 0;
        int n = 0;
        for (Family f : Family.values()) {
            Double acc = result.slices().get(f.label());
            Integer c = counts.get(f.label());
            if (!f.head() && acc != null && c != null) {
                right += acc * c;
                n += c;
            }
        }
        return n == 0 ? Double.NaN : right / n;
    }
}
