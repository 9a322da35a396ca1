package ai.goldkd.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Curves that grow point by point on one {@link LiveChart}: each {@link #add} redraws the chart in
 * place (in a notebook, its one output; elsewhere, its standalone page), one line per series, such
 * as a training loss per run or a loop's metrics per iteration.
 *
 * <pre>{@code
 * LiveCurves loss = LiveCurves.of(Report.live(dir.resolve("loss.html")), "Training loss", "step", "loss (nats/token)");
 * loss.add("SFT", 10, 1.93);
 * }</pre>
 */
public final class LiveCurves {

    private final LiveChart chart;
    private final String title;
    private final String xTitle;
    private final String yTitle;
    private final Map<String, List<double[]>> series = new LinkedHashMap<>();

    private LiveCurves(LiveChart chart, String title, String xTitle, String yTitle) {
        this.chart = chart;
        this.title = title;
        this.xTitle = xTitle;
        this.yTitle = yTitle;
        // fails here, before the first point, on a missing title
        new PlotlyFigure(title, xTitle, yTitle, new JsonArray());
    }

    /**
     * Curves on a live chart, empty until the first point.
     *
     * @param chart the chart, from {@link Report#live}
     * @param title the chart's title
     * @param xTitle the x axis title, e.g. {@code "step"}
     * @param yTitle the y axis title, with its unit
     * @return the curves
     */
    public static LiveCurves of(LiveChart chart, String title, String xTitle, String yTitle) {
        if (chart == null) {
            throw new IllegalArgumentException("live curves need a chart; pass Report.live(Path.of(\"x.html\"))");
        }
        return new LiveCurves(chart, title, xTitle, yTitle);
    }

    /**
     * Adds a point to a series (a new series gets the next colour) and redraws the chart. A value
     * that is not finite is skipped.
     *
     * @param name the series
     * @param x the point's x
     * @param y the point's y
     */
    public synchronized void add(String name, double x, double y) {
        if (!Double.isFinite(y)) {
            return;
        }
        series.computeIfAbsent(name, n -> new ArrayList<>()).add(new double[] {x, y});
        chart.update(figure());
    }

    /**
     * Adds one point to each of several series at the same x, then redraws once. Values that are not
     * finite are skipped.
     *
     * @param x the points' x
     * @param values series name to y, in the order their lines are drawn
     */
    public synchronized void add(double x, Map<String, Double> values) {
        values.forEach((name, y) -> {
            if (y != null && Double.isFinite(y)) {
                series.computeIfAbsent(name, n -> new ArrayList<>()).add(new double[] {x, y});
            }
        });
        chart.update(figure());
    }

    /** The chart as it is now. */
    public synchronized PlotlyFigure figure() {
        JsonArray traces = new JsonArray();
        int i = 0;
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            List<double[]> points = e.getValue();
            double[] x = new double[points.size()];
            double[] y = new double[points.size()];
            for (int k = 0; k < x.length; k++) {
                x[k] = points.get(k)[0];
                y[k] = points.get(k)[1];
            }
            JsonObject line = ComparisonCharts.trace("scatter", e.getKey(), x, y);
            line.addProperty("mode", x.length > 60 ? "lines" : "lines+markers");
            JsonObject style = new JsonObject();
            style.addProperty("color", PlotlyFigure.colour(i++));
            line.add("line", style);
            line.add("marker", style.deepCopy());
            traces.add(line);
        }
        return new PlotlyFigure(title, xTitle, yTitle, traces);
    }

    /** Every point so far as a long table: series, x, y. */
    public synchronized Table table() {
        StringColumn name = StringColumn.create("series");
        DoubleColumn x = DoubleColumn.create(xTitle);
        DoubleColumn y = DoubleColumn.create("value");
        series.forEach((n, points) -> points.forEach(p -> {
            name.append(n);
            x.append(p[0]);
            y.append(p[1]);
        }));
        return Table.create(title, name, x, y);
    }

    /** The chart these curves draw on. */
    public LiveChart chart() {
        return chart;
    }
}
