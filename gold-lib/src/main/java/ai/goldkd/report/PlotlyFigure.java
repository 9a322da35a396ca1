package ai.goldkd.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.traces.Trace;

import java.util.List;

/**
 * A figure given as plotly.js's own JSON (traces and layout), for what Tablesaw's traces cannot say:
 * error bars, points beside bars, charts that fill the page's width. It is a Tablesaw {@link Figure},
 * so {@link Report#show(Figure)} and {@link Report#writeHtml} take it as they take any other.
 */
public final class PlotlyFigure extends Figure {

    /** Chart height in pixels; the width follows the page. */
    public static final int HEIGHT = 440;

    /** plotly.js's default colour cycle, so that a method keeps its colour from chart to chart. */
    private static final List<String> COLOURS = List.of(
            "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
            "#17becf");

    private final JsonArray data;
    private final JsonObject layout;

    /**
     * A figure with a title, axis titles and traces.
     *
     * @param title the chart's title
     * @param xTitle the x axis title, with its unit
     * @param yTitle the y axis title, with its unit
     * @param traces plotly.js trace objects
     */
    public PlotlyFigure(String title, String xTitle, String yTitle, JsonArray traces) {
        super(new Trace[0]);
        if (blank(title) || blank(xTitle) || blank(yTitle)) {
            throw new IllegalArgumentException("a chart needs a title and both axis titles (with units); got title '"
                    + title + "', x '" + xTitle + "', y '" + yTitle + "'");
        }
        this.data = traces.deepCopy();
        JsonObject l = new JsonObject();
        l.add("title", text(title));
        JsonObject x = new JsonObject();
        x.add("title", text(xTitle));
        x.addProperty("automargin", true);
        JsonObject y = new JsonObject();
        y.add("title", text(yTitle));
        y.addProperty("automargin", true);
        l.add("xaxis", x);
        l.add("yaxis", y);
        l.addProperty("autosize", true);
        l.addProperty("height", HEIGHT);
        l.addProperty("hovermode", "closest");
        JsonObject margin = new JsonObject();
        margin.addProperty("t", 60);
        l.add("margin", margin);
        this.layout = l;
    }

    /** The traces, a copy. */
    public JsonArray data() {
        return data.deepCopy();
    }

    /** The layout, a copy. */
    public JsonObject layout() {
        return layout.deepCopy();
    }

    /**
     * The same figure with layout keys set (e.g. {@code barmode}, or an axis of numbered categories).
     *
     * @param key the layout key
     * @param value its JSON value
     * @return a new figure
     */
    public PlotlyFigure withLayout(String key, JsonElement value) {
        PlotlyFigure f = new PlotlyFigure(this);
        f.layout.add(key, value.deepCopy());
        return f;
    }

    private PlotlyFigure(PlotlyFigure other) {
        super(new Trace[0]);
        this.data = other.data.deepCopy();
        this.layout = other.layout.deepCopy();
    }

    @Override
    public String asJavascript(String divName) {
        // JSON is a subset of JavaScript; "</" is escaped so that no title can close the script element.
        String json = "[" + data + "," + layout + "]";
        return "<script>\n(function(){var spec = " + json.replace("</", "<\\/") + ";\n"
                + "Plotly.newPlot(document.getElementById('" + divName + "'), spec[0], spec[1],"
                + " {responsive: true, displaylogo: false});})();\n</script>\n";
    }

    /**
     * The colour of the i-th method in every chart of a report.
     *
     * @param i the method's index
     * @return a CSS colour
     */
    public static String colour(int i) {
        return COLOURS.get(Math.floorMod(i, COLOURS.size()));
    }

    /**
     * A JSON array of numbers, NaN as null (a gap in a line, no bar).
     *
     * @param values the values
     * @return the array
     */
    public static JsonArray numbers(double[] values) {
        JsonArray a = new JsonArray();
        for (double v : values) {
            if (Double.isFinite(v)) {
                a.add(v);
            } else {
                a.add(JsonNull.INSTANCE);
            }
        }
        return a;
    }

    /**
     * A JSON array of strings.
     *
     * @param values the values
     * @return the array
     */
    public static JsonArray strings(List<String> values) {
        JsonArray a = new JsonArray();
        values.forEach(a::add);
        return a;
    }

    private static JsonObject text(String s) {
        JsonObject o = new JsonObject();
        o.addProperty("text", s);
        return o;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
