package ai.goldkd.bench;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import ai.goldkd.config.Devices;
import ai.goldkd.model.HiddenAndHead;
import ai.goldkd.model.Sampler;
import ai.goldkd.model.SamplingConfig;
import ai.goldkd.model.hf.HfDecoder;
import ai.goldkd.train.FusedLmLoss;
import ai.goldkd.train.MetricsLog;
import ai.goldkd.train.Schedule;
import ai.goldkd.train.SequenceBatches;
import ai.goldkd.train.SequenceExample;
import ai.goldkd.train.TrainConfig;
import ai.goldkd.train.TrainingLoop;
import com.google.gson.JsonObject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.IntToDoubleFunction;

/**
 * The Llama-shape groups of {@code gold bench}, on checkpoints written by {@link LlamaShapes} and read
 * through {@code ai.goldkd.model.hf}:
 *
 * <ul>
 *   <li>{@code hf} (issue 16): the teacher shape's load time and peak resident memory against its weights'
 *       size (child JVM); KV-cached sampling at batch 1 and 8 and a fine-tuning step (4 x 256 tokens,
 *       cross-entropy, AdamW) against PyTorch eager on the same weights;</li>
 *   <li>{@code gkd} (issue 22): the GKD step ({@link GkdStep}, 8 x 256 tokens, teacher and student shapes)
 *       against TRL's step in PyTorch, each in a process of its own (whole-process peak memory), ours fused
 *       and, for comparison, ours with both logits and autograd as TRL computes it; on-policy sampling from
 *       the student at batch 8 and 32 against PyTorch.</li>
 * </ul>
 */
final class LlamaBenchmarks {

    private final Benchmarks bench;
    private final Benchmarks.Settings settings;
    private final PyTorchReference torch;
    private final boolean quick;
    private final Path teacherDir;
    private final Path studentDir;
    private final int newTokens;

    LlamaBenchmarks(Benchmarks bench, Benchmarks.Settings settings, PyTorchReference torch) {
        this.bench = bench;
        this.settings = settings;
        this.torch = torch;
        this.quick = settings.quick();
        teacherDir = LlamaShapes.ensure(LlamaShapes.root(), quick ? LlamaShapes.QUICK_TEACHER : LlamaShapes.TEACHER, 1);
        studentDir = settings.only().contains("gkd")
                ? LlamaShapes.ensure(LlamaShapes.root(), quick ? LlamaShapes.QUICK_STUDENT : LlamaShapes.STUDENT, 2)
                : null;
        newTokens = quick ? 16 : 64;
        LlamaShapes.Shape t = quick ? LlamaShapes.QUICK_TEACHER : LlamaShapes.TEACHER;
        name = String.format(Locale.ROOT, "Llama %dx%d", t.layers(), t.dim());
    }

    private final String name;

    void run() {
        if (settings.only().contains("hf")) {
            load();
            sampling("hf", teacherDir, new int[] {1, 8});
            fineTuning();
        }
        if (settings.only().contains("gkd")) {
            gkd();
            sampling("onpolicy", studentDir, new int[] {8, 32});
        }
    }

    private void load() {
        JsonObject o = Probes.llama("load", teacherDir.toString());
        Map<String, Object> m = new LinkedHashMap<>();
        o.entrySet().forEach(e -> m.put(e.getKey(), e.getValue().getAsDouble()));
        double above = o.get("peak_mb").getAsDouble() - o.get("baseline_mb").getAsDouble();
        m.put("peak_above_baseline_x_weights", above / o.get("weights_mb").getAsDouble());
        bench.record(
                "hf_load",
                m,
                new Benchmarks.Row(
                        name + " checkpoint: load time", "s", o.get("load_s").getAsDouble(), Double.NaN, ""));
        bench.record(
                "hf_load_peak_x_weights",
                above / o.get("weights_mb").getAsDouble(),
                new Benchmarks.Row(
                        String.format(
                                Locale.ROOT,
                                "the same: peak RSS above baseline / weights (%.0f MB)",
                                o.get("weights_mb").getAsDouble()),
                        "x",
                        above / o.get("weights_mb").getAsDouble(),
                        Double.NaN,
                        ""));
    }

