package ai.goldkd.loss;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.goldkd.nd.GcStorm;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused head + cross-entropy against PyTorch autograd through F.cross_entropy on the whole logits
 * (golden/fused_ce.json, golden/make_fused_ce_golden.py), and against gold's unfused CrossEntropyLoss.
 */
class FusedHeadCrossEntropyTest {

    private static NDManager manager;
    private static JsonObject golden;
    private static NDArray hidden;
    private static NDArray head;
    private static NDArray labels;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
        golden = Golden.load("fused_ce.json", "make_fused_ce_golden.py");
        hidden = Golden.floats(manager, golden.get("hidden")); // (2, 7, 16)
        head = Golden.floats(manager, golden.get("head")); // (50, 16)
        labels = Golden.longs(manager, golden.get("labels")); // (2, 7)
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private record Grads(float loss, NDArray hidden, NDArray head) {}

    /** A loss of h and W, back-propagated inside the collector; returns its value. */
    @FunctionalInterface
    private interface Backpropagated {
        float value(GradientCollector gc, NDArray h, NDArray w);
    }

    /** The loss's value and the gradients it leaves in fresh copies of the hidden states and head. */
    private static Grads gradients(NDManager scope, Backpropagated loss) {
        NDArray h = hidden.duplicate();
        NDArray w = head.duplicate();
        scope.tempAttachAll(h, w);
        h.setRequiresGradient(true);
        w.setRequiresGradient(true);
        float value;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            value = loss.value(gc, h, w);
        }
        return new Grads(value, h.getGradient().duplicate(), w.getGradient().duplicate());
    }

    /** Back-propagates the fused loss through a graph in front of h, as a model's trunk would be. */
    private static Grads fused(FusedHeadCrossEntropy loss, NDManager scope, NDArray y, float scale) {
        return gradients(scope, (gc, h, w) -> {
            NDArray trunk = h.mul(manager.create(1f));
            NDArray l = loss.backward(gc, trunk, w, y, scale);
            GcStorm.now();
            assertTrue(!l.hasGradient(), "the returned loss is detached");
            return l.getFloat();
        });
    }

    private static Grads unfused(CrossEntropyLoss loss, NDManager scope, NDArray y) {
        return gradients(scope, (gc, h, w) -> {
            NDArray l = loss.compute(h.matMul(w.transpose()), y);
            gc.backward(l);
            return l.getFloat();
        });
    }

    @Test
    void tokenMeanAndSumAreAutogradsThroughTheWholeLogits() {
        for (String name : new String[] {"token_mean", "sum"}) {
            Reduction reduction = name.equals("sum") ? Reduction.sum() : Reduction.tokenMean();
            JsonObject expected = golden.getAsJsonObject(name);
            for (int chunk : new int[] {1, 5, 14, 64}) {
                for (boolean kernel : new boolean[] {true, false}) {
                    try (NDManager scope = manager.newSubManager()) {
                        FusedHeadCrossEntropy all = new FusedHeadCrossEntropy(reduction, Reduction.IGNORE_INDEX, chunk);
                        assertEquals(kernel, (kernel ? all : all.withoutKernel()).usesKernel(hidden, head));
                        Grads g = fused(kernel ? all : all.withoutKernel(), scope, labels, 1f);
                        String what = name + " chunk " + chunk + (kernel ? " kernel" : " java");
                        Golden.assertClose(expected.get("loss").getAsDouble(), g.loss(), what + " loss");
                        Golden.assertClose(
                                Golden.floats(scope, expected.get("grad_hidden")), g.hidden(), what + " dL/dh");
                        Golden.assertClose(Golden.floats(scope, expected.get("grad_head")), g.head(), what + " dL/dW");
                    }
                }
            }
        }
    }

    @Test
    void theKernelsValueAndGradientNeedNoBackwardPass() {
        JsonObject expected = golden.getAsJsonObject("token_mean");
        try (NDManager scope = manager.newSubManager()) {
            FusedHeadDivergence.Result r = FusedHeadCrossEntropy.tokenMean(3).valueAndGradient(hidden, head, labels);
            scope.tempAttachAll(r.loss(), r.hiddenGradient(), r.headGradient());
            Golden.assertClose(expected.get("loss").getAsDouble(), r.loss(), "loss");
            Golden.assertClose(Golden.floats(scope, expected.get("grad_hidden")), r.hiddenGradient(), "dL/dh");
            Golden.assertClose(Golden.floats(scope, expected.get("grad_head")), r.headGradient(), "dL/dW");
        }
    }

    @Test
    void theScaleMultipliesTheGradientsButNotTheValue() {
        try (NDManager scope = manager.newSubManager()) {
            JsonObject expected = golden.getAsJsonObject("token_mean");
            Grads g = fused(FusedHeadCrossEntropy.tokenMean(4), scope, labels, 0.25f);
            Golden.assertClose(expected.get("loss").getAsDouble(), g.loss(), "loss");
            NDArray quarter = Golden.floats(scope, expected.get("grad_head")).mul(0.25f);
            Golden.assertClose(quarter, g.head(), "dL/dW x 0.25");
        }
    }

    @Test
    void backwardAddsIntoAGradientTheHeadAlreadyHas() {
        try (NDManager scope = manager.newSubManager()) {
            JsonObject expected = golden.getAsJsonObject("sum");
            NDArray h = hidden.duplicate();
            NDArray w = head.duplicate();
            scope.tempAttachAll(h, w);
            h.setRequiresGradient(true);
            w.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(w.sum()); // the head's gradient holds 1s, as after another loss's backward pass
                NDArray l = new FusedHeadCrossEntropy(Reduction.sum(), Reduction.IGNORE_INDEX, 6)
                        .backward(gc, h.mul(manager.create(1f)), w, labels, 0.5f);
                Golden.assertClose(expected.get("loss").getAsDouble(), l.getFloat(), "loss");
            }
            NDArray dw =
                    Golden.floats(scope, expected.get("grad_head")).mul(0.5f).add(1f);
            Golden.assertClose(dw, w.getGradient(), "1 + dL/dW x 0.5, added in place");
            Golden.assertClose(
                    Golden.floats(scope, expected.get("grad_hidden")).mul(0.5f), h.getGradient(), "dL/dh x 0.5");
        }
    }

    @Test
    void itMatchesTheUnfusedCrossEntropyOnOtherLabelsAndReductions() {
        try (NDManager scope = manager.newSubManager()) {
            scope.getEngine().setRandomSeed(5);
            // every label counts, then every label but one sequence
            NDArray all = scope.randomInteger(0, 50, new Shape(2, 7), ai.djl.ndarray.types.DataType.INT64);
            NDArray half = all.duplicate();
            half.set(new ai.djl.ndarray.index.NDIndex("1, :"), -100);
            for (NDArray y : new NDArray[] {all, half}) {
                for (Reduction reduction : new Reduction[] {Reduction.tokenMean(), Reduction.sequenceMean()}) {
                    Grads f = fused(new FusedHeadCrossEntropy(reduction, Reduction.IGNORE_INDEX, 3), scope, y, 1f);
                    Grads u = unfused(new CrossEntropyLoss(reduction, Reduction.IGNORE_INDEX), scope, y);
                    assertEquals(u.loss(), f.loss(), 1e-5, reduction.mode() + " loss");
                    Golden.assertClose(u.hidden(), f.hidden(), reduction.mode() + " dL/dh");
                    Golden.assertClose(u.head(), f.head(), reduction.mode() + " dL/dW");
                }
            }
        }
    }

    @Test
    void noValidPositionGivesZeroLossAndGradients() {
        try (NDManager scope = manager.newSubManager()) {
            NDArray none = labels.zerosLike().sub(100); // every position ignored
            Grads g = fused(FusedHeadCrossEntropy.tokenMean(5), scope, none, 1f);
            assertEquals(0f, g.loss(), 0f);
            assertEquals(0f, g.hidden().abs().max().getFloat(), 0f);
            assertEquals(0f, g.head().abs().max().getFloat(), 0f);
        }
    }

    @Test
    void badSettingsAndInputsAreRefusedByName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FusedHeadCrossEntropy.tokenMean(0))
                .getMessage()
                .contains("chunkSize = 0"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> new FusedHeadCrossEntropy(Reduction.none(), Reduction.IGNORE_INDEX, 8))
                .getMessage()
                .contains("reduction none"));
        try (NDManager scope = manager.newSubManager()) {
            NDArray floatLabels = labels.toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            assertTrue(assertThrows(
                            IllegalArgumentException.class,
                            () -> FusedHeadCrossEntropy.tokenMean(4).valueAndGradient(hidden, head, floatLabels))
                    .getMessage()
                    .contains("labels have type float32"));
            NDArray shortLabels = labels.get(":, :6");
            assertTrue(assertThrows(
                            IllegalArgumentException.class,
                            () -> FusedHeadCrossEntropy.tokenMean(4).valueAndGradient(hidden, head, shortLabels))
                    .getMessage()
                    .contains("must have the hidden states' shape"));
            scope.tempAttachAll(floatLabels, shortLabels);
        }
    }
}
