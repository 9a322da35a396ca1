package ai.goldkd.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.goldkd.config.Devices;
import ai.goldkd.loss.ChunkedDivergence;
import ai.goldkd.loss.DivergenceLoss;
import ai.goldkd.loss.Divergences;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The generalized JSD (beta 0.5) of random student and teacher logits with its gradient, timed, with
 * the process's resident-memory high-water mark: run in a child JVM of its own, so the mark belongs to
 * this computation alone. Native (libtorch) allocations are outside the Java heap and are counted,
 * since the kernel's VmHWM sees every resident page.
 *
 * <p>Arguments: positions, vocabulary, chunk size (0: unchunked), repetitions. Prints one JSON line.
 */
public final class JsdProbe {

    private JsdProbe() {}

    /**
     * Runs the probe.
     *
     * @param args positions, vocab, chunk (0 = unchunked), repetitions
     */
    public static void main(String[] args) {
        int positions = Integer.parseInt(args[0]);
        int vocab = Integer.parseInt(args[1]);
        int chunk = Integer.parseInt(args[2]);
        int reps = Integer.parseInt(args[3]);
        DivergenceLoss loss = DivergenceLoss.of(Divergences.generalizedJsd(0.5f));
        double[] seconds = new double[reps];
        long baseline;
        try (NDManager manager = NDManager.newBaseManager(Devices.choose())) {
            Engine.getInstance().setRandomSeed(4);
            Shape shape = new Shape(1, positions, vocab);
            NDArray student = manager.randomNormal(0f, 2f, shape, DataType.FLOAT32);  // (1, N, V)
            NDArray teacher = manager.randomNormal(0f, 2f, shape, DataType.FLOAT32);  // (1, N, V)
            NDArray labels = manager.zeros(new Shape(1, positions), DataType.INT64);  // (1, N), all counted
            student.setRequiresGradient(true);
            System.gc();
            baseline = status("VmRSS");
            for (int r = 0; r < reps; r++) {
                long start = System.nanoTime();
                try (NDManager scope = manager.newSubManager();
                        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    scope.tempAttachAll(student, teacher, labels);
                    if (chunk == 0) {
                        collector.backward(loss.compute(student, teacher, labels));
                    } else {
                        new ChunkedDivergence(loss, chunk).backward(collector, student, teacher, labels).getFloat();
                    }
                    student.getGradient().getFloat(0, 0, 0);
                }
                seconds[r] = (System.nanoTime() - start) / 1e9;
            }
        }
        long peak = status("VmHWM");
        Arrays.sort(seconds);
        System.out.printf(Locale.ROOT, "{\"seconds\": %.4f, \"baseline_mb\": %.1f, \"peak_mb\": %.1f,"
                + " \"logits_mb\": %.1f}%n", seconds[reps / 2], baseline / 1024.0, peak / 1024.0,
                (double) positions * vocab * 4 / (1 << 20));
    }

    /** A field of /proc/self/status in kB. */
    private static long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/status: peak memory needs Linux", e);
        }
        throw new IllegalStateException("no " + field + " in /proc/self/status");
    }
}
