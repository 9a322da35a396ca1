package ai.goldkd.report;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every chart carries its title and both axis titles. */
class ChartsTest {

    @Test
    void chartsCarryTitlesAndSeries() {
        String lines = Charts.lines(
                        "T",
                        "x (steps)",
                        "y (nats)",
                        new double[] {0, 1},
                        List.of("a", "b"),
                        new double[] {1, 2},
                        new double[] {3, 4})
                .asJavascript("d");
        assertTrue(lines.contains("x (steps)") && lines.contains("y (nats)") && lines.contains("'b'"), lines);
        String dist = Charts.distributions("P", "token (bin)", List.of("p"), new float[] {0.5f, 0.5f})
                .asJavascript("d");
        assertTrue(dist.contains("probability"), dist);
        Table t = Table.create("t", StringColumn.create("family", "add", "tail"), DoubleColumn.create("SFT", 10, 20));
        String bars =
                Charts.groupedBars("G", "accuracy (%)", t, "family", "SFT").asJavascript("d");
        assertTrue(bars.contains("accuracy (%)") && bars.contains("'SFT'"), bars); // plotly groups bars by default
        String repeated = Charts.bars("B", "token", "nats", List.of("a", "a"), new double[] {1, 2})
                .asJavascript("d");
        assertTrue(repeated.contains("\"a\",") && !repeated.contains("\"a\",\"a\"]"), repeated);
    }

    @Test
    void missingTitlesAndMismatchedSeriesAreRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> Charts.lines("T", "", "y", new double[] {0}, List.of("a"), new double[] {1}));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Charts.lines("T", "x", "y", new double[] {0, 1}, List.of("a"), new double[] {1}));
        assertTrue(e.getMessage().contains("'a' has 1 values for 2"), e.getMessage());
    }
}
