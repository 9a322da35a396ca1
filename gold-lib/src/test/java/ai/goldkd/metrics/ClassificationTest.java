package ai.goldkd.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassificationTest {

    private static final List<String> GOLD = List.of("pos", "pos", "pos", "neg", "neg", "neu");
    private static final List<String> PRED = List.of("pos", "pos", "neg", "neg", "pos", "pos");

    @Test
    void accuracyCountsExactMatches() {
        assertEquals(3.0 / 6, Classification.accuracy(PRED, GOLD), 1e-12);
        assertEquals(0.0, Classification.accuracy(List.of("Pos"), List.of("pos")));
    }

    @Test
    void macroF1AveragesPerLabelF1() {
        // pos: tp 2, fp 2, fn 1 -> 4/7; neg: tp 1, fp 1, fn 1 -> 1/2; neu: tp 0 -> 0
        Map<String, Double> f1 = Classification.perLabelF1(PRED, GOLD);
        assertEquals(4.0 / 7, f1.get("pos"), 1e-12);
        assertEquals(0.5, f1.get("neg"), 1e-12);
        assertEquals(0.0, f1.get("neu"), 1e-12);
        assertEquals((4.0 / 7 + 0.5) / 3, Classification.macroF1(PRED, GOLD), 1e-12);
    }

    @Test
    void predictedLabelsOutsideTheReferencesCountAsLabels() {
        // "" (an empty prediction) is a label of its own with F1 0: pos 2/3, "" 0 -> 1/3
        assertEquals(1.0 / 3, Classification.macroF1(List.of("pos", ""), List.of("pos", "pos")), 1e-12);
    }

    @Test
    void mismatchedOrEmptyListsAreErrors() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> Classification.accuracy(List.of("a"), List.of("a", "b")));
        assertTrue(e.getMessage().contains("1 predictions for 2 references"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Classification.macroF1(List.of(), List.of()));
    }
}
