package ai.goldkd.report;

import ai.goldkd.gold.GoldReport;
import ai.goldkd.stats.SeedComparison;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunReportTest {

    /** SciPy's t.ppf(0.975, 2), as in stats/golden.json. */
    private static final double T_975_2 = 4.302652729749464;

    /** gold at 70, 72, 74% and zerogen at 60, 61, 62% on seeds 1-3, all with teacher cost. */
    static Path twoMethods(Path runs) {
        double[] gold = {0.70, 0.72, 0.74};
        double[] zerogen = {0.60, 0.61, 0.62};
        for (int s = 1; s <= 3; s++) {
            RunFixtures.gold(runs.resolve("gold-s" + s), "gold", s, 4, 4, gold[s - 1], true);
            RunFixtures.gold(runs.resolve("zerogen-s" + s), "zerogen", s, 4, 4, zerogen[s - 1], true);
        }
        return runs;
    }

    @Test
    void twoMethodsShowMeanSdSeedsIntervalsErrorBarsConfigsAndTeacherTokens(@TempDir Path dir) throws Exception {
        Path runs = twoMethods(dir.resolve("runs"));
        GoldReport report = new GoldReport(List.of(runs));
        Path file = report.writeHtml(dir.resolve("out/report.html"), "Two methods", "gold run gold zerogen --seeds 3");
        String html = Files.readString(file);

        assertTrue(html.contains("72.00 &plusmn; 2.00") && html.contains("61.00 &plusmn; 1.00"), "mean +- sd");
        assertTrue(
                html.contains("s1 70.00, s2 72.00, s3 74.00") && html.contains("s1 60.00, s2 61.00, s3 62.00"),
                "per-seed values");
        double half = T_975_2 * 2 / Math.sqrt(3);
        assertTrue(
                html.contains(String.format(java.util.Locale.ROOT, "%.2f to %.2f", 72 - half, 72 + half)),
                "gold's 95% t interval");
        for (String run : List.of("gold-s1", "gold-s2", "gold-s3", "zerogen-s1", "zerogen-s2", "zerogen-s3")) {
            assertTrue(html.contains("href=\"../runs/" + run + "/config.json\""), run + "'s config is linked");
            assertTrue(html.contains("href=\"../runs/" + run + "\""), run + "'s directory is linked");
        }
        assertTrue(html.contains("gold run gold zerogen --seeds 3"), "the command");
        assertTrue(html.contains(" UTC on "), "the date and the machine");

        // The paired differences are 10, 11, 12 points: t = 11 / (1 / sqrt 3), far beyond the spread.
        List<SeedComparison> pairs = report.comparisons();
        assertEquals(1, pairs.size());
        assertEquals(SeedComparison.Test.PAIRED, pairs.get(0).test());
        assertEquals(11 * Math.sqrt(3), pairs.get(0).t(), 1e-9);
        assertTrue(
                html.contains("gold vs zerogen: gold is 11.00 points higher than zerogen, larger than the"
                        + " seed-to-seed spread (paired t-test over 3 shared seeds"),
                html);

        // One error bar per bar, each the 95% interval's half width.
        JsonArray traces = ((PlotlyFigure) report.finalAccuracy()).data();
        JsonObject bars = traces.get(0).getAsJsonObject();
        assertEquals("bar", bars.get("type").getAsString());
        JsonArray errors = bars.getAsJsonObject("error_y").getAsJsonArray("array");
        assertEquals(bars.getAsJsonArray("y").size(), errors.size());
        assertEquals(half, errors.get(0).getAsDouble(), 1e-9);
        assertEquals(T_975_2 * 1 / Math.sqrt(3), errors.get(1).getAsDouble(), 1e-9);
        assertEquals(1 + 2, traces.size(), "the bars and one trace of seed points per method");
        assertEquals(3, traces.get(1).getAsJsonObject().getAsJsonArray("y").size());

        // Teacher tokens: four iterations of 1000 + 10 s prompt tokens and 400 + s completion tokens.
        Table cost = report.teacherCost();
        assertEquals(6, cost.rowCount());
        assertEquals(
                4 * RunFixtures.promptTokens(2),
                cost.doubleColumn("prompt tokens").get(1),
                1e-9);
        assertEquals(
                4 * RunFixtures.completionTokens(2),
                cost.doubleColumn("completion tokens").get(1),
                1e-9);
        assertEquals(2, cost.doubleColumn("retries").get(0), 1e-9);
        assertTrue(html.contains("<h2>Teacher cost</h2>"));
        assertTrue(html.contains(">" + cost.doubleColumn("prompt tokens").getString(1) + "<"), "prompt tokens shown");
        assertTrue(html.contains("Student accuracy against the teacher tokens spent"));
        JsonArray tokenTraces = ((PlotlyFigure)
                        TeacherCost.accuracyAgainstTokens(report.comparison()).orElseThrow())
                .data();
        JsonArray x = tokenTraces.get(0).getAsJsonObject().getAsJsonArray("x");
        double perIteration = RunFixtures.promptTokens(1) + RunFixtures.completionTokens(1);
        assertEquals(perIteration, x.get(0).getAsDouble(), 1e-9, "cumulative tokens after iteration 0");
        assertEquals(4 * perIteration, x.get(3).getAsDouble(), 1e-9, "cumulative tokens after iteration 3");
    }

    @Test
    void oneSeedGetsNoIntervalAndTheOneSeedVerdict(@TempDir Path dir) throws Exception {
        Path runs = twoMethods(dir.resolve("runs"));
        RunFixtures.gold(runs.resolve("solo-s1"), "solo", 1, 4, 4, 0.99, true);
        GoldReport report = new GoldReport(List.of(runs));
        String html = Files.readString(report.writeHtml(dir.resolve("report.html"), "With one seed"));
        assertTrue(html.contains("99.00 (one seed, no sd)</td><td>none: one seed</td>"), "no interval for one seed");
        List<String> verdicts = report.verdicts();
        assertEquals(3, verdicts.size());
        String verdict = verdicts.stream()
                .filter(v -> v.startsWith("gold vs solo"))
                .findFirst()
                .orElseThrow();
        assertTrue(verdict.contains("one seed cannot decide"), verdict);
        assertFalse(verdict.contains("larger than"), "27 points apart, and still no verdict from one seed: " + verdict);
        assertTrue(html.contains(Tables.escape(verdict)), "the verdict is on the page");
        Table summary = report.summary();
        int row = summary.stringColumn("method").indexOf("solo");
        assertTrue(summary.doubleColumn("95% low").isMissing(row), "no interval in the table either");
        JsonArray traces = ((PlotlyFigure) report.finalAccuracy()).data();
        JsonObject withInterval = traces.get(0).getAsJsonObject();
        JsonObject single = traces.get(1).getAsJsonObject();
        int solo = report.comparison().methods().stream()
                .map(MethodRuns::method)
                .toList()
                .indexOf("solo");
        assertEquals(
                2,
                withInterval.getAsJsonObject("error_y").getAsJsonArray("array").size(),
                "gold and zerogen");
        assertEquals("bar", single.get("type").getAsString());
        assertEquals(solo, single.getAsJsonArray("x").get(0).getAsInt(), "solo's bar");
        assertFalse(single.has("error_y"), "no error bar at all for the single seed");
    }

    @Test
    void aMethodWithSeveralSeedsGetsABandOfOneSdOnThePerIterationCharts(@TempDir Path dir) throws Exception {
        Path runs = twoMethods(dir.resolve("runs"));
        RunFixtures.gold(runs.resolve("solo-s1"), "solo", 1, 4, 4, 0.99, true);
        GoldReport report = new GoldReport(List.of(runs));
        // the fixture's student_accuracy is 0.5 + 0.02 t + 0.001 seed: over seeds 1-3 a mean of
        // 0.502 + 0.02 t and a sample sd of 0.001
        JsonArray traces = ((PlotlyFigure) report.chart("student_accuracy", "Accuracy", "accuracy (share)")).data();
        assertEquals(3 + 3 + 1, traces.size(), "gold and zerogen: band low, band high, line; solo: its line only");
        JsonObject low = traces.get(0).getAsJsonObject();
        JsonObject high = traces.get(1).getAsJsonObject();
        JsonObject line = traces.get(2).getAsJsonObject();
        assertEquals(ComparisonCharts.bandName("gold"), high.get("name").getAsString());
        assertEquals("tonexty", high.get("fill").getAsString(), "the upper edge fills down to the lower");
        assertFalse(low.has("fill"));
        assertEquals("gold", line.get("name").getAsString());
        for (int t = 0; t < 4; t++) {
            double mean = 0.502 + 0.02 * t;
            assertEquals(mean, line.getAsJsonArray("y").get(t).getAsDouble(), 1e-12);
            assertEquals(mean - 0.001, low.getAsJsonArray("y").get(t).getAsDouble(), 1e-12);
            assertEquals(mean + 0.001, high.getAsJsonArray("y").get(t).getAsDouble(), 1e-12);
        }
        List<String> names = new java.util.ArrayList<>();
        traces.forEach(tr -> names.add(tr.getAsJsonObject().get("name").getAsString()));
        assertEquals(
                List.of(
                        ComparisonCharts.bandName("gold"),
                        ComparisonCharts.bandName("gold"),
                        "gold",
                        "solo",
                        ComparisonCharts.bandName("zerogen"),
                        ComparisonCharts.bandName("zerogen"),
                        "zerogen"),
                names,
                "the runs are read in folder order; one seed (solo): no band");
        Table it = report.perIteration();
        Table soloRows = it.where(it.stringColumn("method").isEqualTo("solo"));
        assertTrue(soloRows.doubleColumn("seeds").asList().stream().allMatch(n -> n == 1.0));

        String html = Files.readString(report.writeHtml(dir.resolve("report.html"), "Bands"));
        for (String method : List.of("gold", "zerogen")) {
            assertTrue(html.contains("\"name\":\"" + ComparisonCharts.bandName(method) + "\""), method + "'s band");
        }
        assertFalse(html.contains(ComparisonCharts.bandName("solo")), "no band for one seed on the page");
        // five per-iteration charts, each with a band for gold and for zerogen
        assertEquals(5 * 2, html.split("\"fill\":\"tonexty\"", -1).length - 1, "band traces in the page's chart data");
        assertTrue(html.contains("one sample standard deviation over its seeds"), "the page says what the band is");
    }

    @Test
    void aRunInProgressShowsWhatItHasSoFar(@TempDir Path dir) throws Exception {
        Path runs = twoMethods(dir.resolve("runs"));
        RunFixtures.gold(runs.resolve("gold-s4"), "gold", 4, 4, 2, Double.NaN, true);
        RunComparison c = RunComparison.read(List.of(runs));
        RunRecord going = c.runs().stream()
                .filter(r -> r.dir().endsWith("gold-s4"))
                .findFirst()
                .orElseThrow();
        assertFalse(going.finished());
        assertEquals("in progress or stopped: 2 of 4 iterations done", going.status());
        assertEquals(3, c.methods().get(0).summary().orElseThrow().n(), "the summary waits for its final value");
        String html = Files.readString(ReportPage.write(dir.resolve("r.html"), "Going", c, Provenance.here(null)));
        assertTrue(html.contains("2 of 4 iterations done") && html.contains("3 (+1 unfinished)"), "status shown");
        assertTrue(html.contains("Written from Java (GoldReport)."));
    }

    @Test
    void distillationAndLmRunsGetTheirCurvesFamiliesAndSummary(@TempDir Path dir) throws Exception {
        RunFixtures.distillation(dir.resolve("distill/gkd-s1"), 1, 0.30);
        RunFixtures.distillation(dir.resolve("distill/gkd-s2"), 2, 0.34);
        RunFixtures.lm(dir.resolve("lm/tiny"));
        RunComparison c = RunComparison.read(List.of(dir.resolve("distill"), dir.resolve("lm/tiny")));
        assertEquals(List.of(RunKind.DISTILLATION, RunKind.LM_TRAINING), c.kinds());
        MethodRuns gkd = c.methods(RunKind.DISTILLATION).get(0);
        assertEquals("gkd", gkd.method(), "seeds of one method are grouped");
        assertEquals(32.0, gkd.summary().orElseThrow().mean(), 1e-9);
        RunRecord lm = c.methods(RunKind.LM_TRAINING).get(0).runs().get(0);
        assertEquals(5.50, lm.headline(), 1e-12, "the best held-out loss; the cut-off last line is skipped");
        List<String> titles = ReportPage.figures(c).stream()
                .map(f -> ((PlotlyFigure) f)
                        .layout()
                        .getAsJsonObject("title")
                        .get("text")
                        .getAsString())
                .toList();
        for (String expected : List.of(
                "Training loss",
                "Divergence from the teacher",
                "Validation cross-entropy (held-out loss)",
                "On-policy fraction (share of batches the student wrote)",
                "Training throughput",
                "Distilled student's test accuracy per family (mean over seeds, 95% interval)",
                "Best held-out loss: mean, 95% interval, each seed")) {
            assertTrue(titles.contains(expected), expected + " in " + titles);
        }
        String html = Files.readString(ReportPage.write(dir.resolve("r.html"), "Training", c, Provenance.here("x")));
        assertTrue(html.contains("32.00 &plusmn; 2.83"), "mean +- sd of 30 and 34");
        assertTrue(html.contains("href=\"distill/gkd-s1/distillation.json\""));
        assertFalse(html.contains("Teacher cost"), "no teacher cost section when no run logs it");
    }

    @Test
    void teacherCostShowsOnlyWhereRunsLogIt(@TempDir Path dir) throws Exception {
        RunFixtures.gold(dir.resolve("plain/zerogen-s1"), "zerogen", 1, 4, 4, 0.6, false);
        RunComparison none = RunComparison.read(List.of(dir.resolve("plain")));
        assertFalse(TeacherCost.present(none));
        assertTrue(TeacherCost.accuracyAgainstTokens(none).isEmpty());
        String html = Files.readString(ReportPage.write(dir.resolve("a.html"), "No cost", none, Provenance.here(null)));
        assertFalse(html.contains("Teacher cost"), "nothing shown for runs that log no teacher cost");

        RunFixtures.gold(dir.resolve("plain/gold-s1"), "gold", 1, 4, 4, 0.7, true);
        Table cost = TeacherCost.perRun(RunComparison.read(List.of(dir.resolve("plain"))));
        int without = cost.stringColumn("method").indexOf("zerogen");
        int with = cost.stringColumn("method").indexOf("gold");
        assertTrue(cost.doubleColumn("prompt tokens").isMissing(without), "no zero invented for a run without rows");
        assertEquals(
                4 * RunFixtures.promptTokens(1),
                cost.doubleColumn("prompt tokens").get(with),
                1e-9);
    }

    @Test
    void theIterationsPlannedAreFoundInAConfigSection(@TempDir Path dir) throws Exception {
        Path run = RunFixtures.gold(dir.resolve("gold-s1"), "gold", 1, 4, 3, Double.NaN, false);
        Files.writeString(
                run.resolve("config.json"), "{\"name\": \"gold\", \"seed\": 1, \"loop\": {\"iterations\": 9}}");
        assertEquals(
                "in progress or stopped: 3 of 9 iterations done",
                RunRecord.read(run).status());
    }

    @Test
    void oneMethodRunTwiceWithTheSameSeedIsTwoSettingsNotTwoSeeds(@TempDir Path dir) {
        RunFixtures.gold(dir.resolve("a/gold-s1"), "gold", 1, 4, 4, 0.7, false);
        RunFixtures.gold(dir.resolve("b/gold-s1"), "gold", 1, 4, 4, 0.6, false);
        RunComparison c = RunComparison.read(List.of(dir.resolve("a"), dir.resolve("b")));
        assertEquals(
                List.of("gold (a)", "gold (b)"),
                c.methods().stream().map(MethodRuns::method).toList());
    }

    @Test
    void aFolderThatHoldsNoRunIsNamed(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("empty/sub"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> RunComparison.read(List.of(dir.resolve("empty"))));
        assertTrue(e.getMessage().contains(dir.resolve("empty") + " holds no run"), e.getMessage());
    }
}
