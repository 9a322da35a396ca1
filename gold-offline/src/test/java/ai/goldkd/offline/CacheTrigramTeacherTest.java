package ai.goldkd.offline;

import ai.goldkd.metrics.Diversity;
import ai.goldkd.teacher.Completion;
import ai.goldkd.teacher.GenerationRequest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CacheTrigramTeacherTest {

    @Test
    void theCacheCopiesExamplesWhereTheLatentTopicTeacherDoesNot() {
        TeacherStore.Corpus c = SyntheticReviews.corpus();
        TopicNgramModel model = TopicNgramModel.build(c.texts(), c.labels(), c.labelNames(), SyntheticReviews.recipe());
        // An example in the model's words but in an order the corpus never has.
        String example = "Superb wonderful rocket galaxy, comet brilliant orbit superb alien nebula delightful moon.";
        String prompt = "1. text: " + example + "\n   label: positive\n\nGive me a sample with label positive.\ntext:";
        GenerationRequest r = GenerationRequest.of(prompt)
                .withN(40)
                .withTemperature(0.8f)
                .withTopK(20)
                .withMaxTokens(200)
                .withSeed(1L);
        List<String> cache = new CacheTrigramTeacher(model, 0.4)
                .generate(r).stream().map(Completion::text).toList();
        List<String> latent = new LatentTopicTeacher(model, LatentTopicConfig.defaults())
                .generate(r).stream().map(Completion::text).toList();
        double cacheCopy = Diversity.copyRate(cache, List.of(example), 3);
        double latentCopy = Diversity.copyRate(latent, List.of(example), 3);
        assertTrue(
                cacheCopy > 0.01 && latentCopy < 0.002,
                "trigram copy rates: cache " + cacheCopy + ", latent " + latentCopy);
        List<String> plain = new CacheTrigramTeacher(model, 0.4)
                .generate(r.withPrompt("label positive")).stream()
                        .map(Completion::text)
                        .toList();
        assertTrue(Diversity.copyRate(plain, List.of(example), 3) < 0.01, "without examples there is nothing to copy");
        assertEquals(40, cache.size());
    }

    @Test
    void theWeightIsChecked() {
        TeacherStore.Corpus c = SyntheticReviews.corpus();
        TopicNgramModel model = TopicNgramModel.build(c.texts(), c.labels(), c.labelNames(), SyntheticReviews.recipe());
        assertThrows(IllegalArgumentException.class, () -> new CacheTrigramTeacher(model, 1.0));
    }
}
