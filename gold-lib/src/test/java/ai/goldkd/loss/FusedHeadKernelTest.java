package ai.goldkd.loss;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.goldkd.nd.GcStorm;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused head + generalized JSD in its native kernel (and in the Java chunk loop) against PyTorch
 * autograd through TRL's generalized_jsd_loss on the whole logits (golden/fused_jsd.json,
 * golden/make_fused_jsd_golden.py): beta 0 (forward KL), 0.1, 0.5, 0.9 and 1 (reverse KL), temperatures 1
 * and 2, token mean and sum, the teacher as its own hidden states and head or as logits, chunks of 1 to 64
 * positions; and the backward pass that adds dL/dW into the head's own gradient.
 */
class FusedHeadKernelTest {

    private static NDManager manager;
    private static JsonObject golden;
    private static NDArray hidden;
    private static NDArray head;
    private static NDArray teacherHidden;
    private static NDArray teacherHead;
    private static NDArray labels;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
        golden = Golden.load("fused_jsd.json", "make_fused_jsd_golden.py");
        hidden = Golden.floats(manager, golden.get("hidden")); // (2, 7, 16)
        head = Golden.floats(manager, golden.get("head")); // (50, 16)
        teacherHidden = Golden.floats(manager, golden.get("teacher_hidden")); // (2, 7, 12)
        teacherHead = Golden.floats(manager, golden.get("teacher_head")); // (50, 12)
        labels = Golden.longs(manager, golden.get("labels")); // (2, 7)
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static DivergenceLoss lossOf(JsonObject c) {
        float beta = c.get("beta").getAsFloat();
        Divergence divergence = beta == 0f
                ? Divergences.forwardKl()
                : beta == 1f ? Divergences.reverseKl() : Divergences.generalizedJsd(beta);
        Reduction reduction = c.get("reduction").getAsString().equals("sum") ? Reduction.sum() : Reduction.tokenMean();
        return new DivergenceLoss(divergence, reduction, c.get("temperature").getAsFloat(), Reduction.IGNORE_INDEX);
    }

    private static String name(JsonObject c) {
        return "beta " + c.get("beta") + " T " + c.get("temperature") + " "
                + c.get("reduction").getAsString();
    }

    private static FusedHeadDivergence.TeacherRows teacher(boolean fromHead) {
        return fromHead
                ? FusedHeadDivergence.TeacherRows.ofHead(teacherHidden, teacherHead)
                : FusedHeadDivergence.TeacherRows.ofLogits(teacherHidden.matMul(teacherHead.transpose()));
    }

