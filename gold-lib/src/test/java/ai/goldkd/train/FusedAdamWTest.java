package ai.goldkd.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

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
            List<NDArray> params = new ArrayList<>();
            for (JsonElement p : golden.getAsJsonArray("initial")) {
                NDArray weight = array(manager, p);
                weight.setRequiresGradient(true);
                params.add(weight);
            }
            FusedAdamW adamW = new FusedAdamW(golden.get("weight_decay").getAsFloat());
            float clip = golden.get("clip").getAsFloat();
            JsonArray lr = golden.getAsJsonArray("lr");
            JsonArray steps = golden.getAsJsonArray("steps");
            for (int t = 0; t < steps.size(); t++) {
                JsonObject step = steps.get(t).getAsJsonObject();
                JsonArray grads = step.getAsJsonArray("grads");
                try (NDManager scope = manager.newSubManager();
                        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray loss = scope.zeros(new Shape());
                    for (int i = 0; i < params.size(); i++) { // d(sum p * G)/dp = G: the given gradient, exactly
                        loss = loss.add(
                                params.get(i).mul(array(scope, grads.get(i))).sum());
                    }
                    gc.backward(loss);
                }
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
