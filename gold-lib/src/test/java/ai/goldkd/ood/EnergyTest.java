package ai.goldkd.ood;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Energy scores against golden/energy.json (written by golden/make_energy_golden.py with PyTorch). */
class EnergyTest {

    private static final JsonObject GOLDEN = load();

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private static JsonObject load() {
        try (InputStream in = EnergyTest.class.getResourceAsStream("/golden/energy.json")) {
            if (in == null) {
                throw new IllegalStateException("golden/energy.json is missing; run golden/make_energy_golden.py");
            }
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                    .getAsJsonObject();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A JSON array of arrays of numbers as a float matrix (also read by the other golden tests here). */
    static float[][] matrix(JsonElement e) {
        JsonArray rows = e.getAsJsonArray();
        float[][] out = new float[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            JsonArray row = rows.get(i).getAsJsonArray();
            out[i] = new float[row.size()];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = row.get(j).getAsFloat();
            }
        }
        return out;
    }

    private static double[] vector(JsonElement e) {
        JsonArray a = e.getAsJsonArray();
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsDouble();
        }
        return out;
    }

    private NDArray nd(float[][] rows) {
        float[] flat = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * rows[0].length, rows[0].length);
        }
        return manager.create(flat, new Shape(rows.length, rows[0].length));
    }

    /** Float32 tolerance: a few ulps of the value plus a small absolute slack. */
    private static void assertClose(double expected, double actual, String what) {
        double tol = 2e-5 + 2e-6 * Math.abs(expected);
        assertTrue(
                Math.abs(expected - actual) <= tol,
                what + ": expected " + expected + ", got " + actual + " (tolerance " + tol + ")");
    }

    private static void assertClose(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertClose(expected[i], actual[i], what + " [" + i + "]");
        }
    }

    @Test
    void classifierEnergyIsMinusTTimesLogsumexpAtEveryTemperature() {
        for (String set : new String[] {"classifier", "large"}) {
            JsonObject g = GOLDEN.getAsJsonObject(set);
            float[][] logits = matrix(g.get("logits"));
            for (Map.Entry<String, JsonElement> e : g.getAsJsonObject("energy").entrySet()) {
                float t = Float.parseFloat(e.getKey());
                float[] energies = Energy.classifier(logits, t);
                assertClose(vector(e.getValue()), energies, set + " float[] at T=" + t);
            }
        }
        // The golden file covers T != 1 (a guard against a generator that dropped a temperature).
        assertTrue(
                GOLDEN.getAsJsonObject("classifier").getAsJsonObject("energy").has("0.5"));
        assertTrue(
                GOLDEN.getAsJsonObject("classifier").getAsJsonObject("energy").has("2.0"));
    }

    @Test
    void largeLogitsDoNotOverflow() {
        float[][] logits = matrix(GOLDEN.getAsJsonObject("large").get("logits"));
        for (float t : new float[] {1f, 0.5f, 2f}) {
            for (float e : Energy.classifier(logits, t)) {
                assertTrue(Float.isFinite(e), "energy at T=" + t + " is " + e);
            }
            for (float e : Energy.classifier(nd(logits), t).toFloatArray()) {
                assertTrue(Float.isFinite(e), "NDArray energy at T=" + t + " is " + e);
            }
        }
        // Four equal logits f: E = -T * (f / T + ln 4) = -f - T ln 4.
        float[] equal = Energy.classifier(new float[][] {{50000f, 50000f, 50000f, 50000f}}, 2f);
        assertClose(-50000 - 2 * Math.log(4), equal[0], "four equal large logits at T=2");
    }

    @Test
    void ndArrayVersionMatchesTheFloatArrayVersionAndTheGoldenValues() {
        for (String set : new String[] {"classifier", "large"}) {
            JsonObject g = GOLDEN.getAsJsonObject(set);
            float[][] logits = matrix(g.get("logits"));
            for (Map.Entry<String, JsonElement> e : g.getAsJsonObject("energy").entrySet()) {
                float t = Float.parseFloat(e.getKey());
                NDArray energies = Energy.classifier(nd(logits), t);
                assertEquals(new Shape(logits.length), energies.getShape());
                float[] plain = Energy.classifier(logits, t);
                float[] device = energies.toFloatArray();
                for (int i = 0; i < plain.length; i++) {
                    assertClose(plain[i], device[i], set + " NDArray vs float[] at T=" + t + " [" + i + "]");
                }
                assertClose(vector(e.getValue()), device, set + " NDArray at T=" + t);
            }
        }
    }

    @Test
    void temperatureMattersAndBadTemperaturesAreRejected() {
        float[][] logits = {{1f, 2f, 3f}};
        assertNotEquals(Energy.classifier(logits, 1f)[0], Energy.classifier(logits, 2f)[0], 1e-3f);
        for (float bad : new float[] {0f, -1f, Float.NaN, Float.POSITIVE_INFINITY}) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> Energy.classifier(logits, bad));
            assertTrue(e.getMessage().contains(String.valueOf(bad)), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Energy.classifier(nd(logits), bad));
        }
        IllegalArgumentException empty =
                assertThrows(IllegalArgumentException.class, () -> Energy.classifier(new float[][] {{1f}, {}}, 1f));
        assertTrue(empty.getMessage().contains("sample 1"), empty.getMessage());
    }

    @Test
    void sequenceEnergyMatchesTheGoldenValues() {
        JsonObject g = GOLDEN.getAsJsonObject("sequence");
        NDArray logits = sequenceLogits(g);
        NDArray mask = sequenceMask(g);
        NDArray energy = Energy.sequence(logits, mask);
        assertEquals(new Shape(3), energy.getShape());
        double[] expected = vector(g.get("energy"));
        assertClose(expected, energy.toFloatArray(), "sequence energy");
        assertEquals(0.0, expected[2], "the golden row without targets");
        // The inputs survive the call (they were only attached to its scope for a while).
        assertFalse(logits.isReleased());
        assertFalse(mask.isReleased());
    }

    @Test
    void sequenceEnergyIgnoresLogitsAtMaskedPositions() {
        JsonObject g = GOLDEN.getAsJsonObject("sequence");
        float[] flat = sequenceLogits(g).toFloatArray();
        NDArray mask = sequenceMask(g);
        float[] base =
                Energy.sequence(manager.create(flat, new Shape(3, 5, 7)), mask).toFloatArray();
        int[] m = mask.toIntArray();
        float[] changed = flat.clone();
        int touched = 0;
        for (int b = 0; b < 3; b++) {
            for (int t = 0; t < 5; t++) {
                if (m[b * 5 + t] == 0) {
                    for (int v = 0; v < 7; v++) {
                        changed[(b * 5 + t) * 7 + v] = 40f + 3 * v; // prompt and padding positions
                    }
                    touched++;
                }
            }
        }
        assertEquals(8, touched);
        float[] after = Energy.sequence(manager.create(changed, new Shape(3, 5, 7)), mask)
                .toFloatArray();
        for (int b = 0; b < 3; b++) {
            assertEquals(base[b], after[b], 1e-6f, "row " + b + " changed with masked logits");
        }
        assertEquals(0f, after[2], "a row without target positions");

        // ...while changing a target position's logits does change the energy.
        float[] target = flat.clone();
        target[(0 * 5 + 2) * 7] += 10f;
        float[] moved = Energy.sequence(manager.create(target, new Shape(3, 5, 7)), mask)
                .toFloatArray();
        assertTrue(
                moved[0] < base[0] - 1f,
                "raising a target logit should lower the energy: " + base[0] + " -> " + moved[0]);
    }

    @Test
    void sequenceEnergyAcceptsBooleanAndIntMasksAndRejectsMismatchedShapes() {
        NDArray logits = manager.create(new float[] {0f, 0f, 1f, 1f}, new Shape(1, 2, 2));
        // Position 0: logsumexp(0, 0) = ln 2; position 1: 1 + ln 2.
        assertEquals(
                (float) -Math.log(2),
                Energy.sequence(logits, manager.create(new boolean[] {true, false}, new Shape(1, 2)))
                        .getFloat(0),
                1e-6f);
        assertEquals(
                (float) -(1 + Math.log(2) + Math.log(2)) / 2,
                Energy.sequence(logits, manager.create(new int[] {1, 1}, new Shape(1, 2)))
                        .getFloat(0),
                1e-6f);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Energy.sequence(logits, manager.create(new int[] {1, 1, 1}, new Shape(1, 3))));
        assertTrue(e.getMessage().contains("(1, 2, 2)") || e.getMessage().contains("1, 2, 2"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> Energy.sequence(
                        manager.create(new float[] {1f, 2f}, new Shape(1, 2)),
                        manager.create(new int[] {1, 1}, new Shape(1, 2))));
    }

    private NDArray sequenceLogits(JsonObject g) {
        JsonArray seqs = g.getAsJsonArray("logits");
        float[] flat = new float[3 * 5 * 7];
        int k = 0;
        for (JsonElement s : seqs) {
            for (JsonElement row : s.getAsJsonArray()) {
                for (JsonElement v : row.getAsJsonArray()) {
                    flat[k++] = v.getAsFloat();
                }
            }
        }
        assertEquals(flat.length, k);
        return manager.create(flat, new Shape(3, 5, 7));
    }

    private NDArray sequenceMask(JsonObject g) {
        float[][] rows = matrix(g.get("mask"));
        int[] flat = new int[15];
        for (int b = 0; b < 3; b++) {
            for (int t = 0; t < 5; t++) {
                flat[b * 5 + t] = (int) rows[b][t];
            }
        }
        return manager.create(flat, new Shape(3, 5));
    }
}