    @Test
    void theKernelGivesAutogradsValuesAndGradientsAtEveryBetaAndChunk() {
        for (JsonElement e : golden.getAsJsonArray("cases")) {
            JsonObject c = e.getAsJsonObject();
            for (boolean kernel : new boolean[] {true, false}) {
                for (boolean fromHead : new boolean[] {true, false}) {
                    for (int chunk : new int[] {1, 5, 14, 64}) {
                        try (NDManager scope = manager.newSubManager()) {
                            FusedHeadDivergence all = new FusedHeadDivergence(lossOf(c), chunk);
                            FusedHeadDivergence fused = kernel ? all : all.withoutKernel();
                            FusedHeadDivergence.TeacherRows rows = teacher(fromHead);
                            assertEquals(kernel, fused.usesKernel(hidden, head, rows), "the kernel runs: " + kernel);
                            FusedHeadDivergence.Result r;
                            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                                r = fused.valueAndGradient(gc, hidden, head, rows, labels);
                            }
                            scope.tempAttachAll(r.loss(), r.hiddenGradient(), r.headGradient());
                            String what = name(c) + (kernel ? " kernel" : " java") + (fromHead ? " head" : " logits")
                                    + " chunk " + chunk;
                            Golden.assertClose(c.get("loss").getAsDouble(), r.loss(), what + " loss");
                            Golden.assertClose(
                                    Golden.floats(scope, c.get("grad_hidden")), r.hiddenGradient(), what + " dL/dh");
                            Golden.assertClose(
                                    Golden.floats(scope, c.get("grad_head")), r.headGradient(), what + " dL/dW");
                        }
                    }
                }
            }
        }
    }

    /** The head's gradient after backward through a trunk in front of h, with the head's gradient as given. */
    private static NDArray[] backward(DivergenceLoss loss, NDManager scope, float scale, boolean gradientFirst) {
        NDArray h = hidden.duplicate();
        NDArray w = head.duplicate();
        scope.tempAttachAll(h, w);
        h.setRequiresGradient(true);
        w.setRequiresGradient(true);
        FusedHeadDivergence fused = new FusedHeadDivergence(loss, 4);
        float value;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            if (gradientFirst) {
                // the head's gradient exists and holds 1s, as after another loss's backward pass
                gc.backward(w.sum());
            }
            NDArray trunk = h.mul(manager.create(1f));
            NDArray l = fused.backward(gc, trunk, w, teacher(true), labels, scale);
            GcStorm.now();
            assertFalse(l.hasGradient(), "the returned loss is detached");
            value = l.getFloat();
        }
        return new NDArray[] {
            scope.create(value), h.getGradient().duplicate(), w.getGradient().duplicate()
        };
    }

    @Test
    void backwardAddsTheScaledGradientIntoTheHeadsOwnOnFirstAndLaterSteps() {
        JsonObject c = golden.getAsJsonArray("cases").get(4).getAsJsonObject(); // beta 0.5, T 1
        assertEquals(0.5, c.get("beta").getAsDouble());
        for (boolean gradientFirst : new boolean[] {false, true}) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray[] g = backward(lossOf(c), scope, 0.25f, gradientFirst);
                String what = gradientFirst ? "into an existing gradient" : "first backward pass";
                Golden.assertClose(c.get("loss").getAsDouble(), g[0].getFloat(), what + ": the value is not scaled");
                NDArray dh = Golden.floats(scope, c.get("grad_hidden")).mul(0.25f);
                NDArray dw = Golden.floats(scope, c.get("grad_head")).mul(0.25f);
                Golden.assertClose(dh, g[1], what + ": dL/dh x 0.25");
                Golden.assertClose(gradientFirst ? dw.add(1f) : dw, g[2], what + ": dL/dW x 0.25 added in place");
            }
        }
    }

    @Test
    void aHeadThatIsNotALeafGetsItsGradientThroughAutograd() {
        JsonObject c = golden.getAsJsonArray("cases").get(8).getAsJsonObject(); // beta 1 (reverse KL), T 1
        assertEquals(1.0, c.get("beta").getAsDouble());
        try (NDManager scope = manager.newSubManager()) {
            NDArray h = hidden.duplicate();
            NDArray w = head.duplicate();
            scope.tempAttachAll(h, w);
            h.setRequiresGradient(true);
            w.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray derived = w.mul(manager.create(2f)); // the head is 2 W: dL/dW = 2 dL/d(head)
                new FusedHeadDivergence(lossOf(c), 3)
                        .backward(gc, h, derived.div(manager.create(2f)), teacher(false), labels, 1f);
            }
            Golden.assertClose(Golden.floats(scope, c.get("grad_head")), w.getGradient(), "dL/dW through the graph");
            Golden.assertClose(Golden.floats(scope, c.get("grad_hidden")), h.getGradient(), "dL/dh");
        }
    }

    @Test
    void aTeacherOfAnotherVocabularyOrLengthIsRefusedByName() {
        FusedHeadDivergence fused = new FusedHeadDivergence(DivergenceLoss.of(Divergences.generalizedJsd(0.5f)), 4);
        try (NDManager scope = manager.newSubManager()) {
            NDArray small = teacherHead.get("0:40"); // a 40-token vocabulary against the student's 50
            NDArray shorter = teacherHidden.get(":, 0:5");
            scope.tempAttachAll(small, shorter);
            for (FusedHeadDivergence.TeacherRows rows : new FusedHeadDivergence.TeacherRows[] {
                FusedHeadDivergence.TeacherRows.ofHead(teacherHidden, small),
                FusedHeadDivergence.TeacherRows.ofLogits(shorter.matMul(teacherHead.transpose()))
            }) {
                assertTrue(fused.usesKernel(hidden, head, rows));
                String message = assertThrows(IllegalArgumentException.class, () -> {
                            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                                fused.valueAndGradient(gc, hidden, head, rows, labels);
                            }
                        })
                        .getMessage();
                assertTrue(
                        message.contains("vocab 50 != teacher vocab 40") || message.contains("(14, 50) != "), message);
            }
        }
    }

    @Test
    void otherDivergencesAndDtypesTakeTheJavaLoop() {
        FusedHeadDivergence.TeacherRows rows = teacher(true);
        assertFalse(
                new FusedHeadDivergence(DivergenceLoss.of(Divergences.totalVariation()), 4)
                        .usesKernel(hidden, head, rows),
                "total variation has no kernel");
        assertFalse(
                new FusedHeadDivergence(DivergenceLoss.of(Divergences.skewKl(0.1f)), 4).usesKernel(hidden, head, rows),
                "skew KL has no kernel");
        try (NDManager scope = manager.newSubManager()) {
            NDArray half = hidden.toType(ai.djl.ndarray.types.DataType.FLOAT64, false);
            scope.tempAttachAll(half);
            assertFalse(
                    new FusedHeadDivergence(DivergenceLoss.of(Divergences.reverseKl()), 4).usesKernel(half, head, rows),
                    "float64 hidden states take the Java loop");
        }
        assertTrue(
                new FusedHeadDivergence(DivergenceLoss.of(Divergences.generalizedJsd(0.3f)), 4)
                        .usesKernel(hidden, head, rows),
                "a JSD over float32 arrays takes the kernel");
    }
}
