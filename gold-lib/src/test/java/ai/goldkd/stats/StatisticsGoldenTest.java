package ai.goldkd.stats;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The statistics against SciPy's values (stats/make_golden.py, committed as stats/golden.json). */
class StatisticsGoldenTest {

    private static JsonObject golden() throws IOException {
        try (InputStream in = StatisticsGoldenTest.class.getResourceAsStream("/ai/goldkd/stats/golden.json")) {
            assertNotNull(in, "ai/goldkd/stats/golden.json is missing; run make_golden.py beside it");
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                    .getAsJsonObject();
        }
    }

    private static void close(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-9 * Math.max(1, Math.abs(expected)), what);
    }

    @Test
    void quantilesMatchScipy() throws IOException {
        for (JsonElement e : golden().getAsJsonArray("quantiles")) {
            JsonObject q = e.getAsJsonObject();
            double p = q.get("p").getAsDouble();
            double df = q.get("df").getAsDouble();
            // SciPy's own quantiles are good to about 1e-9 in the far tail (p = 0.9995, df = 1 is 1e-9 off the
            // exact Cauchy value below), so this compares to 1e-8.
            double expected = q.get("t").getAsDouble();
            assertEquals(
                    expected,
                    StudentT.quantile(p, df),
                    1e-8 * Math.max(1, Math.abs(expected)),
                    "t quantile p=" + p + " df=" + df);
        }
    }

    @Test
    void oneDegreeOfFreedomIsCauchy() {
        // t with df = 1 is the Cauchy distribution: its quantile is tan(pi (p - 1/2)) in closed form.
        for (double p : new double[] {0.6, 0.9, 0.975, 0.9995, 0.01}) {
            double exact = Math.tan(Math.PI * (p - 0.5));
            assertEquals(exact, StudentT.quantile(p, 1), 1e-12 * Math.max(1, Math.abs(exact)), "p=" + p);
        }
    }

    @Test
    void distributionAndTailsMatchScipy() throws IOException {
        for (JsonElement e : golden().getAsJsonArray("cdfs")) {
            JsonObject c = e.getAsJsonObject();
            double t = c.get("t").getAsDouble();
            double df = c.get("df").getAsDouble();
            assertEquals(c.get("cdf").getAsDouble(), StudentT.cdf(t, df), 1e-12, "cdf t=" + t + " df=" + df);
            double tail = c.get("two_sided").getAsDouble();
            assertEquals(tail, StudentT.twoSidedP(t, df), 1e-12 + 1e-9 * tail, "two-sided p t=" + t + " df=" + df);
        }
    }

    @Test
    void pairedAndWelchTestsMatchScipy() throws IOException {
        for (Map.Entry<String, JsonElement> e :
                golden().getAsJsonObject("comparisons").entrySet()) {
            JsonObject c = e.getValue().getAsJsonObject();
            SeedComparison r = SeedComparison.of(
                    "a",
                    SeedSummary.of(seeds(c.getAsJsonObject("a"))),
                    "b",
                    SeedSummary.of(seeds(c.getAsJsonObject("b"))));
            String name = e.getKey();
            assertEquals(c.get("test").getAsString(), r.test().name(), name);
            close(c.get("t").getAsDouble(), r.t(), name + " t");
            close(c.get("p").getAsDouble(), r.p(), name + " p");
            close(c.get("df").getAsDouble(), r.df(), name + " df");
            close(c.get("difference").getAsDouble(), r.difference(), name + " difference");
            close(c.get("half_width").getAsDouble(), r.halfWidth(), name + " interval");
            boolean different = c.get("p").getAsDouble() < 0.05;
            assertEquals(
                    different ? SeedComparison.Outcome.DIFFERENT : SeedComparison.Outcome.WITHIN_SPREAD,
                    r.outcome(),
                    name);
            String verdict = r.verdict("points");
            assertTrue(
                    verdict.contains(different ? "larger than the seed-to-seed spread" : "cannot tell them apart"),
                    name + ": " + verdict);
        }
    }

    @Test
    void intervalsMatchScipy() throws IOException {
        for (JsonElement e : golden().getAsJsonArray("summaries")) {
            JsonObject s = e.getAsJsonObject();
            Map<Long, Double> values = new LinkedHashMap<>();
            long seed = 1;
            for (JsonElement v : s.getAsJsonArray("values")) {
                values.put(seed++, v.getAsDouble());
            }
            SeedSummary summary = SeedSummary.of(values);
            close(s.get("mean").getAsDouble(), summary.mean(), "mean");
            close(s.get("sd").getAsDouble(), summary.sd(), "sd");
            close(s.get("low").getAsDouble(), summary.low(), "interval low");
            close(s.get("high").getAsDouble(), summary.high(), "interval high");
        }
    }

    @Test
    void oneSeedHasNoIntervalAndCannotDecide() {
        SeedSummary one = SeedSummary.of(Map.of(1L, 80.0));
        SeedSummary three = SeedSummary.of(Map.of(1L, 50.0, 2L, 51.0, 3L, 52.0));
        assertFalse(one.hasInterval());
        assertTrue(Double.isNaN(one.low()) && Double.isNaN(one.sd()));
        SeedComparison c = SeedComparison.of("solo", one, "trio", three);
        assertEquals(SeedComparison.Test.ONE_SEED, c.test());
        assertEquals(SeedComparison.Outcome.UNDECIDED, c.outcome());
        assertTrue(c.verdict("points").contains("one seed cannot decide"), c.verdict("points"));
        // 29 points apart, and still no verdict: a single seed says nothing about the spread.
        assertFalse(c.verdict("points").contains("larger than"), c.verdict("points"));
    }

    @Test
    void aConstantDifferenceIsNotCalledSignificant() {
        SeedComparison c = SeedComparison.of(
                "a", SeedSummary.of(Map.of(1L, 60.0, 2L, 62.0)), "b", SeedSummary.of(Map.of(1L, 59.0, 2L, 61.0)));
        assertEquals(SeedComparison.Test.NO_SPREAD, c.test());
        assertEquals(SeedComparison.Outcome.UNDECIDED, c.outcome());
        assertTrue(c.verdict("points").contains("cannot decide"), c.verdict("points"));
    }

    @Test
    void badInputNamesTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StudentT.quantile(1.0, 3));
        assertTrue(e.getMessage().contains("p = 1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SeedSummary.of(Map.of(4L, Double.NaN)));
        assertTrue(e.getMessage().contains("seed 4"), e.getMessage());
    }

    private static Map<Long, Double> seeds(JsonObject o) {
        Map<Long, Double> out = new LinkedHashMap<>();
        o.entrySet()
                .forEach(e -> out.put(Long.parseLong(e.getKey()), e.getValue().getAsDouble()));
        return out;
    }
}
