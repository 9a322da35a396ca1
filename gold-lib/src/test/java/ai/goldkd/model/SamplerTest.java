package ai.goldkd.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SamplerTest {

    NDManager manager;
    CausalLm lm;
    Sampler sampler;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed(11);
        TransformerConfig config = new TransformerConfig(2, 32, 4, 64, 29, 48, 0f, Positions.ROTARY, true);
        lm = new CausalLm(config).initialize(manager);
        sampler = new Sampler(lm, new LetterTokenizer());
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void cachedAndUncachedGreedyDecodingAgreeOnBatchedPromptsOfDifferentLengths() {
        List<String> prompts = List.of("abc", "thequickbrown", "z");
        SamplingConfig greedy = SamplingConfig.greedy(20);
        List<Generation> cached = sampler.generate(prompts, greedy);
        List<Generation> uncached = sampler.generate(prompts, greedy.withCache(false));
        for (int i = 0; i < prompts.size(); i++) {
            assertArrayEquals(uncached.get(i).tokens(), cached.get(i).tokens(), "prompt " + i);
            assertArrayEquals(uncached.get(i).logprobs(), cached.get(i).logprobs(), 1e-4f);
        }
        // A row's output does not depend on the other rows of its batch.
        List<Generation> alone = sampler.generate(List.of("z"), greedy);
        assertArrayEquals(alone.get(0).tokens(), cached.get(2).tokens());
    }

    @Test
    void suppressedTokensAreNeverPicked() {
        SamplingConfig greedy = SamplingConfig.greedy(10);
        int[] first = sampler.generate(List.of("abc"), greedy).get(0).tokens();
        Sampler without = new Sampler(lm, new LetterTokenizer(), new int[] {first[0]});
        Generation g = without.generate(List.of("abc"), greedy).get(0);
        assertNotEquals(first[0], g.tokens()[0], "greedy decoding takes the next best token");
        SamplingConfig hot =
                SamplingConfig.defaults().withMaxNewTokens(40).withSeed(3).withTopK(3);
        for (int t : without.generate(List.of("abc", "xyz"), hot).get(1).tokens()) {
            assertNotEquals(first[0], t);
        }
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> new Sampler(lm, new LetterTokenizer(), new int[] {29}));
        assertTrue(e.getMessage().contains("29"), e.getMessage());
    }

    @Test
    void nativeTopKPicksWhatTheJavaTopKPicks() {
        // The sampler selects top-k candidates in the engine; a loop over the model's full log-softmax
        // and Sampler.pick (the Java top k) must draw the same tokens with the same log-probabilities.
        LetterTokenizer tokenizer = new LetterTokenizer();
        SamplingConfig config = SamplingConfig.defaults()
                .withMaxNewTokens(25)
                .withTopK(5)
                .withTopP(0.9f)
                .withSeed(8)
                .withCache(false);
        Set<Integer> stops = new HashSet<>();
        for (int id : tokenizer.stopIds()) {
            stops.add(id);
        }
        for (String prompt : List.of("abc", "thequick")) {
            Generation g = sampler.generate(List.of(prompt), config).get(0);
            List<Integer> ids = new ArrayList<>();
            for (int id : tokenizer.encodePrompt(prompt)) {
                ids.add(id);
            }
            SplittableRandom random = new SplittableRandom(config.seed());
            List<Integer> picked = new ArrayList<>();
            List<Float> logprobs = new ArrayList<>();
            try (NDManager scope = manager.newSubManager()) {
                ParameterStore ps = new ParameterStore(scope, false);
                for (int step = 0; step < config.maxNewTokens(); step++) {
                    long[] row = ids.stream().mapToLong(Integer::longValue).toArray();
                    NDArray logits = lm.logits(ps, scope.create(row, new Shape(1, row.length)), null, false);
                    float[] logp = logits.get(0, row.length - 1).logSoftmax(-1).toFloatArray();
                    int next = Sampler.pick(logp, config, random);
                    picked.add(next);
                    logprobs.add(logp[next]);
                    ids.add(next);
                    if (stops.contains(next)) {
                        break;
                    }
                }
            }
            assertArrayEquals(picked.stream().mapToInt(Integer::intValue).toArray(), g.tokens(), prompt);
            for (int i = 0; i < picked.size(); i++) {
                assertEquals(logprobs.get(i), g.logprobs()[i], 1e-6f, prompt + " token " + i);
            }
        }
    }

    @Test
    void theEnginesCandidatesAreOrderedAsTheJavaTopKOrdersThem() {
        float[][] values = {{3f, 5f, 5f, -1f}};
        long[] ids = {7, 9, 2, 4}; // the engine's order among equal values is its own
        int[][] ordered = TopK.byValueThenId(values, ids);
        assertArrayEquals(new int[] {2, 9, 7, 4}, ordered[0]);
        assertArrayEquals(new float[] {5f, 5f, 3f, -1f}, values[0]);
    }

    @Test
    void aSeedReproducesASample() {
        SamplingConfig config = SamplingConfig.defaults().withMaxNewTokens(30).withSeed(5);
        Generation a = sampler.generate(List.of("abc"), config).get(0);
        Generation b = sampler.generate(List.of("abc"), config).get(0);
        Generation c = sampler.generate(List.of("abc"), config.withSeed(6)).get(0);
        assertArrayEquals(a.tokens(), b.tokens());
        assertNotEquals(List.of(a.text()), List.of(c.text()), "another seed gives another sample");
        for (float lp : a.logprobs()) {
            assertTrue(lp <= 0f && Float.isFinite(lp));
        }
    }

    @Test
    void topKOfOneIsGreedy() {
        Generation greedy =
                sampler.generate(List.of("hello"), SamplingConfig.greedy(15)).get(0);
        Generation topOne = sampler.generate(
                        List.of("hello"),
                        SamplingConfig.defaults()
                                .withMaxNewTokens(15)
                                .withTopK(1)
                                .withTemperature(2f))
                .get(0);
        assertArrayEquals(greedy.tokens(), topOne.tokens());
    }

    @Test
    void pickRespectsTopKAndTopP() {
        float[] logits = {0f, 3f, 2.9f, -1f, 1f};
        SplittableRandom random = new SplittableRandom(1);
        SamplingConfig topTwo = SamplingConfig.defaults().withTopK(2);
        SamplingConfig nucleus = SamplingConfig.defaults().withTopP(0.01f);
        for (int i = 0; i < 200; i++) {
            int k = Sampler.pick(logits, topTwo, random);
            assertTrue(k == 1 || k == 2, "top-2 picked " + k);
            assertEquals(1, Sampler.pick(logits, nucleus, random));
        }
        assertEquals(1, Sampler.pick(logits, SamplingConfig.greedy(1), random));
    }

    @Test
    void logprobsAreTheModelsLogSoftmaxAtTheChosenToken() {
        Generation g =
                sampler.generate(List.of("abc"), SamplingConfig.greedy(1)).get(0);
        int[] ids = {1, 3, 4, 5}; // BOS a b c
        float[] last;
        try (NDManager scope = manager.newSubManager()) {
            NDArray logits = lm.logits(
                    new ParameterStore(scope, false),
                    scope.create(new long[] {1, 3, 4, 5}, new Shape(1, ids.length)),
                    null,
                    false); // (1, T, V)
            last = logits.get(new NDIndex().addIndices(0, ids.length - 1)).toFloatArray(); // (V)
        }
        double sum = 0;
        for (float v : last) {
            sum += Math.exp(v);
        }
        assertEquals(last[g.tokens()[0]] - Math.log(sum), g.logprobs()[0], 1e-4);
    }

    @Test
    void topKByHeapMatchesAFullSort() {
        SplittableRandom random = new SplittableRandom(3);
        float[] values = new float[5000];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextInt(200) / 8f - 12f; // many ties
        }
        int[] all = TopK.descending(values, values.length);
        assertArrayEquals(java.util.Arrays.copyOf(all, 50), TopK.descending(values, 50));
        assertArrayEquals(java.util.Arrays.copyOf(all, 1), TopK.descending(values, 1));
    }

    @Test
    void descendingOrdersLogitsIncludingNegativesAndTies() {
        float[] values = {-1f, 3f, 0f, 3f, -0f, -7.5f, 2.25f, Float.NEGATIVE_INFINITY};
        assertArrayEquals(new int[] {1, 3, 6, 2, 4, 0, 5, 7}, TopK.descending(values, 8));
        assertArrayEquals(new int[] {1, 3}, TopK.descending(values, 2));
    }

    @Test
    void untruncatedSamplingFollowsTheSoftmax() {
        float[] logits = {0f, (float) Math.log(3), (float) Math.log(6)}; // p = 0.1, 0.3, 0.6
        SplittableRandom random = new SplittableRandom(9);
        int[] counts = new int[3];
        for (int i = 0; i < 20000; i++) {
            counts[Sampler.pick(logits, SamplingConfig.defaults(), random)]++;
        }
        assertEquals(0.1, counts[0] / 20000.0, 0.01);
        assertEquals(0.3, counts[1] / 20000.0, 0.015);
        assertEquals(0.6, counts[2] / 20000.0, 0.015);
    }

    @Test
    void stopSequencesCutTheText() {
        Generation free =
                sampler.generate(List.of("abc"), SamplingConfig.greedy(12)).get(0);
        String stop = free.text().substring(3, 5);
        Generation stopped = sampler.generate(
                        List.of("abc"), SamplingConfig.greedy(12).withStop(List.of(stop)))
                .get(0);
        assertEquals("stop", stopped.finish());
        assertEquals(free.text().substring(0, free.text().indexOf(stop)), stopped.text());
    }

    @Test
    void aPromptThatDoesNotFitIsRefused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> sampler.generate(List.of("a".repeat(40)), SamplingConfig.greedy(10)));
        assertTrue(e.getMessage().contains("41 tokens + 10 new tokens exceeds the model's context 48"), e.getMessage());
    }
}
