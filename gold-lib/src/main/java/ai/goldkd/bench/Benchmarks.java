package ai.goldkd.bench;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import ai.goldkd.config.Devices;
import ai.goldkd.model.CausalLm;
import ai.goldkd.model.Sampler;
import ai.goldkd.model.SamplingConfig;
import ai.goldkd.model.TransformerConfig;
import ai.goldkd.tokenizer.SpecialTokens;
import ai.goldkd.tokenizer.Tokenizer;
import ai.goldkd.train.MetricsLog;
import ai.goldkd.train.SequenceBatches;
import ai.goldkd.train.SequenceExample;
import ai.goldkd.train.TokenCrossEntropy;
import ai.goldkd.train.TrainConfig;
import ai.goldkd.train.TrainingLoop;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Throughput of the model machinery on random tokens, with warm-up excluded. The reference shape
 * (the benchmarks issue's): 4 layers, width 256, 4 heads, MLP 1024, vocab 8192, context 128,
 * batch 16, fp32, AdamW.
 */
public final class Benchmarks {

    /** The reference model shape. */
    public static final TransformerConfig REFERENCE = TransformerConfig.defaults();

    private Benchmarks() {}

    /**
     * Training tokens per second: full-context random sequences, AdamW, clipping on.
     *
     * @param config the model shape
     * @param batch sequences per step
     * @param warmup steps not timed
     * @param steps steps timed
     * @return tokens per second over the timed steps
     */
    public static double trainingTokensPerSecond(TransformerConfig config, int batch, int warmup, int steps) {
        SplittableRandom random = new SplittableRandom(1);
        List<SequenceExample> examples = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            int[] ids = random.ints(config.context() + 1, 3, config.vocab()).toArray();
            examples.add(new SequenceExample(ids, 1));
        }
        TrainConfig train = TrainConfig.defaults().withSteps(warmup + steps, 0).withBatch(batch, 1)
                .withLogEvery(Integer.MAX_VALUE);
        try (Model model = Model.newInstance("bench", Devices.choose())) {
            Engine.getInstance().setRandomSeed(1);
            model.setBlock(new CausalLm(config));
            TrainingLoop warm = new TrainingLoop(train.withSteps(warmup, 0), MetricsLog.none(), 0);
            try (Trainer trainer = warm.newTrainer(model, new TokenCrossEntropy())) {
                ((CausalLm) model.getBlock()).initialize(trainer.getManager());
                SequenceBatches batches = new SequenceBatches(examples, batch, 0, 1);
                warm.run(trainer, batches, null, 0, 0, null);
                long start = System.nanoTime();
                new TrainingLoop(train, MetricsLog.none(), 0).run(trainer, batches, null, warmup, 0, null);
                double seconds = (System.nanoTime() - start) / 1e9;
                return (double) steps * batch * config.context() / seconds;
            }
        }
    }

    /**
     * Sampling tokens per second: one prompt token, then {@code newTokens} sampled (top-k 50, no EOS
     * stop: the benchmark tokenizer has no reachable EOS), per row of the batch.
     *
     * @param config the model shape; its context must exceed newTokens
     * @param batch prompts decoded together
     * @param newTokens tokens per prompt
     * @param cache with the KV cache or not
     * @param rounds timed rounds after one warm-up round
     * @return generated tokens per second over the timed rounds
     */
    public static double samplingTokensPerSecond(TransformerConfig config, int batch, int newTokens, boolean cache,
            int rounds) {
        try (NDManager manager = NDManager.newBaseManager(Devices.choose())) {
            Engine.getInstance().setRandomSeed(2);
            CausalLm lm = new CausalLm(config).initialize(manager);
            Sampler sampler = new Sampler(lm, new RandomIds(config.vocab()));
            SamplingConfig sampling = SamplingConfig.defaults().withMaxNewTokens(newTokens).withTopK(50).withCache(cache);
            List<int[]> prompts = new ArrayList<>();
            for (int b = 0; b < batch; b++) {
                prompts.add(new int[] {1 + b});
            }
            sampler.generateIds(prompts, sampling);
            long start = System.nanoTime();
            long tokens = 0;
            for (int r = 0; r < rounds; r++) {
                tokens += sampler.generateIds(prompts, sampling.withSeed(r)).stream()
                        .mapToLong(g -> g.tokens().length).sum();
            }
            return tokens / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** A tokenizer over opaque ids for benchmarks: EOS is an id outside the model's vocabulary. */
    private record RandomIds(int vocab) implements Tokenizer {
        @Override
        public int[] encode(String text) {
            return new int[0];
        }

        @Override
        public String decode(int[] ids) {
            return Arrays.toString(ids);
        }

        @Override
        public int vocabSize() {
            return vocab;
        }

        @Override
        public SpecialTokens specials() {
            return new SpecialTokens(0, 1, Integer.MAX_VALUE);
        }

        @Override
        public void save(Path dir) {
            throw new UnsupportedOperationException("benchmark tokenizer is not saved");
        }
    }
}
