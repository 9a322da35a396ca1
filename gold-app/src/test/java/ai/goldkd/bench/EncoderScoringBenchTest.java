package ai.goldkd.bench;

import ai.goldkd.data.ImdbReviews;
import ai.goldkd.onnx.MiniLm;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EncoderScoringBenchTest {

    @Test
    void theQuickBenchReportsTheEncoderStudentsScoringThroughput() {
        Assumptions.assumeTrue(Files.exists(ImdbReviews.file()), "IMDB not installed (environment/gold setup)");
        Assumptions.assumeTrue(
                MiniLm.installed(MiniLm.dir()), "all-MiniLM-L6-v2 not installed (environment/gold setup)");
        double[] perRep = EncoderScoringBench.measure(16, 8, 2, 2).orElseThrow();
        assertEquals(2, perRep.length);
        for (double v : perRep) {
            assertTrue(v > 0 && Double.isFinite(v), "samples/s " + v);
        }
        Benchmarks bench = Benchmarks.run(new Benchmarks.Settings(true, null, 1, 1, Set.of("score")));
        Map<String, Object> results = bench.results();
        Object encoder = results.get("energy_samples_per_s_encoder");
        assertTrue(encoder instanceof Double d && d > 0, "the bench JSON holds the figure: " + encoder);
        assertTrue(
                bench.rows().stream().anyMatch(r -> r.measure().startsWith("energy scoring, encoder student")),
                "and the table a row");
    }

    @Test
    void tooFewReviewsForTheCallsAreRefusedNamingTheCount() {
        Assumptions.assumeTrue(Files.exists(ImdbReviews.file()), "IMDB not installed (environment/gold setup)");
        Assumptions.assumeTrue(
                MiniLm.installed(MiniLm.dir()), "all-MiniLM-L6-v2 not installed (environment/gold setup)");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> EncoderScoringBench.measure(16, 1000, 100, 1));
        assertTrue(e.getMessage().contains("distinct test reviews"), e.getMessage());
    }
}
