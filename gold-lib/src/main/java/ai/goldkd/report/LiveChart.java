package ai.goldkd.report;

import tech.tablesaw.plotly.components.Figure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A chart that redraws as its data grows, such as a loss curve during training: in a notebook, one
 * output that every {@link #update} replaces; elsewhere, a standalone offline HTML page that every
 * update rewrites.
 *
 * <pre>{@code
 * LiveChart chart = Report.live(runDir.resolve("loss.html"));
 * for (...) { ...; chart.update(LinePlot.create("Loss", metrics, "step", "value")); }
 * }</pre>
 */
public final class LiveChart {

    private final Path file;
    private final String title;
    private String displayId;
    private int updates;

    LiveChart(Path file, String title) {
        if (file == null) {
            throw new IllegalArgumentException(
                    "a live chart needs a file to write outside a notebook; pass a path" + " such as runs/x/loss.html");
        }
        this.file = file;
        this.title = title;
    }

    /**
     * Draws the figure in place of the previous one.
     *
     * @param figure the chart as it is now
     */
    public void update(Figure figure) {
        if (Notebook.active()) {
            if (displayId == null) {
                // plotly.js goes into an output of its own: an update replaces the chart's output, and
                // the saved notebook must keep the library that every chart of the session draws with.
                String plotly = Notebook.plotlyOnce();
                if (!plotly.isEmpty()) {
                    Notebook.showHtml(plotly);
                }
                displayId = Notebook.showHtml(Report.figureHtml(figure));
            } else {
                Notebook.display().orElseThrow().update(displayId, "text/html", Report.figureHtml(figure));
            }
        } else {
            writeFile(figure);
        }
        updates++;
    }

    /** The number of updates so far. */
    public int updates() {
        return updates;
    }

    /** The page written outside a notebook. */
    public Path file() {
        return file;
    }

    /** Writes beside the target, then moves: a reader of the page never sees half of it. */
    private void writeFile(Figure figure) {
        Path target = file.toAbsolutePath();
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        Report.writeHtml(partial, title, List.of(figure), List.of());
        try {
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace the live chart " + target + ": " + e.getMessage(), e);
        }
    }
}
