package ai.goldkd.report;

import ai.goldkd.stats.SeedComparison;
import ai.goldkd.stats.SeedSummary;
import tech.tablesaw.aggregate.AggregateFunctions;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs read back from their directories and grouped into methods, seeds together: the summary per
 * method (mean, sd, 95% interval, each seed), the verdict per pair of methods, and the metrics per
 * iteration or step averaged over seeds. {@link ReportPage} lays it out as one HTML page.
 */
public final class RunComparison {

    private final List<RunRecord> runs;
    private final List<MethodRuns> methods;

    private RunComparison(List<RunRecord> runs) {
        this.runs = List.copyOf(runs);
        this.methods = group(runs);
    }

    /**
     * Reads runs, finished or still going.
     *
     * @param paths run directories, or folders of them (see {@link RunRecord#expand})
     * @return the comparison
     */
    public static RunComparison read(List<Path> paths) {
        if (paths == null || paths.isEmpty()) {
            throw new IllegalArgumentException("a report needs at least one run directory; give the --out folder of"
                    + " gold run, gold distill or gold lm train");
        }
        return new RunComparison(
                RunRecord.expand(paths).stream().map(RunRecord::read).toList());
    }

    /**
     * Groups records already read.
     *
     * @param records the runs
     * @return the comparison
     */
    public static RunComparison of(List<RunRecord> records) {
        return new RunComparison(records);
    }

    /** Every run, in the order read. */
    public List<RunRecord> runs() {
        return runs;
    }

    /** The methods, in the order first seen. */
    public List<MethodRuns> methods() {
        return methods;
    }

    /** The methods of one kind of run. */
    public List<MethodRuns> methods(RunKind kind) {
        return methods.stream().filter(m -> m.kind() == kind).toList();
    }

    /** The kinds of run present, in declaration order. */
    public List<RunKind> kinds() {
        return Arrays.stream(RunKind.values())
                .filter(k -> !methods(k).isEmpty())
                .toList();
    }

    /**
     * The summary of one kind's methods: method, runs, seeds (finished), mean, sd, the 95% interval, the
     * value of each seed, and the mean of each further final value.
     *
     * @param kind the kind
     * @return the table, named after the kind's headline, one row per method
     */
    public Table summary(RunKind kind) {
        List<MethodRuns> group = methods(kind);
        StringColumn method = StringColumn.create("method");
        IntColumn runCount = IntColumn.create("runs");
        IntColumn seeds = IntColumn.create("seeds");
        DoubleColumn mean = DoubleColumn.create(kind.headlineLabel());
        DoubleColumn sd = DoubleColumn.create("sd");
        DoubleColumn low = DoubleColumn.create("95% low");
        DoubleColumn high = DoubleColumn.create("95% high");
        StringColumn perSeed = StringColumn.create("per seed");
        Set<String> detailNames = new LinkedHashSet<>();
        group.forEach(
                m -> m.finished().forEach(r -> detailNames.addAll(r.details().keySet())));
        Map<String, DoubleColumn> details = new LinkedHashMap<>();
        detailNames.forEach(d -> details.put(d, DoubleColumn.create(d)));
        for (MethodRuns m : group) {
            Optional<SeedSummary> s = m.summary();
            method.append(m.method());
            runCount.append(m.runs().size());
            seeds.append(s.map(SeedSummary::n).orElse(0));
            mean.append(round(s.map(SeedSummary::mean).orElse(Double.NaN)));
            sd.append(round(s.map(SeedSummary::sd).orElse(Double.NaN)));
            low.append(round(s.map(SeedSummary::low).orElse(Double.NaN)));
            high.append(round(s.map(SeedSummary::high).orElse(Double.NaN)));
            perSeed.append(perSeed(m));
            details.forEach((name, column) -> column.append(round(m.finished().stream()
                    .mapToDouble(r -> r.details().getOrDefault(name, Double.NaN))
                    .filter(Double::isFinite)
                    .average()
                    .orElse(Double.NaN))));
        }
        Table t = Table.create(kind.headlineTitle(), method, runCount, seeds, mean, sd, low, high, perSeed);
        details.values().forEach(t::addColumns);
        return t;
    }

    /**
     * The finished seeds of a method with their values, e.g. {@code "s1 58.20, s2 53.60"}.
     *
     * @param m the method
     * @return the text, empty when none has finished
     */
    public static String perSeed(MethodRuns m) {
        List<String> parts = new ArrayList<>();
        for (RunRecord r : m.finished()) {
            parts.add(r.seedLabel() + " " + String.format(Locale.ROOT, "%.2f", r.headline()));
        }
        return String.join(", ", parts);
    }

    /**
     * One comparison per pair of methods of a kind that have finished runs, in the order the methods
     * were first seen.
     *
     * @param kind the kind
     * @return the comparisons
     */
    public List<SeedComparison> comparisons(RunKind kind) {
        List<MethodRuns> done =
                methods(kind).stream().filter(m -> m.summary().isPresent()).toList();
        List<SeedComparison> out = new ArrayList<>();
        for (int i = 0; i < done.size(); i++) {
            for (int j = i + 1; j < done.size(); j++) {
                MethodRuns a = done.get(i);
                MethodRuns b = done.get(j);
                SeedSummary sa = a.summary().orElseThrow();
                SeedSummary sb = b.summary().orElseThrow();
                out.add(
                        a.seedsKnown() && b.seedsKnown()
                                ? SeedComparison.of(a.method(), sa, b.method(), sb)
                                : SeedComparison.unpaired(a.method(), sa, b.method(), sb));
            }
        }
        return out;
    }

