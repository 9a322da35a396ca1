package ai.goldkd.gold;

import ai.goldkd.report.Charts;
import ai.goldkd.report.Report;
import ai.goldkd.train.MetricsLog;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Figure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Tables and charts over finished runs: final accuracy per method (mean and standard deviation over
 * seeds) and, per iteration, the validation batch's energy percentiles, the OOD rate and the loop
 * student's accuracy, averaged over seeds.
 *
 * @param runs the run directories, each holding a finished run
 */
public record GoldReport(List<Path> runs) {

    /**
     * Final accuracy per method: method, runs, mean, sd, min, max, training samples.
     *
     * @return the table, one row per method in the order first seen
     */
    public Table summary() {
        Map<String, List<RunResult>> byName = new LinkedHashMap<>();
        for (Path dir : runs) {
            RunResult r = RunDirectory.open(dir).result();
            if (r != null) {
                byName.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(r);
            }
        }
        StringColumn method = StringColumn.create("method");
        IntColumn n = IntColumn.create("seeds");
        DoubleColumn mean = DoubleColumn.create("accuracy %");
        DoubleColumn sd = DoubleColumn.create("sd");
        DoubleColumn min = DoubleColumn.create("min");
        DoubleColumn max = DoubleColumn.create("max");
        DoubleColumn samples = DoubleColumn.create("training samples");
        byName.forEach((name, results) -> {
            double[] a = results.stream().mapToDouble(r -> 100 * r.accuracy()).toArray();
            double m = java.util.Arrays.stream(a).average().orElse(Double.NaN);
            double v = a.length < 2 ? 0 : java.util.Arrays.stream(a).map(x -> (x - m) * (x - m)).sum() / (a.length - 1);
            method.append(name);
            n.append(a.length);
            mean.append(round(m));
            sd.append(round(Math.sqrt(v)));
            min.append(round(java.util.Arrays.stream(a).min().orElse(Double.NaN)));
            max.append(round(java.util.Arrays.stream(a).max().orElse(Double.NaN)));
            samples.append(results.stream().mapToInt(RunResult::trainingSamples).average().orElse(0));
        });
        return Table.create("Final student accuracy on the real test set", method, n, mean, sd, min, max, samples);
    }

    /**
     * Per-iteration metrics, averaged over seeds: method, iteration, metric, value.
     *
     * @return the long table
     */
    public Table perIteration() {
        Map<String, double[]> sums = new TreeMap<>();
        for (Path dir : runs) {
            Path file = RunDirectory.open(dir).metricsFile();
            if (!Files.exists(file)) {
                continue;
            }
            Table t = MetricsLog.read(file);
            for (int i = 0; i < t.rowCount(); i++) {
                String key = t.stringColumn("run").get(i) + "\t" + t.intColumn("iteration").get(i) + "\t"
                        + t.stringColumn("metric").get(i);
                double[] s = sums.computeIfAbsent(key, k -> new double[2]);
                s[0] += t.doubleColumn("value").get(i);
                s[1]++;
            }
        }
        StringColumn method = StringColumn.create("method");
        IntColumn iteration = IntColumn.create("iteration");
        StringColumn metric = StringColumn.create("metric");
        DoubleColumn value = DoubleColumn.create("value");
        sums.forEach((key, s) -> {
            String[] p = key.split("\t");
            method.append(p[0]);
            iteration.append(Integer.parseInt(p[1]));
            metric.append(p[2]);
            value.append(s[0] / s[1]);
        });
        return Table.create("Per-iteration metrics (mean over seeds)", method, iteration, metric, value)
                .sortAscendingOn("method", "iteration");
    }

    /**
     * The charts: energy median and 80th percentile, OOD rate and student accuracy per iteration, and
     * the final accuracy per method.
     *
     * @return the figures
     */
    public List<Figure> figures() {
        Table it = perIteration();
        List<Figure> out = new ArrayList<>();
        out.add(metricChart(it, GoldMetrics.energyPercentile(0.5), "Median energy of the OOD-validation batch",
                "energy (nats, lower = familiar)"));
        out.add(metricChart(it, GoldMetrics.energyPercentile(0.8), "80th energy percentile of the OOD-validation batch",
                "energy (nats)"));
        out.add(metricChart(it, GoldMetrics.OOD_RATE, "OOD rate (share above a fixed energy threshold:"
                + " the 90th percentile at iteration K)", "share of batch"));
        out.add(metricChart(it, GoldMetrics.STUDENT_ACCURACY, "Loop student's accuracy on the real test set", "accuracy (share)"));
        out.add(metricChart(it, GoldMetrics.DISTINCT2, "Distinct-2 of each iteration's samples",
                "distinct bigrams / bigrams"));
        out.add(finalAccuracy());
        return out;
    }

    /**
     * The final student's accuracy per method, as bars.
     *
     * @return the figure
     */
    public Figure finalAccuracy() {
        return Charts.groupedBars("Final student accuracy on the real test set (mean over seeds)",
                "accuracy on real test samples (%)", summary(), "method", "accuracy %");
    }

    /**
     * One metric per iteration, one line per method.
     *
     * @param metric the metric's name ({@code energy_p50}, {@code ood_rate}, {@code student_accuracy}, ...)
     * @param title the chart's title
     * @param yTitle the y axis title, with units
     * @return the figure
     */
    public Figure chart(String metric, String title, String yTitle) {
        return metricChart(perIteration(), metric, title, yTitle);
    }

    /**
     * The validation batch's energy percentiles (10th to 90th) per iteration for one method: the
     * spread of how unfamiliar the teacher's OOD-prompted samples are to the student.
     *
     * @param method the method (a run's name)
     * @return the figure, one line per percentile
     */
    public Figure energyPercentiles(String method) {
        Table it = perIteration();
        Table rows = it.where(it.stringColumn("method").isEqualTo(method)
                .and(it.stringColumn("metric").startsWith(GoldMetrics.ENERGY_PREFIX)));
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no energy percentiles for method '" + method + "'; the runs hold "
                    + it.stringColumn("method").unique().asList());
        }
        return Charts.lines("Energy percentiles of the OOD-validation batch, " + method, rows, "iteration", "value",
                "metric", "iteration", "energy (nats, lower = more familiar)");
    }

    private static Figure metricChart(Table it, String metric, String title, String yTitle) {
        Table rows = it.where(it.stringColumn("metric").isEqualTo(metric));
        return Charts.lines(title, rows, "iteration", "value", "method", "iteration", yTitle);
    }

    /**
     * Writes the standalone HTML report (plotly inlined, offline).
     *
     * @param file the HTML file
     * @param title its title
     * @return the file
     */
    public Path writeHtml(Path file, String title) {
        return Report.writeHtml(file, title, figures(), List.of(summary()));
    }

    private static double round(double x) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.2f", x));
    }
}
