package ai.goldkd.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the teacher cost each run, from the per-iteration rows a run logs to its metrics.csv (each
 * row the amount spent in that iteration): totals per run and per iteration, and the student's
 * accuracy against the teacher tokens spent, so that methods compare at equal teacher cost. Runs that
 * log no such rows show nothing.
 */
public final class TeacherCost {

    /** The metrics read, in the order shown. */
    public static final List<String> METRICS = List.of(
            "teacher_calls",
            "teacher_prompt_tokens",
            "teacher_completion_tokens",
            "teacher_seconds",
            "teacher_retries",
            "teacher_failures",
            "teacher_cache_hits",
            "teacher_cache_misses");

    /** The column titles for {@link #METRICS}. */
    private static final List<String> TITLES = List.of(
            "calls",
            "prompt tokens",
            "completion tokens",
            "teacher seconds",
            "retries",
            "failures",
            "cache hits",
            "cache misses");

    private TeacherCost() {}

    /**
     * Whether any run logged teacher cost.
     *
     * @param comparison the runs
     * @return true when at least one row names a teacher metric
     */
    public static boolean present(RunComparison comparison) {
        return comparison.runs().stream().anyMatch(TeacherCost::logged);
    }

    private static boolean logged(RunRecord r) {
        return r.metrics().stringColumn("metric").asList().stream().anyMatch(METRICS::contains);
    }

    /**
     * The totals of each run: method, seed, iterations logged, the totals and the headline value.
     *
     * @param comparison the runs
     * @return the table; runs that log no teacher cost have empty cells
     */
    public static Table perRun(RunComparison comparison) {
        StringColumn method = StringColumn.create("method");
        StringColumn seed = StringColumn.create("seed");
        IntColumn iterations = IntColumn.create("iterations logged");
        List<DoubleColumn> totals = new ArrayList<>();
        TITLES.forEach(t -> totals.add(DoubleColumn.create(t)));
        DoubleColumn headline = DoubleColumn.create("final value");
        for (MethodRuns m : comparison.methods()) {
            for (RunRecord r : m.runs()) {
                // GOLD runs are listed even without rows (the blank shows what is missing); others only with them
                if (r.kind() != RunKind.GOLD && !logged(r)) {
                    continue;
                }
                Map<Integer, double[]> byIteration = byIteration(r);
                method.append(m.method());
                seed.append(r.seedLabel());
                iterations.append(byIteration.size());
                for (int k = 0; k < METRICS.size(); k++) {
                    int col = k;
                    totals.get(k)
                            .append(
                                    byIteration.isEmpty()
                                            ? Double.NaN
                                            : byIteration.values().stream()
                                                    .mapToDouble(v -> v[col])
                                                    .filter(Double::isFinite)
                                                    .sum());
                }
                headline.append(r.headline());
            }
        }
        Table t = Table.create("Teacher cost per run (totals over iterations)", method, seed, iterations);
        totals.forEach(t::addColumns);
        t.addColumns(headline);
        return t;
    }

    /**
     * The cost of each iteration, averaged over each method's seeds: method, iteration, the values.
     *
     * @param comparison the runs
     * @return the table
     */
    public static Table perIteration(RunComparison comparison) {
        StringColumn method = StringColumn.create("method");
        IntColumn iteration = IntColumn.create("iteration");
        List<DoubleColumn> means = new ArrayList<>();
        TITLES.forEach(t -> means.add(DoubleColumn.create(t)));
        for (MethodRuns m : comparison.methods()) {
            Map<Integer, double[]> sums = new TreeMap<>();
            Map<Integer, int[]> counts = new TreeMap<>();
            for (RunRecord r : m.runs()) {
                byIteration(r).forEach((it, v) -> {
                    double[] s = sums.computeIfAbsent(it, k -> new double[METRICS.size()]);
                    int[] c = counts.computeIfAbsent(it, k -> new int[METRICS.size()]);
                    for (int k = 0; k < v.length; k++) {
                        if (Double.isFinite(v[k])) {
                            s[k] += v[k];
                            c[k]++;
                        }
                    }
                });
            }
            sums.forEach((it, s) -> {
                method.append(m.method());
                iteration.append(it);
                int[] c = counts.get(it);
                for (int k = 0; k < s.length; k++) {
                    means.get(k).append(c[k] == 0 ? Double.NaN : RunComparison.round(s[k] / c[k]));
                }
            });
        }
        Table t = Table.create("Teacher cost per iteration (mean over seeds)", method, iteration);
        means.forEach(t::addColumns);
        return t;
    }

