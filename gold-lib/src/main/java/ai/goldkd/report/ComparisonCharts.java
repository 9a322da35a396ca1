package ai.goldkd.report;

import ai.goldkd.stats.SeedSummary;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The charts of a run comparison: the headline value per method with its 95% interval and each seed,
 * metrics over iterations or steps (one line per method, mean over seeds), and accuracy per family.
 */
public final class ComparisonCharts {

    private ComparisonCharts() {}

    /**
     * Bars of each method's mean headline value, error bars of its 95% t interval (none for one seed),
     * and each seed's value as a point beside its bar.
     *
     * @param comparison the runs
     * @param kind which kind's headline
     * @return the figure
     */
    public static PlotlyFigure headline(RunComparison comparison, RunKind kind) {
        List<MethodRuns> methods = comparison.methods(kind).stream()
                .filter(m -> m.summary().isPresent())
                .toList();
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("no run of " + kind.command() + " has finished yet, so there is no "
                    + kind.headlineLabel() + " to chart; the runs read are "
                    + comparison.runs().stream()
                            .map(r -> r.dir() + " (" + r.status() + ")")
                            .toList());
        }
        double[] x = new double[methods.size()];
        List<String> names = new ArrayList<>();
        JsonArray traces = new JsonArray();
        // Methods with an interval carry error bars; single seeds are a second trace with none at all (plotly
        // would draw a zero-length bar for a missing one, which reads as "no spread").
        for (boolean withInterval : new boolean[] {true, false}) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < methods.size(); i++) {
                if (methods.get(i).summary().orElseThrow().hasInterval() == withInterval) {
                    members.add(i);
                }
            }
            if (members.isEmpty()) {
                continue;
            }
            double[] bx = new double[members.size()];
            double[] mean = new double[members.size()];
            double[] half = new double[members.size()];
            JsonArray colours = new JsonArray();
            for (int k = 0; k < members.size(); k++) {
                SeedSummary s = methods.get(members.get(k)).summary().orElseThrow();
                bx[k] = members.get(k);
                mean[k] = s.mean();
                half[k] = s.halfWidth();
                colours.add(methods.get(members.get(k)).colour());
            }
            JsonObject bars = trace("bar", withInterval ? "mean over seeds" : "one seed", bx, mean);
            JsonObject marker = new JsonObject();
            marker.add("color", colours);
            marker.addProperty("opacity", 0.75);
            bars.add("marker", marker);
            if (withInterval) {
                JsonObject error = new JsonObject();
                error.addProperty("type", "data");
                error.add("array", PlotlyFigure.numbers(half));
                error.addProperty("visible", true);
                error.addProperty("thickness", 2);
                error.addProperty("width", 8);
                error.addProperty("color", "#222");
                bars.add("error_y", error);
                bars.addProperty("hovertemplate", "%{y:.2f} &plusmn; %{error_y.array:.2f} (95%)<extra></extra>");
            } else {
                bars.addProperty("hovertemplate", "%{y:.2f} (one seed)<extra></extra>");
            }
            bars.addProperty("width", 0.6);
            traces.add(bars);
        }
        for (int i = 0; i < methods.size(); i++) {
            SeedSummary s = methods.get(i).summary().orElseThrow();
            x[i] = i;
            names.add(methods.get(i).method() + " (" + s.n() + (s.n() == 1 ? " seed)" : " seeds)"));
        }
        for (int i = 0; i < methods.size(); i++) {
            MethodRuns m = methods.get(i);
            List<RunRecord> done = m.finished();
            double[] px = new double[done.size()];
            double[] py = new double[done.size()];
            List<String> labels = new ArrayList<>();
            for (int k = 0; k < done.size(); k++) {
                // spread the seeds across the right half of the bar so that equal values stay visible
                px[k] = i + 0.05 + (done.size() == 1 ? 0.1 : 0.2 * k / (done.size() - 1));
                py[k] = done.get(k).headline();
                labels.add(m.method() + " " + done.get(k).seedLabel());
            }
            JsonObject points = trace("scatter", m.method() + " seeds", px, py);
            points.addProperty("mode", "markers");
            points.add("text", PlotlyFigure.strings(labels));
            points.addProperty("hovertemplate", "%{text}: %{y:.2f}<extra></extra>");
            points.addProperty("showlegend", false);
            JsonObject dot = new JsonObject();
            dot.addProperty("color", "#111");
            dot.addProperty("size", 8);
            dot.addProperty("symbol", "circle-open");
            JsonObject line = new JsonObject();
            line.addProperty("width", 2);
            dot.add("line", line);
            points.add("marker", dot);
            traces.add(points);
        }
        JsonObject xaxis = new JsonObject();
        xaxis.addProperty("tickmode", "array");
        xaxis.add("tickvals", PlotlyFigure.numbers(x));
        xaxis.add("ticktext", PlotlyFigure.strings(names));
        xaxis.add("range", PlotlyFigure.numbers(new double[] {-0.6, methods.size() - 0.4}));
        xaxis.addProperty("zeroline", false);
        xaxis.add("title", text("method"));
        PlotlyFigure f = new PlotlyFigure(
                kind.headlineTitle() + ": mean, 95% interval, each seed", "method", kind.headlineLabel(), traces);
        JsonObject yaxis = f.layout().getAsJsonObject("yaxis");
        // bars read from zero up, also when every value is 0 (plotly would centre those on 0)
        yaxis.addProperty("rangemode", "tozero");
        return f.withLayout("xaxis", xaxis)
                .withLayout("yaxis", yaxis)
                .withLayout("showlegend", new JsonPrimitive(false))
                .withLayout("barmode", new JsonPrimitive("overlay"));
    }

    /**
     * One metric over iterations or steps, one line per method (the mean over its seeds) and, for a
     * method with two seeds or more, a shaded band of the mean plus and minus one sample standard
     * deviation over its seeds (where the table has the {@code sd} and {@code seeds} columns that
     * {@link RunComparison#perIteration()} gives).
     *
     * @param comparison the runs (for the methods' colours)
     * @param averaged a long table: method, the x column, metric, value
     * @param xColumn the x column ({@code iteration} or {@code step})
     * @param metric the metric
     * @param title the chart's title
     * @param yTitle the y axis title, with its unit
     * @return the figure, or empty when no run logged the metric
     */
    public static Optional<PlotlyFigure> lines(
            RunComparison comparison, Table averaged, String xColumn, String metric, String title, String yTitle) {
        Table rows = averaged.where(averaged.stringColumn("metric").isEqualTo(metric));
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        JsonArray traces = new JsonArray();
        for (MethodRuns m : comparison.methods()) {
            Table t = rows.where(rows.stringColumn("method").isEqualTo(m.method()));
            if (t.isEmpty()) {
                continue;
            }
            double[] x = ((NumericColumn<?>) t.numberColumn(xColumn)).asDoubleArray();
            double[] y = t.doubleColumn("value").asDoubleArray();
            band(m, t, x, y).forEach(traces::add);
            JsonObject line = trace("scatter", m.method(), x, y);
            line.addProperty("mode", t.rowCount() > 60 ? "lines" : "lines+markers");
            JsonObject style = new JsonObject();
            style.addProperty("color", m.colour());
            line.add("line", style);
            line.add("marker", style.deepCopy());
            traces.add(line);
        }
        PlotlyFigure f = new PlotlyFigure(title, xColumn, yTitle, traces);
        if (xColumn.equals("iteration")) {
            // whole iterations only: no tick at 0.5
            JsonObject xaxis = f.layout().getAsJsonObject("xaxis");
            double last = ((NumericColumn<?>) rows.numberColumn(xColumn)).max();
            xaxis.addProperty("dtick", Math.max(1, Math.ceil(last / 12)));
            f = f.withLayout("xaxis", xaxis);
        }
        return Optional.of(f);
    }

    /**
     * Final accuracy per family (the arithmetic task's slices), grouped by family, one bar per method
     * with its 95% interval over seeds.
     *
     * @param comparison the runs
     * @param kind the kind of run
     * @return the figure, or empty when no finished run has families
     */
    public static Optional<PlotlyFigure> families(RunComparison comparison, RunKind kind) {
        Set<String> families = new LinkedHashSet<>();
        comparison
                .methods(kind)
                .forEach(m ->
                        m.finished().forEach(r -> families.addAll(r.slices().keySet())));
        if (families.isEmpty()) {
            return Optional.empty();
        }
        List<String> names = new ArrayList<>(families);
        JsonArray traces = new JsonArray();
        for (MethodRuns m : comparison.methods(kind)) {
            if (m.finished().isEmpty()) {
                continue;
            }
            double[] mean = new double[names.size()];
            double[] half = new double[names.size()];
            for (int f = 0; f < names.size(); f++) {
                Map<Long, Double> bySeed = new LinkedHashMap<>();
                for (RunRecord r : m.finished()) {
                    Double v = r.slices().get(names.get(f));
                    if (v != null && Double.isFinite(v)) {
                        bySeed.put(m.key(r), v);
                    }
                }
                SeedSummary s = bySeed.isEmpty() ? null : SeedSummary.of(bySeed);
                mean[f] = s == null ? Double.NaN : s.mean();
                half[f] = s == null ? Double.NaN : s.halfWidth();
            }
            JsonObject bars = new JsonObject();
            bars.addProperty("type", "bar");
            bars.addProperty("name", m.method());
            bars.add("x", PlotlyFigure.strings(names));
            bars.add("y", PlotlyFigure.numbers(mean));
            JsonObject colour = new JsonObject();
            colour.addProperty("color", m.colour());
            bars.add("marker", colour);
            JsonObject error = new JsonObject();
            error.addProperty("type", "data");
            error.add("array", PlotlyFigure.numbers(half));
            error.addProperty("visible", true);
            bars.add("error_y", error);
            traces.add(bars);
        }
        return Optional.of(new PlotlyFigure(
                        kind.headlineTitle() + " per family (mean over seeds, 95% interval)",
                        "family",
                        "accuracy %",
                        traces)
                .withLayout("barmode", new JsonPrimitive("group")));
    }

    /** The legend name of a method's seed band. */
    static String bandName(String method) {
        return method + " \u00b1 1 sd over seeds";
    }

    /**
     * The two traces of a method's band, mean - sd then mean + sd filled down to it; none when no point
     * has two seeds. A point with one seed is a gap in the band.
     */
    private static List<JsonObject> band(MethodRuns m, Table t, double[] x, double[] mean) {
        if (!t.columnNames().contains("sd") || !t.columnNames().contains("seeds")) {
            return List.of();
        }
        double[] sd = t.doubleColumn("sd").asDoubleArray();
        double[] seeds = ((NumericColumn<?>) t.numberColumn("seeds")).asDoubleArray();
        double[] low = new double[mean.length];
        double[] high = new double[mean.length];
        boolean any = false;
        for (int i = 0; i < mean.length; i++) {
            boolean spread = seeds[i] >= 2 && Double.isFinite(sd[i]);
            low[i] = spread ? mean[i] - sd[i] : Double.NaN;
            high[i] = spread ? mean[i] + sd[i] : Double.NaN;
            any |= spread;
        }
        if (!any) {
            return List.of();
        }
        JsonObject edge = new JsonObject();
        edge.addProperty("width", 0);
        edge.addProperty("color", m.colour());
        JsonObject lower = trace("scatter", bandName(m.method()), x, low);
        lower.addProperty("mode", "lines");
        lower.add("line", edge);
        lower.addProperty("showlegend", false);
        lower.addProperty("hoverinfo", "skip");
        lower.addProperty("legendgroup", m.method() + " band");
        JsonObject upper = lower.deepCopy();
        upper.add("y", PlotlyFigure.numbers(high));
        upper.addProperty("fill", "tonexty");
        upper.addProperty("fillcolor", translucent(m.colour(), 0.18));
        upper.addProperty("showlegend", true);
        return List.of(lower, upper);
    }

    /** A {@code #rrggbb} colour as {@code rgba(r,g,b,alpha)}. */
    static String translucent(String hex, double alpha) {
        int rgb = Integer.parseInt(hex.substring(1), 16);
        return String.format(Locale.ROOT, "rgba(%d,%d,%d,%.2f)", rgb >> 16 & 255, rgb >> 8 & 255, rgb & 255, alpha);
    }

    static JsonObject trace(String type, String name, double[] x, double[] y) {
        JsonObject t = new JsonObject();
        t.addProperty("type", type);
        t.addProperty("name", name);
        t.add("x", PlotlyFigure.numbers(x));
        t.add("y", PlotlyFigure.numbers(y));
        return t;
    }

    private static JsonObject text(String s) {
        JsonObject o = new JsonObject();
        o.addProperty("text", s);
        return o;
    }
}
