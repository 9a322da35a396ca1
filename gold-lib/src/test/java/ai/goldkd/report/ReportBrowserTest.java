package ai.goldkd.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.api.LinePlot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The report page rendered in a real headless browser (Debian's chromium, which {@code environment/gold
 * test} installs), with every host name unresolvable so that nothing can load from the network: no
 * script error, and every chart drawn.
 */
class ReportBrowserTest {

    private static final Pattern SCRIPT_ERROR =
            Pattern.compile("CONSOLE[^\\]]*\\] \"(Uncaught[^\"]*|[^\"]*Error[^\"]*)\"");

    /** What the browser made of a page. */
    record Rendered(String dom, List<String> scriptErrors, String log) {

        int count(String needle) {
            int n = 0;
            for (int i = dom.indexOf(needle); i >= 0; i = dom.indexOf(needle, i + needle.length())) {
                n++;
            }
            return n;
        }
    }

    static Path chromium() {
        String override = System.getenv("GOLD_CHROMIUM");
        for (String candidate :
                override != null ? List.of(override) : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        return fail("no chromium at /usr/bin/chromium: the report's browser test needs it; environment/gold test"
                + " installs it (Debian package chromium), or set GOLD_CHROMIUM to a Chromium binary");
    }

    static Rendered render(Path page, Path work) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(work, "chromium-profile");
        Path dom = work.resolve("dom.html");
        Path log = work.resolve("chromium.log");
        Process p = new ProcessBuilder(
                        chromium().toString(),
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--no-first-run",
                        "--user-data-dir=" + profile,
                        "--enable-logging=stderr",
                        "--v=0",
                        // offline: any host name fails to resolve, so a page that needed the network would not draw
                        "--host-resolver-rules=MAP * ~NOTFOUND",
                        "--virtual-time-budget=30000",
                        "--window-size=1280,900",
                        "--dump-dom",
                        page.toUri().toString())
                .redirectOutput(dom.toFile())
                .redirectError(log.toFile())
                .start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish rendering " + page + " in 180 s; its log: " + log);
        }
        String logText = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "chromium failed on " + page + ":\n" + logText);
        List<String> errors = new ArrayList<>();
        Matcher m = SCRIPT_ERROR.matcher(logText);
        while (m.find()) {
            errors.add(m.group(1));
        }
        return new Rendered(Files.readString(dom, StandardCharsets.UTF_8), errors, logText);
    }

    @Test
    void theReportDrawsEveryChartWithNoScriptErrorOffline(@TempDir Path dir) throws Exception {
        Path runs = RunReportTest.twoMethods(dir.resolve("runs"));
        RunFixtures.gold(runs.resolve("solo-s1"), "solo", 1, 4, 4, 0.66, true);
        RunFixtures.gold(runs.resolve("gold-s4"), "gold", 4, 4, 2, Double.NaN, true);
        RunFixtures.distillation(dir.resolve("distill/gkd-s1"), 1, 0.30);
        RunFixtures.distillation(dir.resolve("distill/gkd-s2"), 2, 0.34);
        RunFixtures.lm(dir.resolve("lm/tiny"));
        RunComparison c = RunComparison.read(List.of(runs, dir.resolve("distill"), dir.resolve("lm")));
        int charts = ReportPage.figures(c).size();
        assertTrue(charts >= 15, "the fixture covers every kind of chart; got " + charts);
        Path page = ReportPage.write(dir.resolve("report.html"), "Browser check", c, Provenance.here("test"));
        assertEquals(charts, count(Files.readString(page), "class=\"gold-plot\""), "one div per chart");

        Rendered r = render(page, dir);
        assertEquals(List.of(), r.scriptErrors(), "script errors; chromium's log:\n" + r.log());
        assertEquals(charts, r.count("class=\"gold-plot js-plotly-plot\""), "plotly drew every chart");
        assertTrue(r.count("class=\"main-svg\"") >= charts, "each chart has its SVG");
        // An error bar for each bar with two seeds or more: gold and zerogen (solo has one seed), the
        // distillation method, and its two families; the lm run has one seed. Plotly draws each as a g.errorbar.
        assertEquals(2 + 1 + 2, r.count("class=\"errorbar\""), "error bars drawn");
    }

    @Test
    void theCheckSeesAScriptErrorAndAChartThatWasNotDrawn(@TempDir Path dir) throws Exception {
        // A control: the same checks fail on a page that is broken, so a pass above means something.
        Table t = Table.create("t", DoubleColumn.create("x", 1, 2), DoubleColumn.create("y", 2, 1));
        Path page = Report.writeHtml(
                dir.resolve("broken.html"), "Broken", List.of(LinePlot.create("ok", t, "x", "y")), List.of());
        String html = Files.readString(page)
                .replace(
                        "</body>",
                        "<div class=\"gold-plot\"></div>"
                                + "<script>Plotly.newPlot(document.getElementById('missing'), nosuchData, {});</script></body>");
        Files.writeString(page, html);
        Rendered r = render(page, dir);
        assertFalse(r.scriptErrors().isEmpty(), "the deliberate error is reported; log:\n" + r.log());
        assertTrue(
                r.scriptErrors().get(0).contains("nosuchData"), r.scriptErrors().toString());
        assertEquals(1, r.count("class=\"gold-plot js-plotly-plot\""), "the good chart drew, the other did not");
        assertEquals(2, r.count("class=\"gold-plot"), "two chart divs");
    }

    private static int count(String text, String needle) {
        return new Rendered(text, List.of(), "").count(needle);
    }
}
