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

import java.util.Arrays;
import java.util.Locale;

/**
 * The {@code fused} shape of {@link JsdProbe}: the generalized JSD (beta 0.5) through
 * {@link FusedHeadDivergence}, the student's hidden states (1, N, 256) and head (V, 256) and the teacher's
 * own hidden states and head as the inputs, backward into the student's hidden states and head. No
 * (N, V) tensor of either model exists, so the peak above the inputs is measured against the size one
 * logits tensor would have.
 */
final class FusedProbe {

    private FusedProbe() {}

    static void run(int positions, int vocab, int chunk, int reps) {
        int d = JsdProbe.HIDDEN;
        DivergenceLoss loss = DivergenceLoss.of(Divergences.generalizedJsd(0.5f));
        double[] seconds = new double[reps];
        double logitsMb = (double) positions * vocab * 4 / (1 << 20);
        long baseline;
        try (NDManager manager = NDManager.newBaseManager(Devices.choose())) {
            Engine.getInstance().setRandomSeed(4);
            NDArray hidden = manager.randomNormal(new Shape(1, positions, d)); // (1, N, D)
            NDArray head = Scalars.muli(manager.randomNormal(new Shape(vocab, d)), 2 / Math.sqrt(d)); // (V, D)
            NDArray teacherHidden = manager.randomNormal(new Shape(1, positions, d));
            NDArray teacherHead = Scalars.muli(manager.randomNormal(new Shape(vocab, d)), 2 / Math.sqrt(d));
            NDArray labels = manager.zeros(new Shape(1, positions), DataType.INT64);
            hidden.setRequiresGradient(true);
            head.setRequiresGradient(true);
            FusedHeadDivergence fused = new FusedHeadDivergence(loss, chunk == 0 ? positions : chunk);
            FusedHeadDivergence.TeacherRows teacher =
                    FusedHeadDivergence.TeacherRows.ofHead(teacherHidden, teacherHead);
            System.gc();
            baseline = JsdProbe.status("VmRSS");
            for (int r = 0; r < reps; r++) {
                long start = System.nanoTime();
                try (NDManager scope = manager.newSubManager();
                        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    scope.tempAttachAll(hidden, head, labels);
                    fused.backward(collector, hidden, head, teacher, labels, 1f).getFloat();
                    head.getGradient().flatten().getFloat(0);
                }
                seconds[r] = (System.nanoTime() - start) / 1e9;
            }
        }
        long peak = JsdProbe.status("VmHWM");
        Arrays.sort(seconds);
        System.out.printf(
                Locale.ROOT,
                "{\"seconds\": %.4f, \"baseline_mb\": %.1f, \"peak_mb\": %.1f," + " \"logits_mb\": %.1f}%n",
                seconds[reps / 2],
                baseline / 1024.0,
                peak / 1024.0,
                logitsMb);
    }
}