    /**
     * The GOLD runs' per-iteration metrics, averaged over each method's seeds: method, iteration,
     * metric, value (the mean), sd (the sample standard deviation over seeds; 0 for one seed) and
     * seeds (how many runs logged the value).
     *
     * @return the long table
     */
    public Table perIteration() {
        return averaged(RunKind.GOLD, "iteration", "Per-iteration metrics (mean over seeds)");
    }

    /**
     * The training runs' (distillation and lm train) per-step metrics, averaged over each method's
     * seeds: method, step, metric, value, sd, seeds (as in {@link #perIteration()}).
     *
     * @return the long table
     */
    public Table perStep() {
        Table a = averaged(RunKind.DISTILLATION, "step", "Per-step metrics (mean over seeds)");
        a.append(averaged(RunKind.LM_TRAINING, "step", "Per-step metrics (mean over seeds)"));
        return a;
    }

    /**
     * Every run's metrics in one long table: method, seed, iteration, step, metric, value.
     *
     * @param kind the kind of run
     * @return the table
     */
    public Table longMetrics(RunKind kind) {
        StringColumn method = StringColumn.create("method");
        StringColumn seed = StringColumn.create("seed");
        IntColumn iteration = IntColumn.create("iteration");
        LongColumn step = LongColumn.create("step");
        StringColumn metric = StringColumn.create("metric");
        DoubleColumn value = DoubleColumn.create("value");
        for (MethodRuns m : methods(kind)) {
            for (RunRecord r : m.runs()) {
                Table t = r.metrics();
                for (int i = 0; i < t.rowCount(); i++) {
                    method.append(m.method());
                    seed.append(r.seedLabel());
                    iteration.append(t.intColumn("iteration").get(i));
                    step.append(t.longColumn("step").get(i));
                    metric.append(t.stringColumn("metric").get(i));
                    value.append(t.doubleColumn("value").get(i));
                }
            }
        }
        return Table.create("metrics", method, seed, iteration, step, metric, value);
    }

    private Table averaged(RunKind kind, String x, String name) {
        Table all = longMetrics(kind);
        if (all.isEmpty()) {
            Table empty = Table.create(
                    name,
                    StringColumn.create("method"),
                    x.equals("step") ? LongColumn.create(x) : IntColumn.create(x),
                    StringColumn.create("metric"),
                    DoubleColumn.create("value"),
                    DoubleColumn.create("sd"),
                    DoubleColumn.create("seeds"));
            return empty;
        }
        Table mean = all.summarize(
                        "value", AggregateFunctions.mean, AggregateFunctions.stdDev, AggregateFunctions.count)
                .by("method", x, "metric");
        int n = mean.columnCount();
        mean.column(n - 3).setName("value");
        mean.column(n - 2).setName("sd");
        mean.column(n - 1).setName("seeds");
        // one value has no spread (the sample sd of one value is undefined)
        DoubleColumn sd = mean.doubleColumn("sd");
        DoubleColumn seeds = mean.doubleColumn("seeds");
        for (int i = 0; i < mean.rowCount(); i++) {
            if (seeds.get(i) < 2) {
                sd.set(i, 0.0);
            }
        }
        mean.setName(name);
        return mean.sortAscendingOn("method", x);
    }

    /** What groups runs into one method: its kind and name. */
    private record Key(RunKind kind, String method) {}

    private static List<MethodRuns> group(List<RunRecord> runs) {
        Map<Key, List<RunRecord>> byMethod = new LinkedHashMap<>();
        for (RunRecord r : runs) {
            byMethod.computeIfAbsent(new Key(r.kind(), r.method()), k -> new ArrayList<>())
                    .add(r);
        }
        // One method run twice with the same seed (two --out folders, say) is two settings, not two seeds:
        // such runs are told apart by the folder above them.
        Map<Key, List<RunRecord>> split = new LinkedHashMap<>();
        byMethod.forEach((key, list) -> {
            Set<Long> seen = new HashSet<>();
            boolean clash = list.stream().anyMatch(r -> r.seed() != null && !seen.add(r.seed()));
            for (RunRecord r : list) {
                String name = clash ? r.method() + " (" + parentName(r.dir()) + ")" : r.method();
                split.computeIfAbsent(new Key(r.kind(), name), k -> new ArrayList<>())
                        .add(withMethod(r, name));
            }
        });
        List<MethodRuns> out = new ArrayList<>();
        split.forEach((key, list) ->
                out.add(new MethodRuns(list.get(0).method(), list.get(0).kind(), out.size(), list)));
        return out;
    }

    private static RunRecord withMethod(RunRecord r, String method) {
        return method.equals(r.method())
                ? r
                : new RunRecord(
                        r.dir(),
                        r.kind(),
                        method,
                        r.seed(),
                        r.config(),
                        r.metrics(),
                        r.headline(),
                        r.slices(),
                        r.details(),
                        r.status());
    }

    private static String parentName(Path dir) {
        Path parent = dir.toAbsolutePath().normalize().getParent();
        return parent == null || parent.getFileName() == null
                ? "/"
                : parent.getFileName().toString();
    }

    static double round(double x) {
        return Double.isFinite(x) ? Math.round(x * 100) / 100.0 : x;
    }
}