    private void sampling(String prefix, Path dir, int[] batches) {
        try (NDManager manager = NDManager.newBaseManager(Devices.choose())) {
            HfDecoder model = LlamaShapes.load(dir, manager);
            Sampler sampler = new Sampler(model, new SamplingBench.RandomIds(model.vocab()));
            int[] round = {0};
            IntToDoubleFunction ours = batch -> {
                List<int[]> prompts = new ArrayList<>();
                for (int b = 0; b < batch; b++) {
                    prompts.add(new int[] {1 + b});
                }
                SamplingConfig config = SamplingConfig.defaults()
                        .withMaxNewTokens(newTokens)
                        .withTopK(50)
                        .withCache(true)
                        .withSeed(round[0]++);
                long start = System.nanoTime();
                long tokens = sampler.generateIds(prompts, config).stream()
                        .mapToLong(g -> g.tokens().length)
                        .sum();
                return tokens / ((System.nanoTime() - start) / 1e9);
            };
            // warm-up: the JIT keeps compiling DJL's call paths for the first ~1,000 decoding steps (a probe in
            // session 27: batch-8 tokens/s still rising after 700 steps), and on-policy training samples for
            // hours, so the steady state is what is measured: 16 rounds of 64 steps, both batch sizes
            int rounds = quick ? 3 : 16;
            for (int i = 0; i < rounds; i++) {
                ours.applyAsDouble(batches[i % batches.length]);
            }
            for (int batch : batches) {
                if (torch != null) {
                    torch.hfSample(dir, batch, newTokens);
                }
                bench.compare(
                        String.format(Locale.ROOT, "%s_sample_tokens_per_s_batch%d", prefix, batch),
                        String.format(
                                Locale.ROOT,
                                "%s, KV cache, batch %d",
                                prefix.equals("hf") ? name + " sampling" : "on-policy student sampling",
                                batch),
                        "tokens/s",
                        ">= 1.0x PyTorch",
                        () -> ours.applyAsDouble(batch),
                        torch == null ? null : () -> torch.hfSample(dir, batch, newTokens),
                        settings.reps());
            }
        }
    }

