package ai.goldkd.bench;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.goldkd.config.Devices;
import ai.goldkd.model.TransformerConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.DoubleSupplier;
import java.util.function.IntToDoubleFunction;

/**
 * The benchmark suite behind {@code gold bench}: training, sampling, energy scoring and the generalized
 * JSD, optionally against the same training and sampling in PyTorch eager ({@link PyTorchReference}),
 * run in alternating repetitions in one invocation and compared by medians.
 *
 * <p>The reference shape (the benchmarks issue's): 4 layers, width 256, 4 heads, MLP 1024, vocab 8192,
 * context 128, batch 16, fp32, AdamW. Sampling runs at context 512 (256 new tokens must fit).
 */
public final class Benchmarks {

    /** The reference model shape. */
    public static final TransformerConfig REFERENCE = TransformerConfig.defaults();

    /**
     * What to run.
     *
     * @param quick a smoke run: small shapes, one repetition
     * @param python the Python for the PyTorch comparison, or null for none
     * @param threads intra-op threads on both sides
     * @param reps alternating repetitions per comparison
     * @param only the groups to run, among {@link #GROUPS}
     */
    public record Settings(boolean quick, String python, int threads, int reps, Set<String> only) {
        /** Checks the values. */
        public Settings {
            if (threads < 1 || reps < 1) {
                throw new IllegalArgumentException("threads and reps must be >= 1, got " + threads + " and " + reps);
            }
            if (only.isEmpty() || !GROUPS.containsAll(only)) {
                throw new IllegalArgumentException("groups " + only + " must be some of " + GROUPS);
            }
        }
    }

    /**
     * The groups of measures: training, cached sampling, uncached sampling, energy scoring, JSD, a Llama
     * checkpoint ({@code hf}: loading, sampling, fine-tuning) and a GKD step on Llama shapes ({@code gkd}).
     */
    public static final Set<String> GROUPS = Set.of("train", "sample", "nocache", "score", "jsd", "hf", "gkd");

    /**
     * One line of the table.
     *
     * @param measure what was measured
     * @param unit its unit
     * @param gold our median
     * @param pytorch PyTorch's median, or NaN when not compared
     * @param goal the goal in words, or ""
     */
    public record Row(String measure, String unit, double gold, double pytorch, String goal) {
        /** Ours over PyTorch's, or NaN. */
        public double ratio() {
            return gold / pytorch;
        }
    }

    private final Settings settings;
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final Map<String, Object> compared = new LinkedHashMap<>();
    private final List<Row> rows = new ArrayList<>();

    private Benchmarks(Settings settings) {
        this.settings = settings;
    }

    /**
     * Runs the suite.
     *
     * @param settings what to run
     * @return the figures as JSON-ready values; {@link #table} prints them
     */
    public static Benchmarks run(Settings settings) {
        Benchmarks b = new Benchmarks(settings);
        b.runAll();
        return b;
    }

    /** The figures, keyed for JSON. */
    public Map<String, Object> results() {
        return results;
    }

    /** The table's rows. */
    public List<Row> rows() {
        return rows;
    }

    private void runAll() {
        boolean quick = settings.quick();
        if ("PyTorch".equals(Engine.getInstance().getEngineName())) {
            JniUtils.setNumThreads(settings.threads());
        }
        results.put("device", Devices.describe());
        results.put("machine", Machine.describe());
        results.put("threads", settings.threads());
        results.put("quick", quick);
        results.put("load_before", Machine.loadAverage());
        PyTorchReference torch =
                settings.python() == null ? null : PyTorchReference.start(settings.python(), settings.threads());
        try {
            if (torch != null) {
                results.put("pytorch", torch.version());
            }
            if (settings.only().contains("train")) {
                training(torch);
            }
            if (settings.only().contains("sample") || settings.only().contains("nocache")) {
                sampling(torch);
            }
            if (settings.only().contains("score")) {
                scoring();
            }
            if (settings.only().contains("jsd")) {
                jsd();
            }
            if (settings.only().contains("hf") || settings.only().contains("gkd")) {
                new LlamaBenchmarks(this, settings, torch).run();
            }
        } finally {
            if (torch != null) {
                torch.close();
            }
        }
        results.put("load_after", Machine.loadAverage());
        if (!compared.isEmpty()) {
            results.put("compare", compared);
        }
    }

