package ai.goldkd.gold;

import ai.goldkd.report.Charts;
import ai.goldkd.report.ComparisonCharts;
import ai.goldkd.report.Provenance;
import ai.goldkd.report.ReportPage;
import ai.goldkd.report.RunComparison;
import ai.goldkd.report.RunKind;
import ai.goldkd.report.TeacherCost;
import ai.goldkd.stats.SeedComparison;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Figure;

import java.nio.file.Path;
import java.util.List;

/**
 * Tables, charts and the report page over runs read back from their directories, finished or still
 * going: final accuracy per method (mean, sd, 95% interval and each seed), a verdict per pair of
 * methods, teacher cost, and per iteration the validation batch's energy percentiles, the OOD rate and
 * the loop student's accuracy, averaged over seeds. {@code gold report} writes the same page. It reads
 * distillation and {@code lm train} runs too (their accuracy, losses and throughput per step).
 *
 * @param runs run directories, or folders of them
 */
public record GoldReport(List<Path> runs) {

    /** The runs read now (a run in progress shows what it has so far). */
    public RunComparison comparison() {
        return RunComparison.read(runs);
    }

    /**
     * The summary per method: runs, seeds, mean, sd, 95% interval, each seed's value, training samples.
     * For GOLD runs it is the final student's accuracy; without GOLD runs, the first kind's headline.
     *
     * @return the table, one row per method in the order first seen
     */
    public Table summary() {
        RunComparison c = comparison();
        return c.summary(
                c.kinds().contains(RunKind.GOLD) ? RunKind.GOLD : c.kinds().get(0));
    }

    /**
     * Per-iteration metrics, averaged over seeds: method, iteration, metric, value.
     *
     * @return the long table
     */
    public Table perIteration() {
        return comparison().perIteration();
    }

    /**
     * One verdict per pair of GOLD methods: paired t-test over shared seeds, Welch's otherwise, none
     * for a single seed.
     *
     * @return the comparisons
     */
    public List<SeedComparison> comparisons() {
        return comparison().comparisons(RunKind.GOLD);
    }

    /**
     * The verdicts as sentences.
     *
     * @return one line per pair of methods
     */
    public List<String> verdicts() {
        return comparisons().stream().map(c -> c.verdict(RunKind.GOLD.unit())).toList();
    }

    /**
     * The teacher's cost per run: calls, prompt and completion tokens, seconds, retries, failures.
     *
     * @return the table; empty cells for runs that log no teacher cost
     */
    public Table teacherCost() {
        return TeacherCost.perRun(comparison());
    }

    /**
     * Every chart of the report page.
     *
     * @return the figures
     */
    public List<Figure> figures() {
        return ReportPage.figures(comparison());
    }

    /**
     * The final student's accuracy per method: bars of the mean, error bars of the 95% interval, each
     * seed as a point.
     *
     * @return the figure
     */
    public Figure finalAccuracy() {
        return ComparisonCharts.headline(comparison(), RunKind.GOLD);
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
        RunComparison c = comparison();
        Table it = c.perIteration();
        return ComparisonCharts.lines(c, it, "iteration", metric, title, yTitle)
                .orElseThrow(() -> new IllegalArgumentException("no run logged the metric '" + metric + "'; they log "
                        + it.stringColumn("metric").unique().asList()));
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
        Table rows = it.where(it.stringColumn("method")
                .isEqualTo(method)
                .and(it.stringColumn("metric").startsWith("energy_p")));
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no energy percentiles for method '" + method + "'; the runs hold "
                    + it.stringColumn("method").unique().asList());
        }
        return Charts.lines(
                "Energy percentiles of the OOD-validation batch, " + method,
                rows,
                "iteration",
                "value",
                "metric",
                "iteration",
                "energy (nats, lower = more familiar)");
    }

    /**
     * Writes the standalone HTML report (plotly inlined, offline).
     *
     * @param file the HTML file
     * @param title its title
     * @return the file
     */
    public Path writeHtml(Path file, String title) {
        return writeHtml(file, title, null);
    }

    /**
     * Writes the standalone HTML report, naming the command that made it.
     *
     * @param file the HTML file
     * @param title its title
     * @param command the command line, or null when written from Java
     * @return the file
     */
    public Path writeHtml(Path file, String title, String command) {
        return ReportPage.write(file, title, comparison(), Provenance.here(command));
    }
}
