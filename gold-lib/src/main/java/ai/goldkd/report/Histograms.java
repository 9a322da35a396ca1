package ai.goldkd.report;

import tech.tablesaw.plotly.components.Axis;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.components.Line;
import tech.tablesaw.plotly.components.Marker;
import tech.tablesaw.plotly.traces.BarTrace;
import tech.tablesaw.plotly.traces.ScatterTrace;

/**
 * Histograms of one set of values, optionally with a shaded band (GOLD's 50-80% energy band): the
 * counts are binned here, so the bars and the band share one numeric x axis.
 */
public final class Histograms {

    private Histograms() {}

    /**
     * Counts values into equal-width bins over their range.
     *
     * @param values the values (NaN skipped)
     * @param bins the number of bins, >= 1
     * @return {@code [centres, counts]}, each of length {@code bins}
     */
    public static double[][] bin(float[] values, int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be >= 1, got " + bins);
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (float v : values) {
            if (!Float.isNaN(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (lo > hi) {
            throw new IllegalArgumentException("no values to bin (" + values.length + " given, all NaN or none)");
        }
        double width = hi > lo ? (hi - lo) / bins : 1.0;
        double[] centres = new double[bins];
        double[] counts = new double[bins];
        for (int b = 0; b < bins; b++) {
            centres[b] = lo + (b + 0.5) * width;
        }
        for (float v : values) {
            if (!Float.isNaN(v)) {
                counts[Math.min(bins - 1, (int) ((v - lo) / width))]++;
            }
        }
        return new double[][] {centres, counts};
    }

    /**
     * A histogram of the values.
     *
     * @param title the chart's title
     * @param values the values
     * @param bins the number of bins
     * @param xTitle the x axis title, with units
     * @param yTitle the y axis title, with units
     * @return the figure
     */
    public static Figure of(String title, float[] values, int bins, String xTitle, String yTitle) {
        return new Figure(layout(title, xTitle, yTitle), bars(values, bins));
    }

    /**
     * A histogram with the x range {@code [from, to]} shaded and named in the legend.
     *
     * @param title the chart's title
     * @param values the values
     * @param bins the number of bins
     * @param from the band's left edge, in x units
     * @param to the band's right edge, in x units ({@code > from})
     * @param bandName the band's legend entry, e.g. "feedback band (50-80%)"
     * @param xTitle the x axis title, with units
     * @param yTitle the y axis title, with units
     * @return the figure
     */
    public static Figure withBand(
            String title,
            float[] values,
            int bins,
            double from,
            double to,
            String bandName,
            String xTitle,
            String yTitle) {
        if (!(from < to)) {
            throw new IllegalArgumentException("band [" + from + ", " + to + "] is empty; give from < to");
        }
        double top = 0;
        for (double c : bin(values, bins)[1]) {
            top = Math.max(top, c);
        }
        top = Math.max(1, top) * 1.05;
        ScatterTrace band = ScatterTrace.builder(
                        new double[] {from, from, to, to, from}, new double[] {0, top, top, 0, 0})
                .mode(ScatterTrace.Mode.LINE)
                .fill(ScatterTrace.Fill.TO_SELF)
                .fillColor("rgba(255, 140, 0, 0.25)")
                .line(Line.builder().color("rgba(255, 140, 0, 0.9)").width(1).build())
                .name(bandName)
                .showLegend(true)
                .build();
        return new Figure(layout(title, xTitle, yTitle), band, bars(values, bins));
    }

    private static BarTrace bars(float[] values, int bins) {
        double[][] h = bin(values, bins);
        Object[] x = new Object[bins];
        for (int b = 0; b < bins; b++) {
            x[b] = h[0][b];
        }
        return BarTrace.builder(x, h[1])
                .name("samples")
                .showLegend(true)
                .marker(Marker.builder().color("rgba(31, 119, 180, 0.85)").build())
                .build();
    }

    private static Layout layout(String title, String xTitle, String yTitle) {
        return Layout.builder(title)
                .width(900)
                .height(420)
                .xAxis(Axis.builder().title(xTitle).build())
                .yAxis(Axis.builder()
                        .title(yTitle)
                        .rangeMode(Axis.RangeMode.TO_ZERO)
                        .build())
                .showLegend(true)
                .build();
    }
}
