package ai.goldkd.loss;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The peer's property tests (TRL's GKD loss tests, GKD.md) and a few more. */
class DivergencePropertiesTest {

    private static final List<Divergence> ALL = List.of(
            Divergences.forwardKl(),
            Divergences.reverseKl(),
            Divergences.generalizedJsd(0f),
            Divergences.generalizedJsd(0.1f),
            Divergences.generalizedJsd(0.5f),
            Divergences.generalizedJsd(0.9f),
            Divergences.generalizedJsd(1f),
            Divergences.skewKl(0.1f),
            Divergences.skewReverseKl(0.1f),
            Divergences.totalVariation(),
            Divergences.adaptiveKl(0.5f));

    private NDManager m;

    @BeforeEach
    void open() {
        m = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        m.close();
    }

    private NDArray logits(long seed, long... shape) {
        m.getEngine().setRandomSeed((int) seed);
        return m.randomNormal(new Shape(shape)).mul(2f);
    }

    @Test
    void identicalAndUniformInputsGiveZero() {
        NDArray z = logits(1, 2, 3, 7);
        NDArray zeros = m.zeros(new Shape(2, 3, 7));
        for (Divergence d : ALL) {
            for (float t : new float[] {1f, 2f}) {
                assertMax(d.perToken(z, z.duplicate(), t), 1e-6f, d.name() + " identical");
                assertMax(d.perToken(z, z, t), 1e-6f, d.name() + " same array twice");
                assertMax(d.perToken(zeros, zeros.duplicate(), t), 1e-6f, d.name() + " uniform");
            }
        }
    }

    @Test
    void jsdEndpointsAreTheTwoKls() {
        // GKD.md: student = log([0.1, 0.9]), teacher = log([0.9, 0.1]) gives 0.8 ln 9 for both endpoints
        NDArray student = m.create(new float[] {0.1f, 0.9f}).log().reshape(1, 2);
        NDArray teacher = m.create(new float[] {0.9f, 0.1f}).log().reshape(1, 2);
        double expected = 1.7577796619;
        for (Divergence d : List.of(
                Divergences.generalizedJsd(0f),
                Divergences.generalizedJsd(1f),
                Divergences.forwardKl(),
                Divergences.reverseKl())) {
            Golden.assertClose(expected, d.perToken(student, teacher, 1f).getFloat(0), d.name());
        }
        NDArray z = logits(2, 4, 9);
        NDArray w = logits(3, 4, 9);
        assertClose(
                Divergences.forwardKl().perToken(z, w, 1f),
                Divergences.generalizedJsd(0f).perToken(z, w, 1f));
        assertClose(
                Divergences.reverseKl().perToken(z, w, 1f),
                Divergences.generalizedJsd(1f).perToken(z, w, 1f));
    }

    @Test
    void jsdSwapChangesAtBetaPointOneAndNotAtOneHalf() {
        NDArray z = logits(4, 3, 8);
        NDArray w = logits(5, 3, 8);
        Divergence tenth = Divergences.generalizedJsd(0.1f);
        assertNotEquals(
                tenth.perToken(z, w, 1f).sum().getFloat(),
                tenth.perToken(w, z, 1f).sum().getFloat(),
                1e-4f);
        Divergence half = Divergences.generalizedJsd(0.5f);
        assertClose(half.perToken(z, w, 1f), half.perToken(w, z, 1f));
        // JSD_beta(p, q) = JSD_{1-beta}(q, p)
        assertClose(tenth.perToken(z, w, 1f), Divergences.generalizedJsd(0.9f).perToken(w, z, 1f));
    }

    @Test
    void jsdIsBoundedAndTendsToTheKlsAtTheEnds() {
        NDArray z = logits(6, 5, 10);
        NDArray w = logits(7, 5, 10);
        for (float beta : new float[] {0.1f, 0.3f, 0.5f, 0.7f, 0.9f}) {
            float[] v = Divergences.generalizedJsd(beta).perToken(z, w, 1f).toFloatArray();
            double bound = -beta * Math.log(beta) - (1 - beta) * Math.log(1 - beta);
            for (float x : v) {
                assertTrue(x >= -1e-6 && x <= bound + 1e-6, "JSD(" + beta + ") = " + x + " not in [0, " + bound + "]");
            }
        }
        float beta = 1e-4f; // the limit is slow: at 1e-3 the gap is still ~4% where KL ~ 5
        NDArray nearForward =
                Divergences.generalizedJsd(beta).perToken(z, w, 1f).div(beta);
        assertClose(Divergences.forwardKl().perToken(z, w, 1f), nearForward, 0.02f);
        NDArray nearReverse =
                Divergences.generalizedJsd(1 - beta).perToken(z, w, 1f).div(beta);
        assertClose(Divergences.reverseKl().perToken(z, w, 1f), nearReverse, 0.02f);
    }

