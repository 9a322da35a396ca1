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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ReportTest {

    @Test
    void standaloneHtmlInlinesPlotlyAndLoadsNothing(@TempDir Path dir) throws Exception {
        assertTrue(
                Files.isRegularFile(Plotly.bundle()),
                "plotly.js missing at " + Plotly.bundle() + ": run environment/gold setup");
        Table t = Table.create("loss", DoubleColumn.create("step", 1, 2, 3), DoubleColumn.create("loss", 3, 2, 1));
        Figure figure = LinePlot.create("Loss by step", t, "step", "loss");
        Path file = Report.writeHtml(dir.resolve("sub/report.html"), "Run <1>", List.of(figure), List.of(t));
        String html = Files.readString(file);
        assertTrue(html.contains("<title>Run &lt;1&gt;</title>"));
        assertTrue(html.contains("Plotly.newPlot"), "the figure is drawn");
        int plotlyEnd = html.indexOf("}).call(window, undefined, undefined, undefined);</script>");
        assertTrue(plotlyEnd > 0 && plotlyEnd < html.indexOf("<div id=\"goldplot_"), "plotly.js comes first");
        // plotly.js's own text mentions URLs and script tags; what matters is the page around it.
        int bundleStart = html.indexOf("(function(define, module, exports){");
        String page = html.substring(0, bundleStart) + html.substring(plotlyEnd);
        assertFalse(
                Pattern.compile("<(script|link)[^>]+(src|href)=", Pattern.CASE_INSENSITIVE)
                        .matcher(page)
                        .find(),
                "no script is loaded from elsewhere");
        assertFalse(page.contains("cdn.plot.ly"));
    }

    @Test
    void theFiguresScriptIsValidJavaScript(@TempDir Path dir) throws Exception {
        Table t = Table.create("loss", DoubleColumn.create("step", 1, 2), DoubleColumn.create("loss", 2, 1));
        String html = Report.figureHtml(LinePlot.create("Loss", t, "step", "loss"));
        String script = html.substring(html.indexOf("<script>") + "<script>".length(), html.lastIndexOf("</script>"));
        Path js = Files.writeString(dir.resolve("figure.js"), script);
        // node ships with every machine this project sets up (npm installs its assets).
        Process node = new ProcessBuilder("node", "--check", js.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(node.getInputStream().readAllBytes());
        assertEquals(0, node.waitFor(), "node --check rejects the figure's script:\n" + out);
    }

    @Test
    void showingOutsideANotebookSaysWhatToDo() {
        assumeTrue(!Notebook.active());
        Table t = Table.create("t", DoubleColumn.create("x", 1));
        IllegalStateException e =
                org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> Report.show(t));
        assertTrue(e.getMessage().contains("Report.writeHtml"));
    }
}
