package ai.goldkd.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.goldkd.config.Devices;
import ai.goldkd.hf.HfWeights;
import ai.goldkd.model.hf.HfDecoder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Measures in a process of its own, so the resident high-water mark (VmHWM) is the measured work's:
 *
 * <pre>
 *   load DIR                      load time and peak resident memory of loading a checkpoint
 *   gkd TEACHER STUDENT MODE CHUNK BATCH LENGTH WARMUP STEPS THREADS
 *                                 GKD steps ({@link GkdStep}): student tokens/s and the whole process's peak
 * </pre>
 *
 * <p>Prints one JSON line.
 */
public final class LlamaProbe {

    private LlamaProbe() {}

    /**
     * Runs a probe.
     *
     * @param args as above
     */
    public static void main(String[] args) {
        if (args[0].equals("load")) {
            load(Path.of(args[1]));
        } else if (args[0].equals("gkd")) {
            int threads = Integer.parseInt(args[9]);
            Engine.getInstance(); // loads libtorch before its thread setting
            JniUtils.setNumThreads(threads);
            gkd(
                    Path.of(args[1]),
                    Path.of(args[2]),
                    args[3],
                    Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]),
                    Integer.parseInt(args[6]),
                    Integer.parseInt(args[7]),
                    Integer.parseInt(args[8]));
        } else {
            throw new IllegalArgumentException("probe '" + args[0] + "' is not one of load, gkd");
        }
    }

    private static void load(Path dir) {
        long weights;
        try {
            weights = Files.size(dir.resolve(HfWeights.SINGLE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
        try (NDManager warm = NDManager.newBaseManager(Devices.choose())) {
            warm.zeros(new Shape(1)).sum().getFloat(); // the engine is loaded before the baseline
        }
        System.gc();
        long baseline = JsdProbe.status("VmRSS");
        long start = System.nanoTime();
        try (NDManager manager = NDManager.newBaseManager(Devices.choose())) {
            HfDecoder model = LlamaShapes.load(dir, manager);
            double seconds = (System.nanoTime() - start) / 1e9;
            long peak = JsdProbe.status("VmHWM");
            long after = JsdProbe.status("VmRSS");
            System.out.printf(
                    Locale.ROOT,
                    "{\"load_s\": %.3f, \"baseline_mb\": %.1f, \"peak_mb\": %.1f,"
                            + " \"rss_after_mb\": %.1f, \"weights_mb\": %.1f, \"parameters\": %d}%n",
                    seconds,
                    baseline / 1024.0,
                    peak / 1024.0,
                    after / 1024.0,
                    weights / 1048576.0,
                    model.named().size());
        }
    }

    private static void gkd(
            Path teacherDir, Path studentDir, String mode, int chunk, int batch, int length, int warmup, int steps) {
        try (NDManager manager = NDManager.newBaseManager(Devices.choose())) {
            HfDecoder teacher = LlamaShapes.load(teacherDir, manager);
            HfDecoder student = LlamaShapes.load(studentDir, manager);
            try (GkdStep step = new GkdStep(teacher, student, batch, length, mode, chunk)) {
                step.run(warmup);
                double tokensPerSecond = step.run(steps);
                System.out.printf(
                        Locale.ROOT,
                        "{\"tokens_per_s\": %.2f, \"peak_rss_mb\": %.1f}%n",
                        tokensPerSecond,
                        JsdProbe.status("VmHWM") / 1024.0);
            }
        }
    }
}
