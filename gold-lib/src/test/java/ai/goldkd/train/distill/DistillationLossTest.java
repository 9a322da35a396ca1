package ai.goldkd.train.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.goldkd.loss.CrossEntropyLoss;
import ai.goldkd.loss.DivergenceLoss;
import ai.goldkd.loss.Divergences;
import ai.goldkd.loss.Reduction;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The distillation loss's equation follows what its typed labels carry, and it returns its terms. */
class DistillationLossTest {

    private static final DistillationLoss LOSS =
            new DistillationLoss(Divergences.generalizedJsd(0.5f), 1f, 0.5f, 1f, 0);

    private static NDArray targets(NDManager m) {
        return m.create(new long[] {3, 1, Reduction.IGNORE_INDEX, 0, 2, 4}, new Shape(2, 3)); // (B, T)
    }

    private static NDArray logits(NDManager m, long seed) {
        ai.djl.engine.Engine.getInstance().setRandomSeed((int) seed);
        return m.randomNormal(new Shape(2, 3, 5)); // (B, T, V)
    }

    @Test
    void targetsAloneGiveTheCrossEntropy() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = logits(m, 1);
            DistillationLoss.Terms t = LOSS.terms(null, KdLabels.targetsOnly(targets(m)), z, 1f);
            assertEquals(
                    CrossEntropyLoss.tokenMean().compute(z, targets(m)).getFloat(),
                    t.loss().getFloat(),
                    0f);
            assertEquals(t.loss().getFloat(), t.crossEntropy(), 0);
            assertTrue(Double.isNaN(t.divergence()) && Double.isNaN(t.rewardTerm()));
            assertEquals(List.of("cross_entropy"), List.copyOf(t.metrics().keySet()));
        }
    }

    @Test
    void teacherLogitsGiveTheDivergenceAndAnAdvantageAddsTheRewardTerm() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = logits(m, 1);
            NDArray teacher = logits(m, 2);
            float d = new DivergenceLoss(
                            Divergences.generalizedJsd(0.5f), Reduction.tokenMean(), 1f, Reduction.IGNORE_INDEX)
                    .compute(z, teacher, targets(m))
                    .getFloat();
            DistillationLoss.Terms kd = LOSS.terms(null, new KdLabels(targets(m), teacher, null), z, 1f);
            assertEquals(d, kd.loss().getFloat(), 0f);
            assertEquals(d, kd.divergence(), 0);
            assertEquals(List.of("divergence"), List.copyOf(kd.metrics().keySet()));

            NDArray advantage = m.create(new float[] {1f, -1f}); // (B)
            DistillationLoss.Terms rl = LOSS.terms(null, new KdLabels(targets(m), teacher, advantage), z, 1f);
            assertEquals(d, rl.divergence(), 0);
            assertTrue(rl.rewardTerm() != 0 && Double.isFinite(rl.rewardTerm()), "reward term " + rl.rewardTerm());
            assertEquals(d + rl.rewardTerm(), rl.loss().getFloat(), 1e-6);
            assertEquals(
                    List.of("divergence", "reward_term"),
                    List.copyOf(rl.metrics().keySet()));
            // Stateless: the same inputs give the same terms, whatever came before.
            assertEquals(
                    kd.loss().getFloat(),
                    LOSS.terms(null, new KdLabels(targets(m), teacher, null), z, 1f)
                            .loss()
                            .getFloat(),
                    0f);
        }
    }

    @Test
    void labelsRoundTripThroughTheirDjlForm() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray y = targets(m);
            NDArray teacher = logits(m, 2);
            NDArray advantage = m.create(new float[] {0.5f, -0.5f});
            KdLabels back = KdLabels.from(new KdLabels(y, teacher, advantage).toNDList());
            assertSame(y, back.targets());
            assertSame(teacher, back.teacherLogits());
            assertSame(advantage, back.advantage());
            KdLabels sft = KdLabels.from(KdLabels.targetsOnly(y).toNDList());
            assertFalse(sft.hasTeacher());
            assertNull(sft.advantage());
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> new KdLabels(y, null, advantage));
            assertTrue(e.getMessage().contains("teacher logits"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> KdLabels.from(new NDList()));
            assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        }
    }
}
