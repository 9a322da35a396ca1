package ai.goldkd.gold;

import ai.goldkd.data.Example;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SampleTablesTest {

    private static GeneratedSample sample(String id, String text, float energy) {
        return new GeneratedSample(
                id, 0, "validation", Example.of("text", text, "label", "positive"), List.of(), energy);
    }

    @Test
    void cutKeepsShortTextAndEndsLongTextInAnEllipsis() {
        assertEquals("a b", SampleTables.cut(" a\n b ", 10));
        assertEquals("abcd…", SampleTables.cut("abcdefghij", 5));
        assertThrows(IllegalArgumentException.class, () -> SampleTables.cut("x", 1));
    }

    @Test
    void samplesPutTheLabelBeforeTheTextAndCutIt() {
        Table t = SampleTables.samples("s", List.of(sample("a", "x".repeat(200), -0.71234f)), 120);
        assertEquals(List.of("id", "label", "text", "energy (nats)"), t.columnNames());
        assertEquals(120, t.stringColumn("text").get(0).length());
        assertEquals(-0.7123, t.doubleColumn("energy (nats)").get(0), 1e-9);
    }

    @Test
    void rankedSortsByEnergyAndMarksTheFeedback() {
        GeneratedSample hi = sample("hi", "high energy", -0.5f);
        GeneratedSample lo = sample("lo", "low energy", -2f);
        Iteration it = new Iteration(0, List.of(), List.of(hi, lo), List.of(hi), List.of(), false, Map.of());
        Table t = SampleTables.ranked("r", it, 50);
        assertEquals(List.of("lo", "hi"), t.stringColumn("id").asList());
        assertEquals(List.of("", "chosen"), t.stringColumn("feedback").asList());
    }

    @Test
    void besidePadsTheShorterColumn() {
        Table t = SampleTables.beside("b", "left", List.of("1", "2"), "right", List.of("3"), 10);
        assertEquals(List.of("3", ""), t.stringColumn("right").asList());
    }
}
