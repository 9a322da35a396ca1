package ai.goldkd.model;

import java.util.List;

/**
 * How to decode.
 *
 * @param maxNewTokens the most tokens to generate per prompt
 * @param temperature 0 for greedy decoding, else the softmax temperature
 * @param topK keep only the k most likely tokens; 0 keeps all
 * @param topP keep the smallest set of tokens whose probability reaches p (nucleus); 1 keeps all
 * @param seed the random seed; row r of a batch samples with seed + r
 * @param stop strings that end a generation; the text is cut before the first one
 * @param useCache decode with the KV cache (true) or recompute every position at every step
 */
public record SamplingConfig(
        int maxNewTokens, float temperature, int topK, float topP, long seed, List<String> stop, boolean useCache) {

    /** Checks every field and names the bad value. */
    public SamplingConfig {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be >= 1, got " + maxNewTokens);
        }
        if (!(temperature >= 0f) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be >= 0 (0 = greedy), got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0 (0 = off), got " + topK);
        }
        if (!(topP > 0f && topP <= 1f)) {
            throw new IllegalArgumentException("topP must be in (0, 1] (1 = off), got " + topP);
        }
        stop = stop == null ? List.of() : List.copyOf(stop);
        for (String s : stop) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("a stop sequence is empty; remove it");
            }
        }
    }

    /** 64 new tokens, temperature 1, no top-k or top-p, seed 0, no stop sequences, with the cache. */
    public static SamplingConfig defaults() {
        return new SamplingConfig(64, 1f, 0, 1f, 0L, List.of(), true);
    }

    /** Greedy decoding of up to {@code maxNewTokens} tokens. */
    public static SamplingConfig greedy(int maxNewTokens) {
        return defaults().withMaxNewTokens(maxNewTokens).withTemperature(0f);
    }

    /** @return a copy with the given maximum number of new tokens */
    public SamplingConfig withMaxNewTokens(int value) {
        return new SamplingConfig(value, temperature, topK, topP, seed, stop, useCache);
    }

    /** @return a copy with the given temperature */
    public SamplingConfig withTemperature(float value) {
        return new SamplingConfig(maxNewTokens, value, topK, topP, seed, stop, useCache);
    }

    /** @return a copy with the given top-k */
    public SamplingConfig withTopK(int value) {
        return new SamplingConfig(maxNewTokens, temperature, value, topP, seed, stop, useCache);
    }

    /** @return a copy with the given top-p */
    public SamplingConfig withTopP(float value) {
        return new SamplingConfig(maxNewTokens, temperature, topK, value, seed, stop, useCache);
    }

    /** @return a copy with the given seed */
    public SamplingConfig withSeed(long value) {
        return new SamplingConfig(maxNewTokens, temperature, topK, topP, value, stop, useCache);
    }

    /** @return a copy with the given stop sequences */
    public SamplingConfig withStop(List<String> value) {
        return new SamplingConfig(maxNewTokens, temperature, topK, topP, seed, value, useCache);
    }

    /** @return a copy that decodes with or without the KV cache */
    public SamplingConfig withCache(boolean value) {
        return new SamplingConfig(maxNewTokens, temperature, topK, topP, seed, stop, value);
    }
}
