package ai.goldkd.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.goldkd.config.Devices;
import ai.goldkd.loss.DivergenceLoss;
import ai.goldkd.loss.Divergences;
import ai.goldkd.loss.FusedHeadDivergence;
import ai.goldkd.nd.Scalars;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The {@code fused} shape of {@link JsdProbe}: the generalized JSD (beta 0.5) through
 * {@link FusedHeadDivergence}, the student's hidden states (1, N, 256) and head (V, 256) and the teacher's
 * own hidden states and head as the inputs, backward into the student's hidden states and head (in the
 * native kernel, or with {@code kernel} false in the Java chunk loop). No (N, V) tensor of either model
 * exists, so the peak is measured against the size one logits tensor would have.
 *
 * <p>Two peaks. {@code peak_mb - baseline_mb}: a step after the first, above the inputs and their
 * gradients (the head's (V, D) gradient, which every later step of a training run adds into, exists
 * from the first step on, as every parameter's does), the high-water mark reset after the first step.
 * {@code first_step_extra_mb}: the first step, above the inputs alone, the gradients it creates counted.
 */
final class FusedProbe {

    private FusedProbe() {}

    static void run(int positions, int vocab, int chunk, int reps, boolean kernel) {
        int d = JsdProbe.HIDDEN;
        DivergenceLoss loss = DivergenceLoss.of(Divergences.generalizedJsd(0.5f));
        double[] seconds = new double[reps];
        double logitsMb = (double) positions * vocab * 4 / (1 << 20);
        long baseline;
        long firstExtra;
        long peak;
        try (NDManager manager = NDManager.newBaseManager(Devices.choose())) {
            Engine.getInstance().setRandomSeed(4);
            NDArray hidden = manager.randomNormal(new Shape(1, positions, d)); // (1, N, D)
            NDArray head = Scalars.muli(manager.randomNormal(new Shape(vocab, d)), 2 / Math.sqrt(d)); // (V, D)
            NDArray teacherHidden = manager.randomNormal(new Shape(1, positions, d));
            NDArray teacherHead = Scalars.muli(manager.randomNormal(new Shape(vocab, d)), 2 / Math.sqrt(d));
            NDArray labels = manager.zeros(new Shape(1, positions), DataType.INT64);
            hidden.setRequiresGradient(true);
            head.setRequiresGradient(true);
            FusedHeadDivergence all = new FusedHeadDivergence(loss, chunk == 0 ? positions : chunk);
            FusedHeadDivergence fused = kernel ? all : all.withoutKernel();
            FusedHeadDivergence.TeacherRows teacher =
                    FusedHeadDivergence.TeacherRows.ofHead(teacherHidden, teacherHead);
            warmUp(fused, 2 * Math.max(1, chunk), d);
            System.gc();
            long before = JsdProbe.status("VmRSS");
            // the first step creates the head's and hidden states' gradients, as a training run's first step does
            double firstSeconds = step(manager, fused, hidden, head, teacher, labels);
            firstExtra = JsdProbe.status("VmHWM") - before;
            System.gc();
            resetPeak();
            baseline = JsdProbe.status("VmRSS"); // the inputs and their gradients
            for (int r = 0; r < reps; r++) {
                seconds[r] = step(manager, fused, hidden, head, teacher, labels);
            }
            peak = JsdProbe.status("VmHWM");
            if (reps == 0) {
                seconds = new double[] {firstSeconds};
            }
        }
        Arrays.sort(seconds);
        System.out.printf(
                Locale.ROOT,
                "{\"seconds\": %.4f, \"baseline_mb\": %.1f, \"peak_mb\": %.1f, \"logits_mb\": %.1f,"
                        + " \"first_step_extra_mb\": %.1f}%n",
                seconds[seconds.length / 2],
                baseline / 1024.0,
                peak / 1024.0,
                logitsMb,
                firstExtra / 1024.0);
    }

    /** One step: the loss and its gradients, back-propagated into the hidden states and head; seconds. */
    private static double step(
            NDManager manager,
            FusedHeadDivergence fused,
            NDArray hidden,
            NDArray head,
            FusedHeadDivergence.TeacherRows teacher,
            NDArray labels) {
        long start = System.nanoTime();
        try (NDManager scope = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            scope.tempAttachAll(hidden, head, labels);
            fused.backward(collector, hidden, head, teacher, labels, 1f).getFloat();
            head.getGradient().flatten().getFloat(0);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Resets the process's resident high-water mark (VmHWM) to its current resident size (Linux 4.0+). */
    private static void resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reset the peak through /proc/self/clear_refs", e);
        }
    }

    /**
     * The same computation once on a small problem (vocabulary 512), before the baseline is read: the
     * first call of each native operation pages in its code and initialises its library (and the
     * kernel's module is loaded and compiled), memory that belongs to the process, not to the loss.
     */
    private static void warmUp(FusedHeadDivergence fused, int positions, int d) {
        try (NDManager small = NDManager.newBaseManager(Devices.choose())) {
            NDArray hidden = small.randomNormal(new Shape(1, positions, d));
            NDArray head = small.randomNormal(new Shape(512, d));
            NDArray labels = small.zeros(new Shape(1, positions), DataType.INT64);
            FusedHeadDivergence.TeacherRows teacher = FusedHeadDivergence.TeacherRows.ofHead(
                    small.randomNormal(new Shape(1, positions, d)), small.randomNormal(new Shape(512, d)));
            hidden.setRequiresGradient(true);
            head.setRequiresGradient(true);
            for (int r = 0; r < 2; r++) { // the second with the head's gradient in place, as every later step
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    fused.backward(collector, hidden, head, teacher, labels, 1f).getFloat();
                }
            }
        }
    }
}
