package ai.goldkd.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.goldkd.config.Devices;
import ai.goldkd.model.CausalLm;
import ai.goldkd.model.Sampler;
import ai.goldkd.model.SamplingConfig;
import ai.goldkd.model.TransformerConfig;
import ai.goldkd.tokenizer.SpecialTokens;
import ai.goldkd.tokenizer.Tokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A randomly initialised model kept open for timed sampling rounds: one prompt token per row, then
 * {@code newTokens} sampled with top-k 50 and no EOS stop (the benchmark tokenizer's EOS is unreachable).
 */
public final class SamplingBench implements AutoCloseable {

    private final NDManager manager;
    private final Sampler sampler;
    private int round;

    /**
     * Builds the model.
     *
     * @param config the model shape; its context must exceed the new tokens asked for
     */
    public SamplingBench(TransformerConfig config) {
        manager = NDManager.newBaseManager(Devices.choose());
        Engine.getInstance().setRandomSeed(2);
        CausalLm lm = new CausalLm(config).initialize(manager);
        sampler = new Sampler(lm, new RandomIds(config.vocab()));
    }

    /**
     * Samples and times it.
     *
     * @param batch prompts decoded together
     * @param newTokens tokens per prompt
     * @param cache with the KV cache or not
     * @param rounds generate calls timed together
     * @return generated tokens per second
     */
    public double run(int batch, int newTokens, boolean cache, int rounds) {
        SamplingConfig sampling = SamplingConfig.defaults()
                .withMaxNewTokens(newTokens)
                .withTopK(50)
                .withCache(cache);
        List<int[]> prompts = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            prompts.add(new int[] {1 + b});
        }
        long start = System.nanoTime();
        long tokens = 0;
        for (int r = 0; r < rounds; r++) {
            tokens += sampler.generateIds(prompts, sampling.withSeed(round++)).stream()
                    .mapToLong(g -> g.tokens().length)
                    .sum();
        }
        return tokens / ((System.nanoTime() - start) / 1e9);
    }

    @Override
    public void close() {
        manager.close();
    }

    /** A tokenizer over opaque ids for benchmarks: EOS is an id outside the model's vocabulary. */
    record RandomIds(int vocab) implements Tokenizer {
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
