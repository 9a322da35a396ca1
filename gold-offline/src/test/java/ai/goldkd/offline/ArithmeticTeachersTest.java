package ai.goldkd.offline;

import ai.goldkd.config.Budget;
import ai.goldkd.model.SamplingConfig;
import ai.goldkd.train.distill.PromptSplits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The arithmetic teacher's recipe and the notebook's way of obtaining a teacher. */
class ArithmeticTeachersTest {

    @Test
    void aRecipeKeepsTheDirectoryItHadAsACommand() {
        // 8ffd2dea3a57 is the directory `gold teacher build arithmetic --lm-steps 4 --sft-steps 3 --sft2-steps 3
        // --layers 1 --dim 16 --heads 2 --mlp 32 --batch 4 --test-limit 4` made before the build was a library
        // call: a cached teacher is found again under the same name.
        ArithmeticTeachers.Recipe d = ArithmeticTeachers.Recipe.defaults();
        ArithmeticTeachers.Recipe tiny = new ArithmeticTeachers.Recipe(d.dataSha256(), 4, 3, 3, 1, 16, 2, 32, 4, 4);
        assertEquals("8ffd2dea3a57", tiny.hash());
        assertTrue(
                tiny.dir().getFileName().toString().equals("arithmetic-8ffd2dea3a57"),
                tiny.dir().toString());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new ArithmeticTeachers.Recipe(d.dataSha256(), 0, 3, 3, 1, 16, 2, 32, 4, 4));
        assertTrue(e.getMessage().contains(">= 1 step"), e.getMessage());
    }

    @Test
    void theSmokeBudgetTrainsATeacherHereAndSaysSo(@TempDir Path dir) {
        PromptSplits splits = PromptSplits.of("arithmetic-answer", 64, 8, 8);
        try (ArithmeticTeachers.Obtained t = ArithmeticTeachers.obtain(Budget.SMOKE, splits, dir.resolve("teacher"))) {
            assertTrue(
                    t.source().startsWith("no built teacher used: trained one here by SFT (1 layers, width 64)"),
                    t.source());
            assertEquals(259, t.teacher().vocabSize());
            assertEquals(
                    8,
                    t.teacher()
                            .answers(splits.test().stream().map(p -> p.prompt()).toList(), SamplingConfig.greedy(8), 4)
                            .size());
        }
    }
}
