package ai.goldkd.report;

import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Figure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shows Tablesaw figures and tables inline in a notebook and writes them to standalone HTML files,
 * both with plotly.js inlined so they render offline.
 *
 * <pre>{@code
 * Report.show(LinePlot.create("Loss", metrics, "step", "value"));   // in a notebook
 * Report.writeHtml(Path.of("report.html"), "Run 7", List.of(figure), List.of(table));
 * LiveChart loss = Report.live(Path.of("runs/7/loss.html"));                 // redrawn in place
 * }</pre>
 */
public final class Report {

    private static final AtomicLong NEXT_DIV = new AtomicLong();

    private Report() {}

    /**
     * Shows a figure in the notebook, inlining plotly.js the first time in the session. Returns
     * nothing, so a cell that ends with it shows the chart and no value.
     *
     * @param figure the figure
     */
    public static void show(Figure figure) {
        Notebook.showHtml(Notebook.plotlyOnce() + figureHtml(figure));
    }

    /**
     * Starts a chart that redraws in place: in a notebook each {@link LiveChart#update} replaces the
     * chart's one output; elsewhere each update rewrites {@code file}, a standalone offline page (the
     * chart's own file: an earlier page there is replaced).
     *
     * @param file where the chart goes outside a notebook
     * @return the chart, empty until its first update
     */
    public static LiveChart live(Path file) {
        return new LiveChart(file, file == null ? "" : String.valueOf(file.getFileName()));
    }

    /**
     * Shows a table in the notebook as HTML.
     *
     * @param table the table
     */
    public static void show(Table table) {
        Notebook.showHtml(Tables.html(table, Tables.DEFAULT_MAX_ROWS));
    }

    /**
     * Shows a table in the notebook as HTML, cut in the middle only beyond the given number of rows.
     *
     * @param table the table
     * @param maxRows the most rows to show whole, >= 2
     */
    public static void show(Table table, int maxRows) {
        if (maxRows < 2) {
            throw new IllegalArgumentException("maxRows = " + maxRows + " must be >= 2; use Report.show(table) for"
                    + " the default of " + Tables.DEFAULT_MAX_ROWS);
        }
        Notebook.showHtml(Tables.html(table, maxRows));
    }

    /**
     * Returns the HTML that draws one figure: a div and the script that plots into it. It needs
     * {@code window.Plotly}, which {@link Plotly#scriptTag()} provides.
     *
     * @param figure the figure
     * @return the HTML fragment
     */
    public static String figureHtml(Figure figure) {
        // Tablesaw also names a JavaScript variable after the div, so the id must be a JS identifier.
        String div = "goldplot_" + ProcessHandle.current().pid() + "_" + NEXT_DIV.incrementAndGet();
        return "<div id=\"" + div + "\" class=\"gold-plot\"></div>\n" + figure.asJavascript(div);
    }

    /**
     * Writes a standalone HTML page with the figures, then the tables, that renders with no network.
     *
     * @param file the file to write
     * @param title the page title
     * @param figures the figures, in order
     * @param tables the tables, in order
     * @return the file written
     */
    public static Path writeHtml(Path file, String title, List<Figure> figures, List<Table> tables) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
                .append(Tables.escape(title))
                .append("</title>\n")
                .append(Plotly.scriptTag())
                .append("\n</head><body>\n<h1>")
                .append(Tables.escape(title))
                .append("</h1>\n");
        for (Figure figure : figures) {
            html.append(figureHtml(figure)).append('\n');
        }
        for (Table table : tables) {
            html.append(Tables.html(table, Integer.MAX_VALUE)).append('\n');
        }
        html.append("</body></html>\n");
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.writeString(file, html, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report " + file, e);
        }
        return file;
    }
}
