package ai.goldkd.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TextMatchTest {

    @Test
    void squadNormalisationFollowsTheOfficialScript() {
        assertEquals("eiffel tower", Text.squadNormalize("The  Eiffel Tower!"));
        assertEquals("1889", Text.squadNormalize("(1889)."));
        assertEquals(
                "théâtre de paris",
                Text.squadNormalize("Le? no: \"Théâtre de Paris\"").substring(6));
        assertEquals("", Text.squadNormalize("a an the ,."));
    }

    @Test
    void exactMatchRawAndNormalised() {
        assertEquals(0.0, TextMatch.exactMatch("the Eiffel Tower", "Eiffel Tower"));
        assertEquals(1.0, TextMatch.squadExactMatch("the Eiffel Tower", "Eiffel Tower"));
        assertEquals(1.0, TextMatch.squadExactMatch("Zürich", "zürich"));
        assertEquals(0.0, TextMatch.squadExactMatch("Zurich", "Zürich"));
        assertEquals(0.0, TextMatch.squadExactMatch("", "Paris"));
        assertEquals(0.5, TextMatch.squadExactMatch(List.of("Paris.", "Lyon"), List.of("paris", "Nice")));
    }

    @Test
    void tokenF1CountsTokensAsMultisets() {
        // pred: [cat, sat, cat], ref: [cat, sat, on, mat]; common = cat, sat -> P 2/3, R 2/4 -> F1 4/7
        assertEquals(4.0 / 7, TextMatch.tokenF1("the cat sat cat", "the cat sat on the mat"), 1e-12);
        assertEquals(1.0, TextMatch.tokenF1("Denver Broncos", "denver broncos."));
        assertEquals(0.0, TextMatch.tokenF1("", "Broncos"));
        assertEquals(0.0, TextMatch.tokenF1("Broncos", ""));
        assertEquals(1.0, TextMatch.tokenF1("the", "a")); // both empty after normalisation
        assertEquals(2.0 / 3, TextMatch.tokenF1("東京 タワー", "東京"), 1e-12);
    }
}