    private void fineTuning() {
        int batch = quick ? 2 : 4;
        int length = quick ? 32 : 256;
        int steps = quick ? 1 : 2;
        int vocab = (quick ? LlamaShapes.QUICK_TEACHER : LlamaShapes.TEACHER).vocab();
        SplittableRandom random = new SplittableRandom(1);
        List<SequenceExample> examples = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            examples.add(new SequenceExample(random.ints(length + 1, 3, vocab).toArray(), 1));
        }
        TrainConfig train = TrainConfig.defaults()
                .withSteps(Integer.MAX_VALUE, 0)
                .withSchedule(Schedule.CONSTANT)
                .withBatch(batch, 1)
                .withLogEvery(Integer.MAX_VALUE);
        // the logits path, then the head and cross-entropy fused at 256 positions a chunk (gold lm train --fused-head)
        for (int fusedHead : new int[] {0, 256}) {
            String suffix = fusedHead == 0 ? "" : "_fused";
            try (Model model = Model.newInstance("hf-bench", Devices.choose())) {
                HfDecoder lm = LlamaShapes.load(teacherDir, model.getNDManager());
                model.setBlock(lm);
                TrainingLoop loop = new TrainingLoop(train, MetricsLog.none(), 0);
                SequenceBatches batches = new SequenceBatches(examples, batch, 0, 1);
                try (Model view = fusedHead > 0 ? HiddenAndHead.asModel("hf-bench", lm) : null;
                        Trainer trainer =
                                loop.newTrainer(view != null ? view : model, FusedLmLoss.orLogits(fusedHead))) {
                    int[] done = {0};
                    IntToDoubleFunction ours = count -> {
                        long start = System.nanoTime();
                        loop.runSteps(trainer, batches, done[0], done[0] + count);
                        done[0] += count;
                        return (double) count * batch * length / ((System.nanoTime() - start) / 1e9);
                    };
                    ours.applyAsDouble(1);
                    if (torch != null) {
                        torch.hfTrain(teacherDir, batch, length, 1);
                    }
                    bench.compare(
                            "hf_finetune" + suffix + "_tokens_per_s",
                            String.format(
                                    Locale.ROOT,
                                    "%s fine-tuning step, %d x %d%s",
                                    name,
                                    batch,
                                    length,
                                    fusedHead == 0 ? "" : ", fused head + CE"),
                            "tokens/s",
                            ">= 1.0x PyTorch",
                            () -> ours.applyAsDouble(steps),
                            torch == null ? null : () -> torch.hfTrain(teacherDir, batch, length, steps),
                            settings.reps());
                }
            }
        }
    }

    private void gkd() {
        int batch = quick ? 2 : 8;
        int length = quick ? 32 : 256;
        int warmup = 1;
        int steps = quick ? 1 : 2;
        int reps = quick ? 1 : settings.reps();
        String threads = Integer.toString(settings.threads());
        List<Double> fusedSpeed = new ArrayList<>();
        List<Double> fusedPeak = new ArrayList<>();
        List<Double> torchSpeed = new ArrayList<>();
        List<Double> torchPeak = new ArrayList<>();
        Function<String, JsonObject> ours = mode -> Probes.llama(
                "gkd",
                teacherDir.toString(),
                studentDir.toString(),
                mode,
                "64",
                Integer.toString(batch),
                Integer.toString(length),
                Integer.toString(warmup),
                Integer.toString(steps),
                threads);
        for (int r = 0; r < reps; r++) {
            if (torch != null && r % 2 == 1) {
                add(
                        PyTorchReference.gkd(
                                settings.python(),
                                settings.threads(),
                                teacherDir,
                                studentDir,
                                batch,
                                length,
                                warmup,
                                steps),
                        torchSpeed,
                        torchPeak);
            }
            add(ours.apply("fused"), fusedSpeed, fusedPeak);
            if (torch != null && r % 2 == 0) {
                add(
                        PyTorchReference.gkd(
                                settings.python(),
                                settings.threads(),
                                teacherDir,
                                studentDir,
                                batch,
                                length,
                                warmup,
                                steps),
                        torchSpeed,
                        torchPeak);
            }
        }
        JsonObject whole = ours.apply("whole");
        Map<String, Object> m = new LinkedHashMap<>();
        double speed = median(fusedSpeed);
        double peak = median(fusedPeak);
        m.put("tokens_per_s", speed);
        m.put("peak_rss_mb", peak);
        m.put("fused_tokens_per_s", fusedSpeed);
        m.put("fused_peak_rss_mb", fusedPeak);
        m.put("whole_tokens_per_s", whole.get("tokens_per_s").getAsDouble());
        m.put("whole_peak_rss_mb", whole.get("peak_rss_mb").getAsDouble());
        m.put("batch", batch);
        m.put("length", length);
        m.put("steps", steps);
        double theirSpeed = torchSpeed.isEmpty() ? Double.NaN : median(torchSpeed);
        double theirPeak = torchPeak.isEmpty() ? Double.NaN : median(torchPeak);
        if (!torchSpeed.isEmpty()) {
            m.put("pytorch_tokens_per_s", torchSpeed);
            m.put("pytorch_peak_rss_mb", torchPeak);
            m.put("ratio", speed / theirSpeed);
            m.put("peak_ratio", peak / theirPeak);
        }
        String shape = String.format(Locale.ROOT, "GKD step %d x %d", batch, length);
        bench.record(
                "gkd",
                m,
                new Benchmarks.Row(shape + ", fused head + JSD", "tokens/s", speed, theirSpeed, ">= 1.0x PyTorch"));
        bench.record(
                "gkd_peak_rss_mb",
                peak,
                new Benchmarks.Row(
                        shape + ", fused: whole-process peak RSS", "MB", peak, theirPeak, "<= 0.5x PyTorch"));
        bench.record(
                "gkd_whole_tokens_per_s",
                whole.get("tokens_per_s").getAsDouble(),
                new Benchmarks.Row(
                        shape + ", both logits + autograd (TRL's way)",
                        "tokens/s",
                        whole.get("tokens_per_s").getAsDouble(),
                        Double.NaN,
                        ""));
        bench.record(
                "gkd_whole_peak_rss_mb",
                whole.get("peak_rss_mb").getAsDouble(),
                new Benchmarks.Row(
                        shape + ", both logits: whole-process peak RSS",
                        "MB",
                        whole.get("peak_rss_mb").getAsDouble(),
                        Double.NaN,
                        ""));
    }

    private static void add(JsonObject o, List<Double> speed, List<Double> peak) {
        speed.add(o.get("tokens_per_s").getAsDouble());
        peak.add(o.get("peak_rss_mb").getAsDouble());
    }

    private static double median(List<Double> values) {
        return Benchmarks.median(
                values.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
