package ai.goldkd.bench;

import ai.djl.ndarray.NDManager;
import ai.goldkd.model.hf.HfDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The benchmark's GKD step on tiny Llama checkpoints written by {@link LlamaShapes}: the fused, chunked
 * and whole divergence give the same loss at every step (so, through the steps that follow, the same
 * updates).
 */
class GkdStepTest {

    private static double[] losses(Path teacherDir, Path studentDir, String mode, int steps) {
        double[] out = new double[steps];
        try (NDManager manager = NDManager.newBaseManager()) {
            HfDecoder teacher = LlamaShapes.load(teacherDir, manager);
            HfDecoder student = LlamaShapes.load(studentDir, manager);
            assertEquals(
                    LlamaShapes.QUICK_STUDENT.parameters(),
                    student.named().values().stream()
                            .mapToLong(p -> p.getArray().size())
                            .sum());
            try (GkdStep step = new GkdStep(teacher, student, 2, 16, mode, 8)) {
                for (int s = 0; s < steps; s++) {
                    step.run(1);
                    out[s] = step.lastLoss();
                }
            }
        }
        return out;
    }

    @Test
    void fusedChunkedAndWholeTakeTheSameSteps(@TempDir Path dir) {
        Path teacher = LlamaShapes.ensure(dir, LlamaShapes.QUICK_TEACHER, 1);
        Path student = LlamaShapes.ensure(dir, LlamaShapes.QUICK_STUDENT, 2);
        assertEquals(teacher, LlamaShapes.ensure(dir, LlamaShapes.QUICK_TEACHER, 1), "written once, then reused");
        double[] whole = losses(teacher, student, "whole", 3);
        double[] fused = losses(teacher, student, "fused", 3);
        double[] chunked = losses(teacher, student, "chunked", 3);
        for (int s = 0; s < whole.length; s++) {
            assertTrue(whole[s] > 0 && Double.isFinite(whole[s]), "a JSD is positive: " + whole[s]);
            assertEquals(whole[s], fused[s], 1e-5 * whole[s], "step " + s + " fused");
            assertEquals(whole[s], chunked[s], 1e-5 * whole[s], "step " + s + " chunked");
        }
    }

    @Test
    void anUnknownModeIsRefusedByName() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new GkdStep.GkdLoss(null, null, "fast", 8));
        assertTrue(e.getMessage().contains("'fast'"), e.getMessage());
    }
}