    /**
     * The loop student's accuracy after each iteration against the teacher tokens (prompt plus
     * completion) spent so far, one line per run, and the final student at the run's total.
     *
     * @param comparison the runs
     * @return the figure, or empty when no run logged teacher tokens
     */
    public static Optional<PlotlyFigure> accuracyAgainstTokens(RunComparison comparison) {
        JsonArray traces = new JsonArray();
        int prompt = METRICS.indexOf("teacher_prompt_tokens");
        int completion = METRICS.indexOf("teacher_completion_tokens");
        for (MethodRuns m : comparison.methods()) {
            boolean firstLine = true;
            boolean firstEnd = true;
            for (RunRecord r : m.runs()) {
                Map<Integer, double[]> cost = byIteration(r);
                if (cost.values().stream()
                        .noneMatch(v -> Double.isFinite(v[prompt]) || Double.isFinite(v[completion]))) {
                    continue;
                }
                Map<Integer, Double> accuracy = new TreeMap<>();
                Table t = r.metrics();
                for (int i = 0; i < t.rowCount(); i++) {
                    if (t.stringColumn("metric").get(i).equals("student_accuracy")) {
                        accuracy.put(
                                t.intColumn("iteration").get(i),
                                100 * t.doubleColumn("value").get(i));
                    }
                }
                List<Double> xs = new ArrayList<>();
                List<Double> ys = new ArrayList<>();
                double spent = 0;
                for (Map.Entry<Integer, double[]> e : cost.entrySet()) {
                    double[] v = e.getValue();
                    spent += (Double.isFinite(v[prompt]) ? v[prompt] : 0)
                            + (Double.isFinite(v[completion]) ? v[completion] : 0);
                    Double acc = accuracy.get(e.getKey());
                    if (acc != null) {
                        xs.add(spent);
                        ys.add(acc);
                    }
                }
                String name = m.method() + " " + r.seedLabel();
                JsonObject style = new JsonObject();
                style.addProperty("color", m.colour());
                if (!xs.isEmpty()) {
                    // one legend entry per method and kind of point; the hover names the seed
                    JsonObject line = ComparisonCharts.trace(
                            "scatter", m.method() + " (loop student, each seed)", unbox(xs), unbox(ys));
                    line.addProperty("mode", "lines+markers");
                    line.addProperty("legendgroup", m.method());
                    line.addProperty("showlegend", firstLine);
                    line.addProperty(
                            "hovertemplate", name + " loop student: %{y:.2f}% at %{x:,.0f} tokens<extra></extra>");
                    firstLine = false;
                    line.add("line", style);
                    line.add("marker", style.deepCopy());
                    traces.add(line);
                }
                if (r.finished() && r.kind() != RunKind.LM_TRAINING) {
                    JsonObject end = ComparisonCharts.trace(
                            "scatter", m.method() + " (final student, each seed)", new double[] {spent}, new double[] {
                                r.headline()
                            });
                    end.addProperty("mode", "markers");
                    end.addProperty("legendgroup", m.method());
                    end.addProperty("showlegend", firstEnd);
                    end.addProperty(
                            "hovertemplate", name + " final student: %{y:.2f}% at %{x:,.0f} tokens<extra></extra>");
                    firstEnd = false;
                    JsonObject star = style.deepCopy();
                    star.addProperty("symbol", "star");
                    star.addProperty("size", 13);
                    end.add("marker", star);
                    traces.add(end);
                }
            }
        }
        if (traces.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PlotlyFigure(
                "Student accuracy against the teacher tokens spent",
                "teacher tokens so far (prompt + completion)",
                "accuracy on real test samples (%)",
                traces));
    }

    /** Iteration to the values (NaN where not logged), for the iterations that log any of them. */
    private static Map<Integer, double[]> byIteration(RunRecord r) {
        Map<Integer, double[]> out = new TreeMap<>();
        Table t = r.metrics();
        for (int i = 0; i < t.rowCount(); i++) {
            int k = METRICS.indexOf(t.stringColumn("metric").get(i));
            if (k < 0) {
                continue;
            }
            double[] v = out.computeIfAbsent(t.intColumn("iteration").get(i), it -> {
                double[] fresh = new double[METRICS.size()];
                Arrays.fill(fresh, Double.NaN);
                return fresh;
            });
            // a resumed run rewrites its metrics, so one iteration has one row per metric; add in case a
            // command logs a metric more than once in an iteration (several teacher phases)
            v[k] = Double.isNaN(v[k])
                    ? t.doubleColumn("value").get(i)
                    : v[k] + t.doubleColumn("value").get(i);
        }
        return out;
    }

    private static double[] unbox(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
