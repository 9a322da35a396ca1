package ai.goldkd.loss;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.goldkd.nd.GcStorm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fused head + divergence gives the unfused path's loss and gradients, for closed-form and autograd divergences. */
class FusedHeadDivergenceTest {

    private static NDManager manager;
    private static NDArray hidden;
    private static NDArray head;
    private static NDArray teacherHidden;
    private static NDArray teacherHead;
    private static NDArray labels;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
        manager.getEngine().setRandomSeed(17);
        hidden = manager.randomNormal(new Shape(2, 7, 16)); // (B, T, D)
        head = manager.randomNormal(new Shape(50, 16)).mul(0.5); // (V, D)
        teacherHidden = manager.randomNormal(new Shape(2, 7, 12));
        teacherHead = manager.randomNormal(new Shape(50, 12)).mul(0.5);
        labels = manager.create(new long[] {3, -100, 5, 7, 1, 2, 9, -100, -100, 4, 4, 0, -100, 8}, new Shape(2, 7));
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private record Grads(float loss, NDArray hidden, NDArray head) {}

    private static Grads unfused(DivergenceLoss loss, NDManager scope) {
        NDArray h = hidden.duplicate();
        NDArray w = head.duplicate();
        scope.tempAttachAll(h, w);
        h.setRequiresGradient(true);
        w.setRequiresGradient(true);
        NDArray teacher = teacherHidden.matMul(teacherHead.transpose());
        float value;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray l = loss.compute(h.matMul(w.transpose()), teacher, labels);
            gc.backward(l);
            value = l.getFloat();
        }
        return new Grads(value, h.getGradient().duplicate(), w.getGradient().duplicate());
    }

    private static Grads fused(DivergenceLoss loss, NDManager scope, boolean teacherFromHead, float scale) {
        NDArray h = hidden.duplicate();
        NDArray w = head.duplicate();
        scope.tempAttachAll(h, w);
        h.setRequiresGradient(true);
        w.setRequiresGradient(true);
        FusedHeadDivergence.TeacherRows rows = teacherFromHead
                ? FusedHeadDivergence.TeacherRows.ofHead(teacherHidden, teacherHead)
                : FusedHeadDivergence.TeacherRows.ofLogits(teacherHidden.matMul(teacherHead.transpose()));
        float value;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            // a graph in front of h, as the model's trunk would be
            NDArray trunk = h.mul(manager.create(1f));
            NDArray l = new FusedHeadDivergence(loss, 5).backward(gc, trunk, w, rows, labels, scale);
            GcStorm.now();
            value = l.getFloat();
        }
        return new Grads(value, h.getGradient().duplicate(), w.getGradient().duplicate());
    }

    private static void assertClose(NDArray want, NDArray got, String what) {
        float worst = want.sub(got).abs().max().getFloat();
        float size = want.abs().max().getFloat();
        assertTrue(worst <= 1e-5f + 1e-4f * size, what + ": max difference " + worst + " (scale " + size + ")");
    }

    @Test
    void sameLossAndGradientsAsTheUnfusedPath() {
        List<DivergenceLoss> losses = List.of(
                new DivergenceLoss(Divergences.forwardKl(), Reduction.tokenMean(), 1f, -100),
                new DivergenceLoss(Divergences.reverseKl(), Reduction.tokenMean(), 2f, -100),
                new DivergenceLoss(Divergences.generalizedJsd(0.5f), Reduction.sequenceMean(), 1f, -100),
                new DivergenceLoss(Divergences.skewKl(0.1f), Reduction.tokenMean(), 1f, -100), // autograd per chunk
                new DivergenceLoss(Divergences.totalVariation(), Reduction.sum(), 1f, -100));
        for (DivergenceLoss loss : losses) {
            for (boolean fromHead : new boolean[] {false, true}) {
                try (NDManager scope = manager.newSubManager()) {
                    Grads want = unfused(loss, scope);
                    Grads got = fused(loss, scope, fromHead, 1f);
                    String what = loss.divergence().name() + (fromHead ? " (teacher head)" : " (teacher logits)");
                    assertEquals(want.loss(), got.loss(), 1e-5 + 1e-5 * Math.abs(want.loss()), what + " loss");
                    assertClose(want.hidden(), got.hidden(), what + " dL/dh");
                    assertClose(want.head(), got.head(), what + " dL/dW");
                }
            }
        }
    }

    @Test
    void theScaleMultipliesTheGradientsNotTheValue() {
        DivergenceLoss loss = new DivergenceLoss(Divergences.generalizedJsd(0.9f), Reduction.tokenMean(), 1f, -100);
        try (NDManager scope = manager.newSubManager()) {
            Grads one = fused(loss, scope, false, 1f);
            Grads half = fused(loss, scope, false, 0.5f);
            assertEquals(one.loss(), half.loss(), 1e-7);
            assertClose(one.hidden().mul(0.5f), half.hidden(), "scaled dL/dh");
            assertClose(one.head().mul(0.5f), half.head(), "scaled dL/dW");
        }
    }
}