    @Test
    void temperatureChangesTheValueAndKeepsShape() {
        NDArray z = logits(8, 2, 3, 6);
        NDArray w = logits(9, 2, 3, 6);
        for (Divergence d : ALL) {
            NDArray one = d.perToken(z, w, 1f);
            NDArray two = d.perToken(z, w, 2f);
            assertEquals(new Shape(2, 3), one.getShape(), d.name());
            assertTrue(one.sub(two).abs().max().getFloat() > 1e-4, d.name() + ": T=1 and T=2 agree");
        }
        // soft targets: at a high temperature both distributions are near uniform
        assertTrue(Divergences.forwardKl().perToken(z, w, 100f).max().getFloat() < 1e-2);
    }

    @Test
    void reducingModesGiveScalarsAndNoneKeepsPositions() {
        NDArray z = logits(10, 2, 4, 5);
        NDArray w = logits(11, 2, 4, 5);
        NDArray labels = m.create(new long[] {1, -100, 2, 3, -100, -100, 4, 0}, new Shape(2, 4));
        for (Reduction r :
                List.of(Reduction.tokenMean(), Reduction.sequenceMean(), Reduction.sum(), Reduction.sumOver(3))) {
            assertEquals(
                    new Shape(),
                    new DivergenceLoss(Divergences.forwardKl(), r, 1f, -100)
                            .compute(z, w, labels)
                            .getShape(),
                    r.toString());
        }
        NDArray none = new DivergenceLoss(Divergences.forwardKl(), Reduction.none(), 1f, -100).compute(z, w, labels);
        assertEquals(new Shape(2, 4), none.getShape());
        assertEquals(0f, none.getFloat(0, 1));
        // a different ignore index
        NDArray other = ai.djl.ndarray.NDArrays.where(
                labels.eq(-100), labels.zerosLike().sub(1), labels);
        assertEquals(
                new DivergenceLoss(Divergences.forwardKl(), Reduction.tokenMean(), 1f, -100)
                        .compute(z, w, labels)
                        .getFloat(),
                new DivergenceLoss(Divergences.forwardKl(), Reduction.tokenMean(), 1f, -1)
                        .compute(z, w, other)
                        .getFloat(),
                1e-6f);
    }

