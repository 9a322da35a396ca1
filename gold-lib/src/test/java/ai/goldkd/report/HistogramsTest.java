package ai.goldkd.report;

import org.junit.jupiter.api.Test;
import tech.tablesaw.plotly.components.Figure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HistogramsTest {

    @Test
    void binsCountEveryValueOnceWithTheMaximumInTheLastBin() {
        double[][] h = Histograms.bin(new float[] {0f, 1f, 1f, 2f, 4f, Float.NaN}, 4);
        assertArrayEquals(new double[] {0.5, 1.5, 2.5, 3.5}, h[0], 1e-9);
        assertArrayEquals(new double[] {1, 2, 1, 1}, h[1], 1e-9);
    }

    @Test
    void equalValuesFallInOneBin() {
        double[][] h = Histograms.bin(new float[] {3f, 3f, 3f}, 2);
        assertArrayEquals(new double[] {3, 0}, h[1], 1e-9);
    }

    @Test
    void theBandIsAFilledTraceBesideTheBarsWithTitles() {
        Figure f = Histograms.withBand(
                "Energies",
                new float[] {-1f, -0.9f, -0.8f, -0.7f},
                3,
                -0.85,
                -0.75,
                "band",
                "energy (nats)",
                "samples (count)");
        String js = f.asJavascript("d");
        assertTrue(js.contains("toself"), js);
        assertTrue(js.contains("energy (nats)") && js.contains("samples (count)") && js.contains("Energies"), js);
    }

    @Test
    void badInputIsRefusedWithTheValue() {
        assertThrows(IllegalArgumentException.class, () -> Histograms.bin(new float[] {1f}, 0));
        assertThrows(IllegalArgumentException.class, () -> Histograms.bin(new float[] {Float.NaN}, 2));
        assertThrows(
                IllegalArgumentException.class,
                () -> Histograms.withBand("t", new float[] {1f}, 2, 1, 1, "b", "x", "y"));
    }
}