    private void training(PyTorchReference torch) {
        boolean quick = settings.quick();
        TransformerConfig config = quick ? REFERENCE.withLayers(1) : REFERENCE;
        int steps = quick ? 2 : 5;
        // the logits path (every run so far), then the head and cross-entropy fused at 256 positions a chunk
        for (int fusedHead : new int[] {0, 256}) {
            String name = fusedHead == 0 ? "train" : "train_fused";
            String key = name + "_tokens_per_s_batch16";
            try (TrainingBench ours = new TrainingBench(config, 16, fusedHead)) {
                ours.run(quick ? 1 : 3);
                if (torch != null) {
                    torch.train(config, 16, quick ? 1 : 3);
                }
                double g = compare(
                        key,
                        fusedHead == 0 ? "training step, batch 16" : "training step, batch 16, fused head + CE",
                        "tokens/s",
                        fusedHead == 0 ? ">= 1.0x PyTorch" : ">= 1.05x PyTorch",
                        () -> ours.run(steps),
                        torch == null ? null : () -> torch.train(config, 16, steps),
                        settings.reps());
                if (torch != null) {
                    // the names scripts look for (train.ratio, train_fused.ratio): ours / PyTorch, medians
                    results.put(
                            name,
                            Map.of(
                                    "tokens_per_s",
                                    g,
                                    "ratio",
                                    compared.get(key) instanceof Map<?, ?> m ? m.get("ratio") : Double.NaN));
                }
            }
        }
    }

    private void sampling(PyTorchReference torch) {
        boolean quick = settings.quick();
        TransformerConfig config = REFERENCE.withContext(quick ? 64 : 512);
        int newTokens = quick ? 32 : 256;
        try (SamplingBench ours = new SamplingBench(config)) {
            // Warm-up: the JIT needs a few thousand decoded tokens before it reaches steady speed.
            boolean cached = settings.only().contains("sample");
            boolean uncached = settings.only().contains("nocache");
            ours.run(16, newTokens, true, 1);
            ours.run(1, newTokens, true, quick ? 1 : 4);
            if (uncached) {
                ours.run(1, newTokens, false, 1);
            }
            if (torch != null) {
                torch.sample(config, 16, newTokens, true, 1);
                torch.sample(config, 1, newTokens, true, 1);
                if (uncached) {
                    torch.sample(config, 1, newTokens, false, 1);
                }
            }
            Map<String, Double> medians = new LinkedHashMap<>();
            for (int batch : new int[] {1, 16}) {
                for (boolean cache : new boolean[] {true, false}) {
                    if (cache ? !cached : !uncached) {
                        continue;
                    }
                    String key = String.format(
                            Locale.ROOT, "sample_tokens_per_s_batch%d_%s", batch, cache ? "cache" : "nocache");
                    String goal = cache && batch == 1 ? ">= 0.8x PyTorch" : "";
                    // Uncached batch-16 decoding is the slowest measure by far: one repetition each.
                    int reps = cache || batch == 1 ? settings.reps() : 1;
                    double median = compare(
                            key,
                            String.format(
                                    Locale.ROOT, "sampling, batch %d, %s", batch, cache ? "KV cache" : "no cache"),
                            "tokens/s",
                            goal,
                            () -> ours.run(batch, newTokens, cache, 1),
                            torch == null ? null : () -> torch.sample(config, batch, newTokens, cache, 1),
                            reps);
                    medians.put(key, median);
                }
            }
            for (int batch : cached && uncached ? new int[] {1, 16} : new int[0]) {
                double speedUp = medians.get("sample_tokens_per_s_batch" + batch + "_cache")
                        / medians.get("sample_tokens_per_s_batch" + batch + "_nocache");
                results.put("cache_speedup_batch" + batch, speedUp);
                rows.add(new Row("KV cache speed-up, batch " + batch, "x", speedUp, Double.NaN, ">= 5x"));
            }
        }
    }

