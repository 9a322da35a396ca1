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
import java.util.List;

/** Figures with titles and axis titles, one line or bar series per group of a long table. */
public final class Charts {

    private Charts() {}

    /**
     * One line per group.
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
    public static Figure lines(String title, Table table, String x, String y, String group, String xTitle,
            String yTitle) {
        List<Trace> traces = new ArrayList<>();
        if (group == null) {
            traces.add(line(table, x, y, y));
        } else {
            for (TableSlice slice : table.splitOn(group)) {
                traces.add(line(slice.asTable(), x, y, slice.name()));
            }
        }
        return new Figure(layout(title, xTitle, yTitle), traces.toArray(new Trace[0]));
    }

    private static Trace line(Table t, String x, String y, String name) {
        return ScatterTrace.builder((NumericColumn<?>) t.numberColumn(x), (NumericColumn<?>) t.numberColumn(y))
                .mode(ScatterTrace.Mode.LINE_AND_MARKERS).name(name).showLegend(true).build();
    }

    /**
     * Vertical bars, one per row.
     *
     * @param title the chart's title
     * @param table the table
     * @param category the column of bar names
     * @param value the numeric column of bar heights
     * @param yTitle the y axis title, with units
     * @return the figure
     */
    public static Figure bars(String title, Table table, String category, String value, String yTitle) {
        Trace bars = BarTrace.builder(table.categoricalColumn(category), table.numberColumn(value))
                .orientation(BarTrace.Orientation.VERTICAL).build();
        return new Figure(layout(title, category, yTitle), bars);
    }

    private static Layout layout(String title, String xTitle, String yTitle) {
        return Layout.builder(title).width(900).height(420)
                .xAxis(Axis.builder().title(xTitle).build())
                .yAxis(Axis.builder().title(yTitle).build())
                .showLegend(true).build();
    }
}
