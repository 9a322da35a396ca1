package ai.goldkd.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.api.LinePlot;
import tech.tablesaw.plotly.components.Figure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class LiveChartTest {

    private static Figure lossAfter(int steps) {
        double[] step = new double[steps];
        double[] loss = new double[steps];
        for (int i = 0; i < steps; i++) {
            step[i] = i + 1;
            loss[i] = 1.0 / (i + 1);
        }
        Table t = Table.create("loss", DoubleColumn.create("step", step), DoubleColumn.create("loss", loss));
        return LinePlot.create("Loss after " + steps + " steps", t, "step", "loss");
    }

    @Test
    void outsideANotebookEachUpdateRewritesOneStandalonePage(@TempDir Path dir) throws Exception {
        assumeTrue(!Notebook.active());
        LiveChart chart = Report.live(dir.resolve("run/loss.html"));
        chart.update(lossAfter(2));
        chart.update(lossAfter(3));
        String html = Files.readString(chart.file());
        assertTrue(html.contains("Loss after 3 steps"), "the page shows the last update");
        assertFalse(html.contains("Loss after 2 steps"), "and only the last one");
        assertTrue(
                html.contains("Plotly.newPlot") && html.contains("(function(define, module, exports){"),
                "a standalone page with plotly.js inlined");
        try (var files = Files.list(chart.file().getParent())) {
            assertEquals(List.of(chart.file()), files.toList(), "no partial file is left behind");
        }
        assertEquals(2, chart.updates());
    }

    @Test
    void inANotebookTwentyUpdatesReplaceOneOutput() {
        assumeTrue(!Notebook.active());
        List<String> shown = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        Notebook.install(Display.of(
                (mime, html) -> {
                    shown.add(html);
                    return "display-" + shown.size();
                },
                (id, mime, html) -> updated.add(id + " " + html)));
        try {
            LiveChart chart = Report.live(Path.of("unused.html"));
            for (int i = 1; i <= 20; i++) {
                chart.update(lossAfter(i + 1));
            }
            assertEquals(2, shown.size(), "plotly.js once in an output of its own, then the chart");
            assertTrue(shown.get(0).contains("(function(define, module, exports){"));
            assertTrue(shown.get(1).contains("Loss after 2 steps"));
            assertEquals(19, updated.size());
            assertTrue(updated.stream().allMatch(u -> u.startsWith("display-2 ")), "every update replaces the chart");
            assertTrue(updated.get(18).contains("Loss after 21 steps"));
            assertFalse(Files.exists(Path.of("unused.html")), "nothing is written in a notebook");
        } finally {
            Notebook.install(null);
        }
    }
}
