package ai.goldkd.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused AdamW against torch.optim.AdamW after torch.nn.utils.clip_grad_norm_, six steps on given
 * gradients with a learning rate that changes every step (golden/adamw.json, golden/make_adamw_golden.py).
 */
class FusedAdamWTest {

    @Test
    void sixStepsAreTorchsAdamWAfterClipGradNorm() throws Exception {
        JsonObject golden;
        try (InputStream in = FusedAdamWTest.class.getResourceAsStream("/golden/adamw.json")) {
            assertNotNull(in, "golden/adamw.json is missing; run golden/make_adamw_golden.py");
            golden = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                    .getAsJsonObject();
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            List<NDArray> params = initial(manager, golden);
            FusedAdamW adamW = new FusedAdamW(golden.get("weight_decay").getAsFloat());
            float clip = golden.get("clip").getAsFloat();
            JsonArray lr = golden.getAsJsonArray("lr");
            JsonArray steps = golden.getAsJsonArray("steps");
            for (int t = 0; t < steps.size(); t++) {
                JsonObject step = steps.get(t).getAsJsonObject();
                giveGradients(manager, params, step.getAsJsonArray("grads"));
                List<NDArray> gradients = new ArrayList<>();
                params.forEach(p -> gradients.add(p.getGradient()));
                double norm = adamW.norm(gradients);
                assertEquals(step.get("norm").getAsDouble(), norm, 1e-5, "global norm at step " + t);
                adamW.step(params, gradients, lr.get(t).getAsFloat(), TrainingLoop.clipScale(norm, clip));
                for (NDArray g : gradients) {
                    assertEquals(0f, g.abs().max().getFloat(), 0f, "gradients zeroed after step " + t);
                    g.close();
                }
                JsonArray expected = step.getAsJsonArray("params");
                for (int i = 0; i < params.size(); i++) {
                    float[] want = array(manager, expected.get(i)).toFloatArray();
                    float[] got = params.get(i).toFloatArray();
                    for (int j = 0; j < want.length; j++) {
                        assertEquals(
                                want[j],
                                got[j],
                                2e-6 + 1e-5 * Math.abs(want[j]),
                                "step " + t + " p" + i + "[" + j + "]");
                    }
                }
            }
        }
    }

    @Test
    void savedMomentsContinueTheRunAsIfItHadNotStopped(@TempDir Path tmp) throws Exception {
        JsonObject golden;
        try (InputStream in = FusedAdamWTest.class.getResourceAsStream("/golden/adamw.json")) {
            golden = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                    .getAsJsonObject();
        }
        float decay = golden.get("weight_decay").getAsFloat();
        try (NDManager manager = NDManager.newBaseManager()) {
            List<NDArray> straight = initial(manager, golden);
            steps(manager, new FusedAdamW(decay), straight, golden, 0, 6);
            List<NDArray> resumed = initial(manager, golden);
            List<Pair<String, NDArray>> named = new ArrayList<>();
            for (int i = 0; i < resumed.size(); i++) {
                named.add(new Pair<>("p" + i, resumed.get(i)));
            }
            FusedAdamW first = new FusedAdamW(decay);
            steps(manager, first, resumed, golden, 0, 3);
            Path file = tmp.resolve(OptimizerState.FILE);
            first.save(file, named, 3);
            FusedAdamW second = new FusedAdamW(decay);
            String wrongStep = second.load(file, named, 4);
            assertTrue(wrongStep != null && wrongStep.contains("step 3"), wrongStep);
            List<Pair<String, NDArray>> other = List.of(new Pair<>("p0", manager.zeros(new Shape(7, 3))));
            String wrongShape = second.load(file, other, 3);
            assertTrue(wrongShape != null && wrongShape.contains("p0 of shape"), wrongShape);
            assertNull(second.load(file, named, 3), "restored");
            steps(manager, second, resumed, golden, 3, 6);
            for (int i = 0; i < straight.size(); i++) {
                assertArrayEquals(
                        straight.get(i).toFloatArray(), resumed.get(i).toFloatArray(), "p" + i + " after 6 steps");
            }
            // without the moments the continuation differs: the test can tell the two apart
            List<NDArray> fresh = initial(manager, golden);
            steps(manager, new FusedAdamW(decay), fresh, golden, 0, 3);
            steps(manager, new FusedAdamW(decay), fresh, golden, 3, 6);
            assertFalse(java.util.Arrays.equals(
                    straight.get(0).toFloatArray(), fresh.get(0).toFloatArray()));
        }
    }

    /** Back-propagates sum_i p_i * G_i: each parameter's gradient is then exactly the given G_i. */
    private static void giveGradients(NDManager manager, List<NDArray> params, JsonArray grads) {
        try (NDManager scope = manager.newSubManager();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = scope.zeros(new Shape());
            for (int i = 0; i < params.size(); i++) {
                loss = loss.add(params.get(i).mul(array(scope, grads.get(i))).sum());
            }
            gc.backward(loss);
        }
    }

    private static List<NDArray> initial(NDManager manager, JsonObject golden) {
        List<NDArray> params = new ArrayList<>();
        for (JsonElement p : golden.getAsJsonArray("initial")) {
            NDArray weight = array(manager, p);
            weight.setRequiresGradient(true);
            params.add(weight);
        }
        return params;
    }

    /** The golden's steps from to to - 1, with its gradients and learning rates. */
    private static void steps(
            NDManager manager, FusedAdamW adamW, List<NDArray> params, JsonObject golden, int from, int to) {
        float clip = golden.get("clip").getAsFloat();
        for (int t = from; t < to; t++) {
            giveGradients(
                    manager,
                    params,
                    golden.getAsJsonArray("steps").get(t).getAsJsonObject().getAsJsonArray("grads"));
            List<NDArray> gradients = new ArrayList<>();
            params.forEach(p -> gradients.add(p.getGradient()));
            double norm = adamW.norm(gradients);
            adamW.step(
                    params,
                    gradients,
                    golden.getAsJsonArray("lr").get(t).getAsFloat(),
                    TrainingLoop.clipScale(norm, clip));
            gradients.forEach(NDArray::close);
        }
    }

    private static NDArray array(NDManager manager, JsonElement nested) {
        List<Long> shape = new ArrayList<>();
        List<Float> values = new ArrayList<>();
        flatten(nested, 0, shape, values);
        float[] data = new float[values.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = values.get(i);
        }
        return manager.create(data, new Shape(shape));
    }

    private static void flatten(JsonElement e, int depth, List<Long> shape, List<Float> out) {
        if (e.isJsonArray()) {
            if (shape.size() == depth) {
                shape.add((long) e.getAsJsonArray().size());
            }
            for (JsonElement child : e.getAsJsonArray()) {
                flatten(child, depth + 1, shape, out);
            }
        } else {
            out.add(e.getAsFloat());
        }
    }
}
