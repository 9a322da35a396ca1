package ai.goldkd.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.goldkd.nd.GcStorm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Autograd against central finite differences, on a small model in float32. */
class GradientCheckTest {

    @ParameterizedTest
    @EnumSource(Positions.class)
    void autogradMatchesFiniteDifferences(Positions positions) {
        TransformerConfig config = new TransformerConfig(1, 8, 2, 16, 11, 8, 0f, positions, false);
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(13);
            CausalLm lm = new CausalLm(config).initialize(manager);
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray ids = manager.create(new long[] {1, 3, 5, 7, 9, 2}, new Shape(1, 6));
            NDArray weights = manager.randomNormal(new Shape(1, 6, 11)); // loss = sum(w * logits), a random direction
            for (String name : new String[] {"wte", "01h0_qkv_weight", "01h0_fc_weight", "head"}) {
                Parameter p = lm.getParameters().get(name);
                NDArray w = p.getArray();
                w.setRequiresGradient(true);
                // Gradients accumulate over backward passes: measure this pass's contribution.
                float before = w.getGradient().toFloatArray()[(int) (3 % w.size())];
                float analytic;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray loss = lm.logits(ps, ids, null, true).mul(weights).sum();
                    GcStorm.now(); // what the graph saved for backward must outlive a collection
                    gc.backward(loss);
                }
                long index = 3 % w.size();
                analytic = w.getGradient().toFloatArray()[(int) index] - before;
                float[] values = w.toFloatArray();
                float eps = 1e-2f;
                float original = values[(int) index];
                values[(int) index] = original + eps;
                w.set(values);
                float plus = lm.logits(ps, ids, null, false).mul(weights).sum().getFloat();
                values[(int) index] = original - eps;
                w.set(values);
                float minus = lm.logits(ps, ids, null, false).mul(weights).sum().getFloat();
                values[(int) index] = original;
                w.set(values);
                float numeric = (plus - minus) / (2 * eps);
                assertEquals(numeric, analytic, 2e-2f + 2e-2f * Math.abs(numeric), name + " at " + index);
            }
        }
    }
}
