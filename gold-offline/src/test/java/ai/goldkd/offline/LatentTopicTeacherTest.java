package ai.goldkd.offline;

import ai.goldkd.teacher.Completion;
import ai.goldkd.teacher.GenerationRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatentTopicTeacherTest {

    private static TopicNgramModel model;
    private static LatentTopicTeacher teacher;

    @BeforeAll
    static void build() {
        TeacherStore.Corpus c = SyntheticReviews.corpus();
        model = TopicNgramModel.build(c.texts(), c.labels(), c.labelNames(), SyntheticReviews.recipe());
        teacher = new LatentTopicTeacher(model, LatentTopicConfig.defaults());
    }

    private static List<String> texts(String prompt, long seed) {
        return teacher
                .generate(GenerationRequest.of(prompt)
                        .withN(40)
                        .withTemperature(0.8f)
                        .withTopK(20)
                        .withMaxTokens(200)
                        .withSeed(seed))
                .stream()
                .map(Completion::text)
                .toList();
    }

    private static double meanShare(List<String> texts, List<String> words) {
        return texts.stream()
                .mapToDouble(t -> SyntheticReviews.share(t, words))
                .average()
                .orElse(0);
    }

    @Test
    void topicsSeparateTheTwoVocabularies() {
        int space = model.topics().topic(ReviewText.tokens("the rocket and the planet were superb"));
        int western = model.topics().topic(ReviewText.tokens("the cowboy and the saloon were superb"));
        assertNotEquals(space, western);
    }

    @Test
    void examplesSteerTowardsTheirTopic() {
        double spaceWhenSpace = meanShare(
                texts(SyntheticReviews.prompt(SyntheticReviews.SPACE, "positive", false), 1), SyntheticReviews.SPACE);
        double spaceWhenWestern = meanShare(
                texts(SyntheticReviews.prompt(SyntheticReviews.WESTERN, "positive", false), 1), SyntheticReviews.SPACE);
        assertTrue(spaceWhenSpace > 0.6, "space examples gave a space-word share of " + spaceWhenSpace);
        assertTrue(spaceWhenWestern < 0.35, "western examples gave a space-word share of " + spaceWhenWestern);
    }

    @Test
    void clearlyDifferentSteersAway() {
        double same = meanShare(
                texts(SyntheticReviews.prompt(SyntheticReviews.SPACE, "positive", false), 2), SyntheticReviews.SPACE);
        double away = meanShare(
                texts(SyntheticReviews.prompt(SyntheticReviews.SPACE, "positive", true), 2), SyntheticReviews.SPACE);
        assertTrue(away < 0.3 && same > 0.6, "space share " + same + " plain, " + away + " when clearly different");
    }

    @Test
    void theRequestedLabelIsWritten() {
        List<String> pos = texts(SyntheticReviews.prompt(SyntheticReviews.WESTERN, "positive", false), 3);
        List<String> neg = texts(SyntheticReviews.prompt(SyntheticReviews.WESTERN, "negative", false), 3);
        double posInPos = meanShare(pos, SyntheticReviews.POSITIVE)
                / (meanShare(pos, SyntheticReviews.POSITIVE) + meanShare(pos, SyntheticReviews.NEGATIVE));
        double negInNeg = meanShare(neg, SyntheticReviews.NEGATIVE)
                / (meanShare(neg, SyntheticReviews.POSITIVE) + meanShare(neg, SyntheticReviews.NEGATIVE));
        assertTrue(posInPos > 0.95 && negInNeg > 0.95, "label word shares " + posInPos + ", " + negInNeg);
    }

    @Test
    void noExamplesAndNoLabelStillWork() {
        List<Completion> out = teacher.generate(GenerationRequest.of("Write a review.")
                .withN(20)
                .withMaxTokens(200)
                .withSeed(4L));
        assertEquals(20, out.size());
        long positive = out.stream()
                .filter(c -> SyntheticReviews.share(c.text(), SyntheticReviews.POSITIVE) > 0)
                .count();
        long negative = out.stream()
                .filter(c -> SyntheticReviews.share(c.text(), SyntheticReviews.NEGATIVE) > 0)
                .count();
        assertTrue(positive > 2 && negative > 2, "labels drawn: " + positive + " positive, " + negative + " negative");
        double[] w = teacher.topicWeights("Write a review.", 1f);
        assertEquals(1.0, w[0] + w[1], 1e-9);
        assertTrue(w[0] > 0.2 && w[1] > 0.2, "prior " + w[0] + ", " + w[1]);
    }

    @Test
    void seededRequestsAreReproducible() {
        GenerationRequest r = GenerationRequest.of(SyntheticReviews.prompt(SyntheticReviews.SPACE, "positive", false))
                .withN(4)
                .withMaxTokens(200)
                .withSeed(7L);
        List<String> a = teacher.generate(r).stream().map(Completion::text).toList();
        List<String> b = teacher.generate(r).stream().map(Completion::text).toList();
        assertEquals(a, b);
        assertEquals(a.get(2), teacher.generate(r.withN(1).withSeed(9L)).get(0).text(), "sample i uses seed + i");
        assertNotEquals(
                a,
                teacher.generate(r.withSeed(8L + 100)).stream()
                        .map(Completion::text)
                        .toList());
    }

    @Test
    void outputReadsLikeAShortReview() {
        for (String t : texts(SyntheticReviews.prompt(SyntheticReviews.SPACE, "positive", false), 5)) {
            assertTrue(t.endsWith("\n") && t.indexOf('\n') == t.length() - 1, "one line ending in a line break: " + t);
            assertTrue(t.length() >= 20 && t.length() <= 600, "length " + t.length());
            assertTrue(Character.isUpperCase(t.charAt(0)), "capitalised: " + t);
            assertTrue(!t.contains(" .") && !t.contains(" ,"), "no space before a mark: " + t);
        }
    }

    @Test
    void stopsAndMaxTokensAreHonoured() {
        GenerationRequest r = GenerationRequest.of(SyntheticReviews.prompt(SyntheticReviews.SPACE, "positive", false))
                .withN(5)
                .withSeed(1L);
        for (Completion c : teacher.generate(r.withMaxTokens(5))) {
            assertTrue(c.tokens().length <= 5, "tokens " + c.tokens().length);
            assertEquals("length", c.finishReason());
            assertTrue(ReviewText.tokens(c.text()).size() <= 5);
        }
        for (Completion c : teacher.generate(r.withMaxTokens(200).withStop(List.of("\n")))) {
            assertTrue(!c.text().contains("\n") && !c.text().isEmpty());
            assertEquals("stop", c.finishReason());
        }
        for (Completion c : teacher.generate(r.withMaxTokens(200).withStop(List.of(" and")))) {
            assertTrue(!c.text().contains(" and"), c.text());
            assertEquals("stop", c.finishReason());
            assertEquals(ReviewText.tokens(c.text()).size(), c.tokens().length, "tokens match the cut text");
        }
    }

    @Test
    void greedyIsDeterministicAcrossSeeds() {
        GenerationRequest r = GenerationRequest.of(SyntheticReviews.prompt(SyntheticReviews.SPACE, "positive", false))
                .withN(1)
                .withTemperature(0f)
                .withMaxTokens(6);
        assertEquals(
                teacher.generate(r.withSeed(1L)).get(0).text(),
                teacher.generate(r.withSeed(2L)).get(0).text());
    }

    @Test
    void logprobsAreGivenWhenAsked() {
        Completion c = teacher.generate(GenerationRequest.of("label positive")
                        .withMaxTokens(8)
                        .withSeed(1L)
                        .withLogprobs(true, 3))
                .get(0);
        assertEquals(c.tokens().length, c.logprobs().length);
        assertEquals(c.tokens().length, c.topLogprobs().size());
        for (float lp : c.logprobs()) {
            assertTrue(lp <= 0 && lp > -30, "log-probability " + lp);
        }
    }
}
