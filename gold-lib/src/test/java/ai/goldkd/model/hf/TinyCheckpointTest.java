package ai.goldkd.model.hf;

import ai.djl.ndarray.NDManager;
import ai.goldkd.model.Generation;
import ai.goldkd.model.Sampler;
import ai.goldkd.model.SamplingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tiny checkpoints of every family load back as that family and decode the same with and without a cache. */
class TinyCheckpointTest {

    @TempDir
    Path tmp;

    @Test
    void everyFamilyWritesACheckpointThatLoadsAndDecodes() {
        for (Family family : Family.values()) {
            int kvHeads = family == Family.GPT2 ? 4 : 2;
            Path dir = TinyCheckpoint.llama(2, 32, 4, kvHeads, 48)
                    .withFamily(family)
                    .write(tmp.resolve(family.modelType()), 5);
            try (NDManager manager = NDManager.newBaseManager()) {
                HfCheckpoint checkpoint = HfCheckpoint.load("hf:" + dir, manager, HfCheckpoint.Options.defaults());
                assertEquals(family, checkpoint.config().family(), family.modelType());
                assertEquals(kvHeads, checkpoint.config().kvHeads(), family.modelType());
                assertEquals(TinyCheckpoint.VOCAB, checkpoint.model().vocab(), family.modelType());
                assertTrue(
                        checkpoint.model().named().keySet().stream()
                                .anyMatch(n ->
                                        family == Family.GPT2 ? n.contains(".attn.c_attn.") : n.contains("q_proj")),
                        family + " parameters carry the family's names: "
                                + checkpoint.model().named().keySet());
                Sampler sampler = new Sampler(checkpoint.model(), checkpoint.tokenizer());
                SamplingConfig greedy = SamplingConfig.greedy(12);
                List<String> prompts = List.of("hello", "a b");
                List<Generation> cached = sampler.generate(prompts, greedy);
                List<Generation> uncached = sampler.generate(prompts, greedy.withCache(false));
                for (int i = 0; i < prompts.size(); i++) {
                    assertArrayEquals(uncached.get(i).tokens(), cached.get(i).tokens(), family + " prompt " + i);
                }
            }
        }
    }

    @Test
    void aGpt2ShapeWithGroupedQueryAttentionIsRefused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> TinyCheckpoint.llama(1, 16, 4, 2, 32).withFamily(Family.GPT2));
        assertTrue(e.getMessage().contains("kvHeads 2 must equal heads 4"), e.getMessage());
    }
}
