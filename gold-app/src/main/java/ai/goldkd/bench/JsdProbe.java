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
import ai.goldkd.nd.Scalars;

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
 * <p>Two shapes of the computation: {@code logits}, where the student's logits are given and the result
 * is the loss and its gradient with respect to them (unchunked: autograd into the logits' {@code .grad};
 * chunked: {@link ChunkedDivergence#valueAndGradient}); {@code head}, as in training, where the logits are the output
 * of an LM head (hidden states (1, N, 256) times a (256, V) weight) and the gradient flows on into the head's
 * weight and hidden states. In {@code head} the student's logits themselves are part of the inputs (training
 * has them before the loss), so they are subtracted from the peak.
 *
 * <p>{@code head-surrogate} is the head shape through {@code sum(z * G)}, the path a distillation step with a
 * reward term takes (DistillationLoss); without one, a step takes {@code head}'s path.
 *
 * <p>{@code fused} is {@link FusedProbe}: the head and the divergence fused, no logits of either model, in
 * the native kernel; {@code fused-java} the same in the Java chunk loop.
 *
 * <p>Arguments: positions, vocabulary, chunk size (0: unchunked), repetitions, shape ({@code logits},
 * {@code head}, {@code head-surrogate}, {@code fused} or {@code fused-java}; default logits). Prints one JSON line.
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
        String shapeName = args.length > 4 ? args[4] : "logits";
        if (shapeName.equals("fused") || shapeName.equals("fused-java")) {
            FusedProbe.run(positions, vocab, chunk, reps, shapeName.equals("fused"));
            return;
        }
        boolean surrogate = shapeName.equals("head-surrogate");
        boolean head = shapeName.equals("head") || surrogate;
        DivergenceLoss loss = DivergenceLoss.of(Divergences.generalizedJsd(0.5f));
        double[] seconds = new double[reps];
        double logitsMb = (double) positions * vocab * 4 / (1 << 20);
        long baseline;
        try (NDManager manager = NDManager.newBaseManager(Devices.choose())) {
            Engine.getInstance().setRandomSeed(4);
            Shape shape = new Shape(1, positions, vocab);
            NDArray leaf = head ? null : manager.randomNormal(0f, 2f, shape, DataType.FLOAT32); // (1, N, V)
            NDArray hidden = head ? manager.randomNormal(new Shape(1, positions, HIDDEN)) : null; // (1, N, D)
            NDArray weight = head
                    ? Scalars.muli(manager.randomNormal(new Shape(HIDDEN, vocab)), 2 / Math.sqrt(HIDDEN))
                    : null; // (D, V)
            NDArray teacher = manager.randomNormal(0f, 2f, shape, DataType.FLOAT32); // (1, N, V)
            NDArray labels = manager.zeros(new Shape(1, positions), DataType.INT64); // (1, N), all counted
            NDArray gradientOf = head ? weight : leaf;
            gradientOf.setRequiresGradient(true);
            if (head) {
                hidden.setRequiresGradient(true);
            }
            System.gc();
            baseline = status("VmRSS");
            for (int r = 0; r < reps; r++) {
                long start = System.nanoTime();
                try (NDManager scope = manager.newSubManager();
                        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    scope.tempAttachAll(gradientOf, teacher, labels);
                    if (head) {
                        scope.tempAttachAll(hidden); // the logits it makes die with the repetition
                    }
                    NDArray student = head ? hidden.matMul(weight) : leaf; // (1, N, V)
                    if (chunk == 0) {
                        collector.backward(loss.compute(student, teacher, labels));
                        gradientOf.getGradient().flatten().getFloat(0);
                    } else if (surrogate) {
                        // DistillationLoss's path with a reward term: G, then backward of a scalar whose
                        // gradient is G, after the forward's arrays are closed
                        NDArray value;
                        try (NDManager forward = scope.newSubManager()) {
                            forward.tempAttachAll(student);
                            ChunkedDivergence.LossAndGradient lg = new ChunkedDivergence(loss, chunk)
                                    .valueAndGradient(collector, student, teacher, labels);
                            NDArray s = ChunkedDivergence.surrogate(student, lg.gradient());
                            value = forward.ret(s.sub(s.stopGradient()).add(lg.loss()));
                        }
                        collector.backward(value);
                        gradientOf.getGradient().flatten().getFloat(0);
                    } else if (head) {
                        new ChunkedDivergence(loss, chunk)
                                .backward(collector, student, teacher, labels)
                                .getFloat();
                        gradientOf.getGradient().flatten().getFloat(0);
                    } else {
                        // the gradient with respect to the logits is G itself (backward into a leaf would
                        // make PyTorch copy G into the leaf's .grad, since G is still referenced)
                        ChunkedDivergence.LossAndGradient lg = new ChunkedDivergence(loss, chunk)
                                .valueAndGradient(collector, student, teacher, labels);
                        lg.gradient().flatten().getFloat(0);
                    }
                }
                seconds[r] = (System.nanoTime() - start) / 1e9;
            }
        }
        long peak = status("VmHWM");
        Arrays.sort(seconds);
        // head: the student's logits, which the head makes inside each repetition, count as an input
        double inputsMb = baseline / 1024.0 + (head ? logitsMb : 0);
        System.out.printf(
                Locale.ROOT,
                "{\"seconds\": %.4f, \"baseline_mb\": %.1f, \"peak_mb\": %.1f," + " \"logits_mb\": %.1f}%n",
                seconds[reps / 2],
                inputsMb,
                peak / 1024.0,
                logitsMb);
    }

    /** The head's hidden width in the {@code head} shape (the reference model's). */
    static final int HIDDEN = 256;

    /** A field of /proc/self/status in kB. */
    static long status(String field) {
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
