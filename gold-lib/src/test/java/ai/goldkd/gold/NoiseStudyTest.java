package ai.goldkd.gold;

import ai.goldkd.ood.NoiseAudit;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The score comparison of notebook 03 on a planted set small enough to count by hand. */
class NoiseStudyTest {

    @Test
    void compareScoresCountsEachKindAgainstChance() {
        // 10 samples: 2 mislabelled (indexes 0, 1), 2 word salads (8, 9), 6 clean
        List<String> kinds = List.of(
                "mislabelled",
                "mislabelled",
                "clean",
                "clean",
                "clean",
                "clean",
                "clean",
                "clean",
                "word salad",
                "word salad");
        NoiseAudit.Planted planted =
                new NoiseAudit.Planted(List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"), new int[10], kinds);
        NoiseStudy study = new NoiseStudy(null, List.of(), planted);
        Map<String, float[]> scores = new LinkedHashMap<>();
        // finds the salads: they score highest, the flips lowest
        scores.put("salad finder", new float[] {0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f});
        Table t = study.compareScores(scores, 0.2); // drops the top 2 of 10
        assertEquals(
                List.of("all noise", "mislabelled", "word salad"),
                t.stringColumn("noise").asList());
        assertEquals(List.of(4, 2, 2), t.intColumn("samples").asList());
        // the two dropped are both salads: precision 1 for salads (chance 0.2), 0 for flips, 1 for all noise
        assertEquals(List.of(1.0, 0.0, 1.0), t.doubleColumn("precision").asList());
        assertEquals(List.of(0.4, 0.2, 0.2), t.doubleColumn("chance precision").asList());
        assertEquals(List.of(0.5, 0.0, 1.0), t.doubleColumn("recall").asList());
        assertEquals(
                List.of(2.5, 0.0, 5.0), t.doubleColumn("precision / chance").asList());
        // ranks 0..1 over 10 samples: the flips at 0 and 1/9, the salads at 8/9 and 1
        assertEquals(List.of(0.5, 0.0556, 0.9444), t.doubleColumn("mean rank").asList());
    }
}
