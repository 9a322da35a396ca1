package ai.goldkd.student;

import ai.goldkd.data.Split;
import ai.goldkd.data.Task;
import ai.goldkd.data.TaskCatalog;
import ai.goldkd.ood.Energy;
import ai.goldkd.train.distill.PromptExample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The language-model student: what it trained on has lower energy than what it did not. */
class SequenceStudentTest {

    @Test
    void trainedAnswersGetLowerEnergyThanUnseenOnes(@TempDir Path dir) {
        TaskCatalog catalog = TaskCatalog.locate();
        Task task = catalog.task("arithmetic-answer");
        List<PromptExample> all = PromptExample.of(task, catalog.examples(task, Split.TRAIN));
        List<PromptExample> seen = all.subList(0, 16);
        List<PromptExample> unseen = all.subList(1000, 1016);
        SequenceStudentConfig small = new SequenceStudentConfig(null, 1, 32, 2, 192, 16, 1e-2f, 48);
        try (SequenceStudent student = SequenceStudent.create(small, 5)) {
            student.train(seen, 60, 1, null, dir.resolve("update"));
            double seenEnergy = Energy.mean(student.energies(seen, 1f));
            double unseenEnergy = Energy.mean(student.energies(unseen, 1f));
            assertTrue(unseenEnergy - seenEnergy > 0.02, "seen " + seenEnergy + " vs unseen " + unseenEnergy);
            // at temperature T the energy is -T logsumexp(f / T): a different number, the same order of size
            float[] hot = student.energies(seen, 2f);
            assertEquals(seen.size(), hot.length);
            assertTrue(hot[0] != student.energies(seen, 1f)[0]);
            student.save(dir.resolve("saved"));
            try (SequenceStudent loaded =
                    SequenceStudent.create(small.withInit(dir.resolve("saved").toString()), 99)) {
                assertTrue(
                        java.util.Arrays.equals(student.energies(unseen, 1f), loaded.energies(unseen, 1f)),
                        "a saved and loaded student scores differently");
            }
        }
    }

    @Test
    void aMissingInitSaysWhatToGive(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> SequenceStudent.create(
                        SequenceStudentConfig.defaults()
                                .withInit(dir.resolve("nothing").toString()),
                        1));
        assertTrue(e.getMessage().contains("no checkpoint"), e.getMessage());
    }
}
