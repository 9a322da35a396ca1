package ai.goldkd.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The JSD group of {@code gold bench}: time and peak memory of the divergence and its gradient ({@link JsdBench}). */
final class JsdBenchmarks {

    private JsdBenchmarks() {}

    /**
     * Measures the JSD and its gradient at every shape and chunk size, adding a row per figure.
     *
     * @param quick the CI sizes (256 x 4096) instead of 4096 x 32k
     * @param rows the benchmark's table
     * @param results the benchmark's JSON, which gets {@code jsd} and {@code fused_jsd}
     */
    static void run(boolean quick, List<Benchmarks.Row> rows, Map<String, Object> results) {
        int positions = quick ? 256 : 4096;
        int vocab = quick ? 4096 : 32_000;
        List<Map<String, Object>> all = new ArrayList<>();
        Map<String, Object> fused = null;
        // logits: loss and gradient with respect to given logits; head: backward through an LM head, as in training
        String[][] settingsList = quick
                ? new String[][] {
                    {"logits", "0"}, {"logits", "64"}, {"head", "64"}, {"fused", "64"}, {"fused-java", "64"}
                }
                : new String[][] {
                    {"logits", "0"},
                    {"logits", "256"},
                    {"logits", "64"},
                    {"head", "0"},
                    {"head", "64"},
                    {"head-surrogate", "64"},
                    {"fused-java", "128"},
                    {"fused", "128"},
                    {"fused", "64"},
                    {"fused", "32"}
                };
        for (String[] setting : settingsList) {
            String shape = setting[0];
            int chunk = Integer.parseInt(setting[1]);
            JsdBench.Result r = JsdBench.measure(positions, vocab, chunk, quick ? 1 : 3, shape);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("positions", positions);
            m.put("vocab", vocab);
            m.put("shape", shape);
            m.put("chunk", chunk);
            m.put("seconds", r.seconds());
            m.put("logits_mb", r.logitsMb());
            m.put("baseline_mb", r.baselineMb());
            m.put("peak_mb", r.peakMb());
            m.put("extra_over_logits", r.extraOverLogits());
            boolean fusedShape = shape.startsWith("fused");
            if (fusedShape) {
                m.put("first_step_extra_mb", r.firstStepExtraMb());
                m.put("first_step_over_logits", r.firstStepOverLogits());
            }
            all.add(m);
            String name = String.format(
                    Locale.ROOT,
                    "JSD+grad %dx%d %s, %s",
                    positions,
                    vocab,
                    switch (shape) {
                        case "head" -> "LM head";
                        case "head-surrogate" -> "LM head, sum(z*G)";
                        case "fused" -> "fused head";
                        case "fused-java" -> "fused head, Java loop";
                        default -> "logits";
                    },
                    chunk == 0 ? "whole" : "chunk " + chunk);
            rows.add(new Benchmarks.Row(name + ": time", "s", r.seconds(), Double.NaN, ""));
            Benchmarks.progress(name, r.seconds(), Double.NaN);
            if (fusedShape) {
                // the first step's peak above the inputs alone (the gradients it creates counted) is the
                // figure: later steps' baseline holds what glibc kept of the first step's freed memory
                rows.add(new Benchmarks.Row(
                        name + ": first step's peak above inputs",
                        "x logits",
                        r.firstStepOverLogits(),
                        Double.NaN,
                        "<= 0.15x"));
                rows.add(new Benchmarks.Row(
                        name + ": later steps' peak above inputs and gradients",
                        "x logits",
                        r.extraOverLogits(),
                        Double.NaN,
                        ""));
            } else {
                rows.add(new Benchmarks.Row(
                        name + ": peak above inputs", "x logits", r.extraOverLogits(), Double.NaN, "<= 2x"));
            }
            if (shape.equals("fused")
                    && (fused == null || r.firstStepOverLogits() < (double) fused.get("peak_x_logits"))) {
                fused = new LinkedHashMap<>(Map.of(
                        "peak_x_logits",
                        r.firstStepOverLogits(),
                        "later_steps_x_logits",
                        r.extraOverLogits(),
                        "seconds",
                        r.seconds(),
                        "chunk",
                        chunk,
                        "positions",
                        positions,
                        "vocab",
                        vocab));
            }
        }
        results.put("jsd", all);
        // the fused path's best chunk, under the name scripts look for
        results.put("fused_jsd", fused);
    }
}