    @Test
    void maskedPositionsDoNotContribute() {
        NDArray z = logits(12, 2, 4, 5);
        NDArray w = logits(13, 2, 4, 5);
        NDArray labels = m.create(new long[] {1, -100, 2, 3, -100, -100, 4, 0}, new Shape(2, 4));
        NDArray changed = z.duplicate();
        changed.set(new NDIndex(0, 1), 50f); // a masked position, made wildly different
        changed.set(new NDIndex(1, 0), Float.NaN); // and a masked position holding NaN
        for (Divergence d : ALL) {
            for (Reduction r : List.of(Reduction.tokenMean(), Reduction.sequenceMean(), Reduction.sum())) {
                DivergenceLoss loss = new DivergenceLoss(d, r, 1f, -100);
                Golden.assertClose(
                        loss.compute(z, w, labels).getFloat(),
                        loss.compute(changed, w, labels).getFloat(),
                        d.name() + " " + r.mode());
            }
            NDArray student = z.duplicate();
            student.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(DivergenceLoss.of(d).compute(student, w, labels));
            }
            NDArray g = student.getGradient();
            assertEquals(0f, g.get(0, 1).abs().sum().getFloat(), d.name() + " gradient at a masked position");
            assertTrue(g.get(0, 0).abs().sum().getFloat() > 0f, d.name() + " gradient at a valid position");
        }
    }

    @Test
    void gradientFlowsIntoTheStudentOnlyAndIsFinite() {
        NDArray labels = m.create(new long[] {1, 2, 3}, new Shape(1, 3));
        List<Divergence> withTaid = new java.util.ArrayList<>(ALL);
        withTaid.add(Taid.at(0.4f));
        withTaid.add(Taid.at(0.7f, Taid.Interpolation.PROBABILITIES));
        for (Divergence d : withTaid) {
            NDArray student = logits(14, 1, 3, 6);
            NDArray teacher = logits(15, 1, 3, 6);
            student.setRequiresGradient(true);
            teacher.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(new DivergenceLoss(d, Reduction.tokenMean(), 2f, -100).compute(student, teacher, labels));
            }
            NDArray gs = student.getGradient();
            assertTrue(gs.isNaN().logicalOr(gs.isInfinite()).sum().getLong() == 0, d.name() + " finite");
            assertTrue(gs.abs().sum().getFloat() > 0f, d.name() + " has a gradient");
            assertEquals(0f, teacher.getGradient().abs().sum().getFloat(), d.name() + " teacher gets no gradient");
        }
    }

    @Test
    void sumOverItemsAddsUpUnderGradientAccumulation() {
        // two micro-batches, each reduced with sumOver(total valid tokens), add up to the whole batch's mean
        NDArray z = logits(16, 4, 3, 5);
        NDArray w = logits(17, 4, 3, 5);
        NDArray labels = m.create(new long[] {1, -100, 2, 3, 4, 0, -100, -100, 1, 2, 2, -100}, new Shape(4, 3));
        long valid = labels.neq(-100).sum().getLong();
        DivergenceLoss micro = new DivergenceLoss(Divergences.forwardKl(), Reduction.sumOver(valid), 1f, -100);
        float accumulated = micro.compute(z.get("0:2"), w.get("0:2"), labels.get("0:2"))
                        .getFloat()
                + micro.compute(z.get("2:4"), w.get("2:4"), labels.get("2:4")).getFloat();
        float whole =
                DivergenceLoss.of(Divergences.forwardKl()).compute(z, w, labels).getFloat();
        assertEquals(whole, accumulated, 1e-5f);
    }

    @Test
    void sequenceMeanAveragesWithinThenAcrossSequences() {
        NDArray perToken = m.create(new float[] {1, 2, 3, 10, 20, 30, 5, 5, 5}, new Shape(3, 3));
        NDArray valid =
                m.create(new boolean[] {true, true, true, true, false, false, false, false, false}, new Shape(3, 3));
        // (2 + 10) / 2: the third sequence has no valid position and does not count
        assertEquals(6f, Reduction.sequenceMean().apply(perToken, valid).getFloat(), 1e-6f);
        assertEquals(4f, Reduction.tokenMean().apply(perToken, valid).getFloat(), 1e-6f);
        assertEquals(
                0f, Reduction.tokenMean().apply(perToken, valid.zerosLike()).getFloat());
    }

    @Test
    void badParametersAreNamedWithTheirValue() {
        assertMessage(() -> Divergences.generalizedJsd(1.5f), "1.5");
        assertMessage(() -> Divergences.generalizedJsd(Float.NaN), "NaN");
        assertMessage(() -> Divergences.skewKl(-0.1f), "-0.1");
        assertMessage(() -> Divergences.skewReverseKl(2f), "2.0");
        assertMessage(() -> Divergences.adaptiveKl(1f), "1.0");
        assertMessage(() -> Taid.at(1.2f), "1.2");
        assertMessage(() -> Reduction.sumOver(0), "itemCount = 0");
        assertMessage(() -> HintonKdLoss.of(0.5f, 0f), "temperature 0.0");
        NDArray z = logits(18, 2, 5);
        assertMessage(() -> Divergences.forwardKl().perToken(z, z, -1f), "-1.0");
        assertMessage(() -> Divergences.forwardKl().perToken(z, logits(19, 2, 6), 1f), "sequence-level KD");
    }

    private static void assertMessage(Runnable call, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    private static void assertMax(NDArray values, float tolerance, String what) {
        float max = values.abs().max().getFloat();
        assertTrue(max <= tolerance, what + ": max |value| = " + max);
    }

    private static void assertClose(NDArray expected, NDArray actual) {
        Golden.assertClose(expected, actual, "values");
    }

    private static void assertClose(NDArray expected, NDArray actual, float relative) {
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++) {
            assertTrue(
                    Math.abs(e[i] - a[i]) <= relative * Math.abs(e[i]) + 1e-4,
                    "expected " + e[i] + ", got " + a[i] + " at " + i);
        }
    }
}