    private void scoring() {
        boolean quick = settings.quick();
        TransformerConfig config = quick ? REFERENCE.withLayers(1).withContext(64) : REFERENCE;
        int batches = quick ? 1 : 5;
        try (ScoringBench bench = new ScoringBench(config, 16)) {
            bench.classifier(1);
            bench.sequence(1);
            double classifier = median(repeat(bench::classifier, batches));
            double sequence = median(repeat(bench::sequence, batches));
            results.put("energy_samples_per_s_classifier", classifier);
            results.put("energy_samples_per_s_sequence", sequence);
            progress("energy scoring, classifier", classifier, Double.NaN);
            progress("energy scoring, sequence", sequence, Double.NaN);
            rows.add(new Row("energy scoring, classifier student", "samples/s", classifier, Double.NaN, ""));
            rows.add(new Row("energy scoring, sequence student", "samples/s", sequence, Double.NaN, ""));
        }
        // the encoder student (frozen all-MiniLM-L6-v2 + head) on new real reviews, at its 128 tokens
        OptionalDouble encoder = EncoderScoringBench.median(
                EncoderScoringBench.measure(quick ? 32 : 128, 32, quick ? 1 : 4, settings.reps()));
        results.put(
                "energy_samples_per_s_encoder",
                encoder.isPresent()
                        ? encoder.getAsDouble()
                        : "not measured: all-MiniLM-L6-v2 is not installed; run gold setup");
        encoder.ifPresent(v -> progress("energy scoring, encoder", v, Double.NaN));
        encoder.ifPresent(v -> rows.add(new Row(
                "energy scoring, encoder student (MiniLM, " + (quick ? 32 : 128) + " tokens)",
                "samples/s",
                v,
                Double.NaN,
                "")));
    }

    private double[] repeat(IntToDoubleFunction f, int batches) {
        double[] out = new double[settings.reps()];
        for (int r = 0; r < out.length; r++) {
            out[r] = f.applyAsDouble(batches);
        }
        return out;
    }

    private void jsd() {
        JsdBenchmarks.run(settings.quick(), rows, results);
    }

    /**
     * Runs ours and PyTorch's in alternating order (ours first on even repetitions), records both series
     * and adds a row; without PyTorch, runs ours only.
     *
     * @return our median
     */
    double compare(
            String key,
            String measure,
            String unit,
            String goal,
            DoubleSupplier ours,
            DoubleSupplier theirs,
            int reps) {
        double[] gold = new double[reps];
        double[] torch = new double[reps];
        for (int r = 0; r < reps; r++) {
            if (theirs != null && r % 2 == 1) {
                torch[r] = theirs.getAsDouble();
            }
            gold[r] = ours.getAsDouble();
            if (theirs != null && r % 2 == 0) {
                torch[r] = theirs.getAsDouble();
            }
        }
        double g = median(gold);
        results.put(key, g);
        double t = theirs == null ? Double.NaN : median(torch);
        if (theirs != null) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("gold", gold);
            entry.put("pytorch", torch);
            entry.put("gold_median", g);
            entry.put("pytorch_median", t);
            entry.put("ratio", g / t);
            compared.put(key, entry);
        }
        rows.add(new Row(measure, unit, g, t, goal));
        progress(measure, g, t);
        return g;
    }

    /** Records a figure under a JSON key and, when {@code row} is not null, as a line of the table. */
    void record(String key, Object value, Row row) {
        results.put(key, value);
        if (row != null) {
            rows.add(row);
            progress(row.measure(), row.gold(), row.pytorch());
        }
    }

    /** One line per finished measure on stderr, so a long run shows where it is. */
    static void progress(String measure, double gold, double pytorch) {
        System.err.printf(
                Locale.ROOT,
                "bench: %-40s %s%s (load %s)%n",
                measure,
                number(gold),
                Double.isNaN(pytorch) ? "" : " vs PyTorch " + number(pytorch),
                Machine.loadAverage());
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * The table as text: one row per measure, with PyTorch's figure and the ratio when compared.
     *
     * @return the table
     */
    public String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT, "%-60s %-9s %10s %10s %7s  %s%n", "measure", "unit", "gold", "pytorch", "ratio", "goal"));
        for (Row r : rows) {
            boolean compared = !Double.isNaN(r.pytorch());
            out.append(String.format(
                    Locale.ROOT,
                    "%-60s %-9s %10s %10s %7s  %s%n",
                    r.measure(),
                    r.unit(),
                    number(r.gold()),
                    compared ? number(r.pytorch()) : "-",
                    compared ? String.format(Locale.ROOT, "%.2fx", r.ratio()) : "-",
                    r.goal()));
        }
        out.append(String.format(
                Locale.ROOT,
                "load average before %s, after %s; %d threads%n",
                results.get("load_before"),
                results.get("load_after"),
                settings.threads()));
        return out.toString();
    }

    private static String number(double v) {
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
