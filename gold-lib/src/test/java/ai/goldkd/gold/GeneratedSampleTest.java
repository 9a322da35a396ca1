package ai.goldkd.gold;

import ai.goldkd.data.Example;
import ai.goldkd.data.Jsonl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeneratedSampleTest {

    private static final List<String> FIELDS = List.of("text", "label");

    private static GeneratedSample sample(List<String> feedback, float energy) {
        return new GeneratedSample(
                "t0007-validation-003",
                7,
                "validation",
                Example.of("text", "A slow, lovely film, with a wonderful score.", "label", "positive"),
                feedback,
                energy);
    }

    @Test
    void rowHoldsTheFlatFields() {
        Example row = sample(List.of("t0002-validation-001", "t0004-validation-006"), -3.25f)
                .toRow();
        assertEquals(
                List.of("id", "iteration", "batch", "text", "label", "feedback", "energy"),
                new ArrayList<>(row.fields().keySet()));
        assertEquals("7", row.get("iteration"));
        assertEquals("t0002-validation-001,t0004-validation-006", row.get("feedback"));
        assertEquals("-3.25", row.get("energy"));
    }

    @Test
    void rowsRoundTrip() {
        for (GeneratedSample s : List.of(
                sample(List.of("t0002-validation-001", "t0004-validation-006"), -3.25f),
                sample(List.of("only-one"), 1.17549435E-38f),
                sample(List.of(), -1234.5678f))) {
            assertEquals(s, GeneratedSample.fromRow(s.toRow(), FIELDS));
        }
    }

    @Test
    void nanEnergyAndEmptyFeedbackRoundTrip() {
        GeneratedSample s = new GeneratedSample(
                "t0001-train-000",
                1,
                "train",
                Example.of("text", "Two hours I will never get back.", "label", "negative"),
                List.of(),
                Float.NaN);
        Example row = s.toRow();
        assertEquals("", row.get("energy"));
        assertEquals("", row.get("feedback"));
        GeneratedSample back = GeneratedSample.fromRow(row, FIELDS);
        assertTrue(Float.isNaN(back.energy()));
        assertEquals(List.of(), back.feedback());
        assertEquals(s, back);
        assertEquals(
                0.5f,
                GeneratedSample.fromRow(s.withEnergy(0.5f).toRow(), FIELDS).energy());
    }

    @Test
    void rowsRoundTripThroughJsonl(@TempDir Path dir) {
        List<GeneratedSample> samples = List.of(sample(List.of("a", "b"), 2.5f), sample(List.of(), Float.NaN));
        Path file = dir.resolve("samples.jsonl");
        Jsonl.write(file, samples.stream().map(GeneratedSample::toRow).toList());
        List<GeneratedSample> back = Jsonl.read(file).stream()
                .map(r -> GeneratedSample.fromRow(r, FIELDS))
                .toList();
        assertEquals(samples, back);
    }

    @Test
    void fromRowKeepsOnlyTheTasksFields() {
        Example row = sample(List.of(), 1f).toRow().with("family", "extra");
        GeneratedSample back = GeneratedSample.fromRow(row, FIELDS);
        assertEquals(FIELDS, new ArrayList<>(back.sample().fields().keySet()));
        assertEquals("positive", back.field("label"));
    }

    @Test
    void theFeedbackListIsCopied() {
        List<String> feedback = new ArrayList<>(List.of("x"));
        GeneratedSample s = sample(feedback, 1f);
        feedback.add("y");
        assertEquals(List.of("x"), s.feedback());
        assertThrows(UnsupportedOperationException.class, () -> s.feedback().add("z"));
    }
}
