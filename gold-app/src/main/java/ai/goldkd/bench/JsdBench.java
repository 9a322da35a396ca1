package ai.goldkd.bench;

import com.google.gson.Gson;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Time and peak memory of the generalized JSD with its gradient, each setting in a child JVM running
 * {@link JsdProbe}, so that the resident high-water mark (VmHWM) covers that computation only.
 */
public final class JsdBench {

    private JsdBench() {}

    /**
     * One measurement.
     *
     * @param chunk positions per chunk, 0 for unchunked
     * @param seconds the median time of one loss-and-gradient computation
     * @param logitsMb the size of one logits tensor (N x V float32)
     * @param baselineMb resident memory with the inputs allocated (both logits; for the head shape, its
     *     hidden states and weight plus one logits tensor for the student logits it makes)
     * @param peakMb the resident high-water mark of the process
     */
    public record Result(
            int chunk, double seconds, double logitsMb, double baselineMb, double peakMb, double firstStepExtraMb) {
        /** Peak memory above the inputs, in multiples of one logits tensor. */
        public double extraOverLogits() {
            return (peakMb - baselineMb) / logitsMb;
        }

        /** The fused shapes' first step, above the inputs alone, in multiples of one logits tensor; NaN for others. */
        public double firstStepOverLogits() {
            return firstStepExtraMb / logitsMb;
        }
    }

    /**
     * Runs the probe in a child JVM.
     *
     * @param positions N, the positions scored
     * @param vocab V
     * @param chunk positions per chunk, 0 for unchunked
     * @param reps repetitions (the median is reported)
     * @param shape {@code logits} (the gradient with respect to given logits), {@code head} (backward
     *     through an LM head into its weight, as in training) or {@code head-surrogate} (the same through
     *     {@code sum(z * G)}, as a step with a reward term) or {@code fused} (head and divergence fused, the
     *     teacher by its own hidden states and head: no logits of either model, in the native kernel) or
     *     {@code fused-java} (the same in the Java chunk loop); see {@link JsdProbe}
     * @return the measurement
     */
    public static Result measure(int positions, int vocab, int chunk, int reps, String shape) {
        if (!List.of("logits", "head", "head-surrogate", "fused", "fused-java").contains(shape)) {
            throw new IllegalArgumentException(
                    "shape '" + shape + "' is not one of logits, head, head-surrogate, fused, fused-java");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        // The Java heap is committed and touched before the baseline (-Xms = -Xmx, AlwaysPreTouch), so
        // its growth during the run is not counted as the divergence's memory.
        List<String> command = new ArrayList<>(List.of(
                java,
                "-Xms512m",
                "-Xmx512m",
                "-XX:+AlwaysPreTouch",
                "-cp",
                System.getProperty("java.class.path"),
                JsdProbe.class.getName(),
                Integer.toString(positions),
                Integer.toString(vocab),
                Integer.toString(chunk),
                Integer.toString(reps),
                shape));
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = process.waitFor();
            String json = output.lines()
                    .filter(l -> l.startsWith("{"))
                    .reduce((a, b) -> b)
                    .orElse(null);
            if (exit != 0 || json == null) {
                throw new IllegalStateException("the JSD probe failed (exit " + exit + "):\n" + output);
            }
            JsonObject o = new Gson().fromJson(json, JsonObject.class);
            return new Result(
                    chunk,
                    o.get("seconds").getAsDouble(),
                    o.get("logits_mb").getAsDouble(),
                    o.get("baseline_mb").getAsDouble(),
                    o.get("peak_mb").getAsDouble(),
                    o.has("first_step_extra_mb") ? o.get("first_step_extra_mb").getAsDouble() : Double.NaN);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the JSD probe", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
