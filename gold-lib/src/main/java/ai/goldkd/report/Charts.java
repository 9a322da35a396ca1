package ai.goldkd.report;

import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Axis;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.traces.BarTrace;
import tech.tablesaw.plotly.traces.ScatterTrace;
import tech.tablesaw.plotly.traces.Trace;
import tech.tablesaw.table.TableSlice;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Figures that always carry a title and both axis titles (write the unit into them, e.g.
 * {@code "accuracy (%)"}), for the shapes the notebooks draw most: several curves over one x axis, and
 * grouped bars. Show them with {@link Report#show(Figure)}.
 */
public final class Charts {

    private Charts() {}

    /**
     * One line per named series over a shared x axis, in the map's order.
     *
     * @param title the chart's title
     * @param xTitle the x axis title, with its unit
     * @param yTitle the y axis title, with its unit
     * @param x the x values
     * @param series name to y values, each as long as x
     * @return the figure
     */
    public static Figure lines(String title, String xTitle, String yTitle, double[] x, Map<String, double[]> series) {
        checkTitles(title, xTitle, yTitle);
        if (x == null || series == null || series.isEmpty()) {
            throw new IllegalArgumentException("lines needs x values and at least one series; got "
                    + (series == null ? "null" : series.size() + " series"));
        }
        List<Trace> traces = new ArrayList<>();
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            if (e.getValue().length != x.length) {
                throw new IllegalArgumentException("series '" + e.getKey() + "' has " + e.getValue().length
                        + " values for " + x.length + " x values; give one y per x");
            }
            traces.add(ScatterTrace.builder(x, e.getValue())
                    .mode(ScatterTrace.Mode.LINE)
                    .name(e.getKey())
                    .showLegend(true)
                    .build());
        }
        return new Figure(layout(title, xTitle, yTitle, null, false), traces.toArray(new Trace[0]));
    }

    /**
     * One line per series over a shared x axis, names and values given side by side.
     *
     * @param title the chart's title
     * @param xTitle the x axis title, with its unit
     * @param yTitle the y axis title, with its unit
     * @param x the x values
     * @param names the series' names, one per series
     * @param series the y values, each as long as x
     * @return the figure
     */
    public static Figure lines(
            String title, String xTitle, String yTitle, double[] x, List<String> names, double[]... series) {
        return lines(title, xTitle, yTitle, x, named(names, series));
    }

    /**
     * Distributions over a small vocabulary, one line each, names and distributions side by side.
     *
     * @param title the chart's title
     * @param xTitle the x axis title, e.g. {@code "token (bin)"}
     * @param names the distributions' names
     * @param distributions the distributions, all of one length
     * @return the figure, with "probability" on the y axis
     */
    public static Figure distributions(String title, String xTitle, List<String> names, float[]... distributions) {
        return distributions(title, xTitle, named(names, distributions));
    }

    /**
     * One line per group of a long table.
     *
     * @param title the chart's title
     * @param table a long table
     * @param x the x column (numeric)
     * @param y the y column (numeric)
     * @param group the column naming each line, or null for one line
     * @param xTitle the x axis title, with units
     * @param yTitle the y axis title, with units
     * @return the figure
     */
    public static Figure lines(
            String title, Table table, String x, String y, String group, String xTitle, String yTitle) {
        List<Trace> traces = new ArrayList<>();
        if (group == null) {
            traces.add(line(table, x, y, y));
        } else {
            for (TableSlice slice : table.splitOn(group)) {
                traces.add(line(slice.asTable(), x, y, slice.name()));
            }
        }
        return new Figure(layout(title, xTitle, yTitle, null, false), traces.toArray(new Trace[0]));
    }

    /**
     * Points, one colour per named group (e.g. a regime's seeds), each point an (x, y) pair.
     *
     * @param title the chart's title
     * @param xTitle the x axis title, with its unit
     * @param yTitle the y axis title, with its unit
     * @param groups name to {x values, y values}, the two of one length
     * @return the figure
     */
    public static Figure points(String title, String xTitle, String yTitle, Map<String, double[][]> groups) {
        checkTitles(title, xTitle, yTitle);
        if (groups == null || groups.isEmpty()) {
            throw new IllegalArgumentException("points needs at least one group of points");
        }
        List<Trace> traces = new ArrayList<>();
        for (Map.Entry<String, double[][]> e : groups.entrySet()) {
            double[][] xy = e.getValue();
            if (xy.length != 2 || xy[0].length != xy[1].length) {
                throw new IllegalArgumentException("group '" + e.getKey() + "' must be {x values, y values} of one"
                        + " length; give two arrays of equal length");
            }
            traces.add(ScatterTrace.builder(xy[0], xy[1])
                    .mode(ScatterTrace.Mode.MARKERS)
                    .name(e.getKey())
                    .showLegend(true)
                    .build());
        }
        return new Figure(layout(title, xTitle, yTitle, null, false), traces.toArray(new Trace[0]));
    }

    private static Trace line(Table t, String x, String y, String name) {
        return ScatterTrace.builder((NumericColumn<?>) t.numberColumn(x), (NumericColumn<?>) t.numberColumn(y))
                .mode(ScatterTrace.Mode.LINE_AND_MARKERS)
                .name(name)
                .showLegend(true)
                .build();
    }

    private static <T> Map<String, T> named(List<String> names, T[] values) {
        if (names == null || values == null || names.size() != values.length) {
            throw new IllegalArgumentException("give one name per series; got " + (names == null ? 0 : names.size())
                    + " names and " + (values == null ? 0 : values.length) + " series");
        }
        Map<String, T> out = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            if (out.put(names.get(i), values[i]) != null) {
                throw new IllegalArgumentException(
                        "series name '" + names.get(i) + "' is given twice; names must" + " differ");
            }
        }
        return out;
    }

    /**
     * Distributions over a small vocabulary, one line each, over the token index 0 .. V-1.
     *
     * @param title the chart's title
     * @param xTitle the x axis title, e.g. {@code "token (bin)"}
     * @param series name to distribution, all of one length
     * @return the figure, with "probability" on the y axis
     */
    public static Figure distributions(String title, String xTitle, Map<String, float[]> series) {
        if (series == null || series.isEmpty()) {
            throw new IllegalArgumentException("distributions needs at least one named distribution");
        }
        int v = series.values().iterator().next().length;
        double[] x = new double[v];
        for (int i = 0; i < v; i++) {
            x[i] = i;
        }
        Map<String, double[]> ys = new LinkedHashMap<>();
        series.forEach((name, p) -> {
            double[] y = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                y[i] = p[i];
            }
            ys.put(name, y);
        });
        return lines(title, xTitle, "probability", x, ys);
    }

    /**
     * Grouped vertical bars: one group per row of the table (labelled by a category column), one bar
     * per value column.
     *
     * @param title the chart's title
     * @param yTitle the y axis title, with its unit
     * @param table the table
     * @param category the column whose values label the groups; its name is the x axis title
     * @param values the numeric columns, one bar each
     * @return the figure
     */
    public static Figure groupedBars(String title, String yTitle, Table table, String category, String... values) {
        checkTitles(title, category, yTitle);
        if (table == null || values.length == 0) {
            throw new IllegalArgumentException("groupedBars needs a table and at least one value column");
        }
        Object[] x =
                table.column(category).asList().stream().map(String::valueOf).toArray();
        List<Trace> traces = new ArrayList<>();
        boolean allZero = true;
        for (String name : values) {
            if (!(table.column(name) instanceof NumericColumn<?> column)) {
                throw new IllegalArgumentException("column '" + name + "' of " + table.name()
                        + " is not numeric; give the numeric columns to draw as bars");
            }
            allZero &= Arrays.stream(column.asDoubleArray()).allMatch(v -> v == 0 || Double.isNaN(v));
            traces.add(BarTrace.builder(x, column.asDoubleArray())
                    .name(name)
                    .showLegend(values.length > 1)
                    .build());
        }
        return new Figure(
                layout(title, category, yTitle, values.length > 1 ? Layout.BarMode.GROUP : null, allZero),
                traces.toArray(new Trace[0]));
    }

    /**
     * Vertical bars, one per label.
     *
     * @param title the chart's title
     * @param xTitle the x axis title
     * @param yTitle the y axis title, with its unit
     * @param labels the bars' labels; repeated labels are kept apart
     * @param values one value per label
     * @return the figure
     */
    public static Figure bars(String title, String xTitle, String yTitle, List<String> labels, double[] values) {
        checkTitles(title, xTitle, yTitle);
        if (labels == null || values == null || labels.size() != values.length) {
            throw new IllegalArgumentException(
                    "bars needs one value per label; got " + (labels == null ? 0 : labels.size()) + " labels and "
                            + (values == null ? 0 : values.length) + " values");
        }
        // Plotly merges equal category names, so repeated labels get invisible zero-width spaces.
        Object[] x = new Object[labels.size()];
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < x.length; i++) {
            int n = seen.merge(labels.get(i), 1, Integer::sum);
            x[i] = labels.get(i) + "\u200b".repeat(n - 1);
        }
        Trace trace = BarTrace.builder(x, values).build();
        return new Figure(
                layout(title, xTitle, yTitle, null, Arrays.stream(values).allMatch(v -> v == 0 || Double.isNaN(v))),
                trace);
    }

    private static Layout layout(String title, String xTitle, String yTitle, Layout.BarMode mode, boolean allZero) {
        Axis.AxisBuilder y = Axis.builder().title(yTitle);
        if (allZero) {
            // Plotly would centre an all-zero chart on 0 (-1 to 1); bars read better from 0 up.
            y.range(0, 1);
        }
        Layout.LayoutBuilder b = Layout.builder()
                .title(title)
                .xAxis(Axis.builder().title(xTitle).build())
                .yAxis(y.build());
        if (mode != null) {
            b.barMode(mode).showLegend(true);
        }
        return b.build();
    }

    private static void checkTitles(String title, String xTitle, String yTitle) {
        if (blank(title) || blank(xTitle) || blank(yTitle)) {
            throw new IllegalArgumentException("a chart needs a title and both axis titles (with units); got title '"
                    + title + "', x '" + xTitle + "', y '" + yTitle + "'");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
