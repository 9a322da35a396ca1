package ai.goldkd.train.distill;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.goldkd.loss.Divergences;
import ai.goldkd.model.CausalLm;
import ai.goldkd.teacher.LocalTeacher;
import org.junit.jupiter.api.Test;

import java.util.List;

import static ai.goldkd.train.distill.DistillationTrainerTest.BYTES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeldOutDivergenceTest {

    @Test
    void zeroAgainstItselfPositiveAgainstAnotherModelAndIndependentOfBatching() {
        try (Model a = DistillationTrainerTest.student(1);
                Model b = DistillationTrainerTest.student(2);
                NDManager manager = NDManager.newBaseManager()) {
            CausalLm lmA = ((CausalLm) a.getBlock()).initialize(manager);
            CausalLm lmB = ((CausalLm) b.getBlock()).initialize(manager);
            LocalTeacher teacher = new LocalTeacher(lmA, BYTES);
            List<PromptExample> examples = DistillationTrainerTest.toy(7);
            assertEquals(0, HeldOutDivergence.of(teacher, lmA, BYTES, examples, Divergences.forwardKl(), 3), 1e-6);
            double d = HeldOutDivergence.of(teacher, lmB, BYTES, examples, Divergences.forwardKl(), 3);
            assertTrue(d > 1e-3, "two random models differ: " + d);
            assertEquals(
                    d,
                    HeldOutDivergence.of(teacher, lmB, BYTES, examples, Divergences.forwardKl(), 7),
                    1e-5,
                    "a token mean over all answer tokens, not a mean of batch means");
            assertThrows(
                    IllegalArgumentException.class,
                    () -> HeldOutDivergence.of(teacher, lmB, BYTES, List.of(), Divergences.forwardKl(), 3));
        }
    }
}
