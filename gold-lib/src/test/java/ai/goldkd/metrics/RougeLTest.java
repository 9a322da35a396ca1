package ai.goldkd.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RougeLTest {

    @Test
    void handWorkedLcs() {
        // ref: police killed the gunman; pred: police kill the gunman -> LCS 3 (police, the, gunman)
        assertEquals(0.75, RougeL.score("police kill the gunman", "police killed the gunman"), 1e-12);
        // pred 3 words, ref 4, LCS "the gunman" = 2 -> P 2/3, R 2/4 -> F1 4/7
        assertEquals(4.0 / 7, RougeL.score("the gunman killed", "police killed the gunman"), 1e-12);
        assertEquals(3, RougeL.lcs(List.of("a", "b", "c", "d"), List.of("a", "c", "b", "d")));
    }

    @Test
    void emptyAndUnicode() {
        assertEquals(0.0, RougeL.score("", "anything"));
        assertEquals(0.0, RougeL.score("...", "..."));
        assertEquals(1.0, RougeL.score("Müller ist GROSS", "müller ist gross!"));
        assertEquals(0.5, RougeL.mean(List.of("a b", "x"), List.of("a b", "y")), 1e-12);
    }
}
