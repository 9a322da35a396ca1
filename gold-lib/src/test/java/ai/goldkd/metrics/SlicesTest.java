package ai.goldkd.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SlicesTest {

    @Test
    void scoresEachSliceOnItsOwnSamples() {
        List<SliceScore> scores = Slices.score(
                Metric.EQUATION_VALUE_ACCURACY,
                List.of("1 + 1", "2 * 3", "5", "9 / 3"),
                List.of("2", "6", "4", "3"),
                List.of("add", "mul", "add", "div"));
        assertEquals(
                List.of(new SliceScore("add", 2, 0.5), new SliceScore("div", 1, 1.0), new SliceScore("mul", 1, 1.0)),
                scores);
    }

    @Test
    void accuracyFromVerdicts() {
        List<SliceScore> scores = Slices.accuracy(List.of(true, false, false, true), List.of("h", "h", "t", "h"));
        assertEquals(2.0 / 3, scores.get(0).value(), 1e-12);
        assertEquals(0.0, scores.get(1).value());
        assertThrows(IllegalArgumentException.class, () -> Slices.accuracy(List.of(true), List.of("a", "b")));
    }

    @Test
    void metricNamesRoundTrip() {
        for (Metric m : Metric.values()) {
            assertEquals(m, Metric.parse(m.label().toUpperCase()));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Metric.parse("bleu"));
        assertEquals(true, e.getMessage().contains("rouge-l"));
    }
}
