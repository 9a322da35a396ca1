package ai.goldkd.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.api.LinePlot;
import tech.tablesaw.plotly.components.Figure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ReportTest {

    @Test
    void standaloneHtmlInlinesPlotlyAndLoadsNothing(@TempDir Path dir) throws Exception {
        assertTrue(Files.isRegularFile(Plotly.bundle()), "plotly.js missing at " + Plotly.bundle() + ": run environment/gold setup");
        Table t = Table.create("loss", DoubleColumn.create("step", 1, 2, 3), DoubleColumn.create("loss", 3, 2, 1));
        Figure figure = LinePlot.create("Loss by step", t, "step", "loss");
        Path file = Report.writeHtml(dir.resolve("sub/report.html"), "Run <1>", List.of(figure), List.of(t));
        String html = Files.readString(file);
        assertTrue(html.contains("<title>Run &lt;1&gt;</title>"));
        assertTrue(html.contains("Plotly.newPlot"), "the figure is drawn");
        assertTrue(html.indexOf("globalThis") < html.indexOf("Plotly.newPlot"), "plotly.js comes first");
        assertFalse(Pattern.compile("<script[^>]+src=", Pattern.CASE_INSENSITIVE).matcher(html).find(),
                "no script is loaded from elsewhere");
        assertFalse(html.contains("cdn.plot.ly"));
    }

    @Test
    void showingOutsideANotebookSaysWhatToDo() {
        assumeTrue(!Notebook.active());
        Table t = Table.create("t", DoubleColumn.create("x", 1));
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> Report.show(t));
        assertTrue(e.getMessage().contains("Report.writeHtml"));
    }
}
