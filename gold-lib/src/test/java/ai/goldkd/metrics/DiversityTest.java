package ai.goldkd.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DiversityTest {

    @Test
    void distinctNCountsPooledNgrams() {
        // bigrams: (a b) (b a) (a b) | (c a) (a b): 3 distinct of 5
        assertEquals(3.0 / 5, Diversity.distinctN(List.of("A b, a b.", "c a b"), 2), 1e-12);
        assertEquals(3.0 / 7, Diversity.distinctN(List.of("A b, a b.", "c a b"), 1), 1e-12);
        assertEquals(1.0, Diversity.distinctN(List.of("one two three"), 3), 1e-12);
        assertEquals(0.0, Diversity.distinctN(List.of("one", ""), 2), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Diversity.distinctN(List.of("x"), 0));
    }

    @Test
    void copyRateCountsNgramsFoundInTheReferences() {
        // 4-grams of the text: (the film was great) (film was great fun): one of two is in the reference
        assertEquals(
                0.5, Diversity.copyRate(List.of("The film was great fun"), List.of("so the film was great"), 4), 1e-12);
        assertEquals(0.0, Diversity.copyRate(List.of("The film was great fun"), List.of("a b c d e"), 4), 1e-12);
    }
}
