package ai.goldkd.loss;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A rough peak-memory probe, skipped unless asked for (one mode per JVM, since the peak is per process):
 *
 * <pre>
 *   mvn -B -q -pl gold-lib test -Dtest=ChunkedMemoryProbe -Dgold.loss.memory=plain
 *   mvn -B -q -pl gold-lib test -Dtest=ChunkedMemoryProbe -Dgold.loss.memory=chunked [-Dgold.loss.chunk=1024]
 * </pre>
 *
 * <p>It prints the process's peak resident memory (VmHWM) above the level after the logits exist, for
 * a JSD(0.5) token-mean loss and its backward over 4096 positions of a 32,000-token vocabulary.
 */
class ChunkedMemoryProbe {

    @Test
    void peakMemory() throws IOException {
        String mode = System.getProperty("gold.loss.memory");
        Assumptions.assumeTrue(mode != null, "set -Dgold.loss.memory=plain or chunked");
        int n = 4096;
        int vocab = 32_000;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray student = m.randomNormal(new Shape(n, vocab));
            NDArray teacher = m.randomNormal(new Shape(n, vocab));
            NDArray labels = m.zeros(new Shape(n), ai.djl.ndarray.types.DataType.INT64);
            student.setRequiresGradient(true);
            long before = kb("VmRSS");
            DivergenceLoss loss = DivergenceLoss.of(Divergences.generalizedJsd(0.5f));
            long start = System.nanoTime();
            float value;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                if (mode.equals("plain")) {
                    NDArray l = loss.compute(student, teacher, labels);
                    gc.backward(l);
                    value = l.getFloat();
                } else {
                    value = new ChunkedDivergence(loss, Integer.getInteger("gold.loss.chunk", 1024))
                            .backward(gc, student, teacher, labels)
                            .getFloat();
                }
            }
            long peak = kb("VmHWM");
            double copy = (double) n * vocab * 4 / (1 << 20);
            System.out.printf(
                    "%s: loss %.5f, peak above logits %.0f MB (one (N, V) float32 copy = %.0f MB), %.1f s%n",
                    mode.equals("plain") ? mode : "chunked(" + Integer.getInteger("gold.loss.chunk", 1024) + ")",
                    value,
                    (peak - before) / 1024.0,
                    copy,
                    (System.nanoTime() - start) / 1e9);
        }
    }

    private static long kb(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException(field + " not in /proc/self/status");
    }
}
