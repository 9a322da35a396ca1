package ai.goldkd.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads golden/losses.json (written by golden/make_golden.py) and compares arrays within float32 tolerance. */
final class Golden {

    static final double ATOL = 2e-5;
    static final double RTOL = 2e-4;

    private Golden() {}

    static JsonObject load() {
        return load("losses.json", "make_golden.py");
    }

    /** Another golden file of golden/, written by {@code script}. */
    static JsonObject load(String file, String script) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + file)) {
            if (in == null) {
                throw new IllegalStateException("golden/" + file + " is missing; run golden/" + script);
            }
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                    .getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A nested JSON array of numbers as a float32 array. */
    static NDArray floats(NDManager manager, JsonElement nested) {
        List<Long> shape = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        flatten(nested, 0, shape, values);
        float[] data = new float[values.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = values.get(i).floatValue();
        }
        return manager.create(data, new ai.djl.ndarray.types.Shape(shape));
    }

    /** A nested JSON array of integers as an int64 array. */
    static NDArray longs(NDManager manager, JsonElement nested) {
        List<Long> shape = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        flatten(nested, 0, shape, values);
        long[] data = new long[values.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = values.get(i).longValue();
        }
        return manager.create(data, new ai.djl.ndarray.types.Shape(shape));
    }

    private static void flatten(JsonElement e, int depth, List<Long> shape, List<Double> out) {
        if (e.isJsonArray()) {
            JsonArray a = e.getAsJsonArray();
            if (shape.size() == depth) {
                shape.add((long) a.size());
            }
            for (JsonElement child : a) {
                flatten(child, depth + 1, shape, out);
            }
        } else {
            out.add(e.getAsDouble());
        }
    }

    static void assertClose(double expected, NDArray actual, String what) {
        assertEquals(0, actual.getShape().dimension(), what + ": expected a scalar, got " + actual.getShape());
        assertClose(expected, actual.getFloat(), what);
    }

    static void assertClose(double expected, double actual, String what) {
        double tol = ATOL + RTOL * Math.abs(expected);
        assertTrue(
                Math.abs(expected - actual) <= tol,
                what + ": expected " + expected + ", got " + actual + " (tolerance " + tol + ")");
    }

    static void assertClose(NDArray expected, NDArray actual, String what) {
        assertEquals(expected.getShape(), actual.getShape(), what + ": shape");
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++) {
            assertClose(e[i], a[i], what + " [" + i + "]");
        }
    }
}
