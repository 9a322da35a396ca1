package ai.goldkd.ood;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mahalanobis and kNN scores against golden/feature_distance.json (golden/make_feature_distance_golden.py). */
class FeatureDistanceTest {

    private static JsonObject load() {
        try (InputStream in = FeatureDistanceTest.class.getResourceAsStream("/golden/feature_distance.json")) {
            if (in == null) {
                throw new IllegalStateException(
                        "golden/feature_distance.json is missing; run golden/make_feature_distance_golden.py");
            }
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                    .getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertClose(JsonElement expected, float[] actual, String what) {
        JsonArray e = expected.getAsJsonArray();
        assertEquals(e.size(), actual.length, what);
        for (int i = 0; i < actual.length; i++) {
            double want = e.get(i).getAsDouble();
            assertEquals(want, actual[i], 1e-4 * Math.max(1, Math.abs(want)), what + " [" + i + "]");
        }
    }

    @Test
    void scoresMatchTheReference() {
        JsonObject g = load();
        float[][] f = EnergyTest.matrix(g.get("features"));
        JsonArray l = g.getAsJsonArray("labels");
        int[] labels = new int[l.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = l.get(i).getAsInt();
        }
        int classes = g.get("classes").getAsInt();
        double ridge = g.get("ridge").getAsDouble();
        assertClose(
                g.get("mahalanobis_min"),
                FeatureDistance.mahalanobis(f, labels, classes, false, ridge),
                "Mahalanobis, nearest mean");
        assertClose(
                g.get("mahalanobis_own"),
                FeatureDistance.mahalanobis(f, labels, classes, true, ridge),
                "Mahalanobis, own label");
        for (String k : g.getAsJsonObject("knn").keySet()) {
            assertClose(g.getAsJsonObject("knn").get(k), FeatureDistance.knn(f, Integer.parseInt(k)), "kNN, k = " + k);
        }
    }

    @Test
    void maxRankKeepsWhatEitherScoreFindsFarOut() {
        float[] a = {0f, 1f, 2f, 3f}; // ranks 0, 1/3, 2/3, 1
        float[] b = {9f, 0f, 1f, 2f}; // ranks 1, 0, 1/3, 2/3
        float[] both = NoiseAudit.maxRank(a, b);
        assertEquals(1f, both[0], 1e-6f);
        assertEquals(1 / 3f, both[1], 1e-6f);
        assertEquals(2 / 3f, both[2], 1e-6f);
        assertEquals(1f, both[3], 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> NoiseAudit.maxRank(a, new float[] {1f}));
    }

    @Test
    void badInputNamesTheValue() {
        float[][] f = {{1f, 0f}, {0f, 1f}, {1f, 1f}};
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> FeatureDistance.knn(f, 3));
        assertTrue(k.getMessage().contains("[1, 3)"), k.getMessage());
        IllegalArgumentException y = assertThrows(
                IllegalArgumentException.class,
                () -> FeatureDistance.mahalanobis(f, new int[] {0, 1, 2}, 2, false, 1e-3));
        assertTrue(y.getMessage().contains("label 2"), y.getMessage());
    }
}
