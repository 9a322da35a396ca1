package ai.goldkd.offline;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A small corpus with two topics and two labels whose words are disjoint: topic words (space or
 * western), sentiment words (positive or negative) and shared filler that every review uses.
 */
final class SyntheticReviews {

    static final List<String> SPACE = List.of(
            "rocket",
            "planet",
            "galaxy",
            "astronaut",
            "alien",
            "orbit",
            "comet",
            "spaceship",
            "nebula",
            "asteroid",
            "moon",
            "starship");
    static final List<String> WESTERN = List.of(
            "cowboy",
            "saloon",
            "sheriff",
            "ranch",
            "horse",
            "prairie",
            "outlaw",
            "stagecoach",
            "canyon",
            "wagon",
            "rodeo",
            "lasso");
    static final List<String> POSITIVE =
            List.of("wonderful", "brilliant", "superb", "delightful", "charming", "moving", "gripping", "splendid");
    static final List<String> NEGATIVE =
            List.of("dreadful", "boring", "awful", "tedious", "clumsy", "dull", "lame", "silly");
    static final List<String> LABELS = List.of("negative", "positive");

    private SyntheticReviews() {}

    /** 1,600 reviews, 400 per (topic, label), in a seeded order. */
    static TeacherStore.Corpus corpus() {
        Random rng = new Random(11);
        List<String> texts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < 1600; i++) {
            List<String> topic = i % 2 == 0 ? SPACE : WESTERN;
            int label = (i / 2) % 2;
            texts.add(review(topic, label == 1 ? POSITIVE : NEGATIVE, rng));
            labels.add(LABELS.get(label));
        }
        return new TeacherStore.Corpus(texts, labels, LABELS);
    }

    /** One review of 3 to 5 sentences, each with five topic words and one sentiment word. */
    static String review(List<String> topic, List<String> sentiment, Random rng) {
        StringBuilder s = new StringBuilder();
        int sentences = 3 + rng.nextInt(3);
        for (int i = 0; i < sentences; i++) {
            s.append(String.format(
                    "The %s and the %s near the %s were %s, and the film showed a %s and a %s. ",
                    pick(topic, rng),
                    pick(topic, rng),
                    pick(topic, rng),
                    pick(sentiment, rng),
                    pick(topic, rng),
                    pick(topic, rng)));
        }
        return s.toString().strip();
    }

    static String pick(List<String> words, Random rng) {
        return words.get(rng.nextInt(words.size()));
    }

    /**
     * A recipe for the corpus: 2 topics, every word known, topic words in up to 90% of reviews. With two
     * clusters k-means has two local optima here (by topic, by sentiment); seed 2 finds the topic split.
     */
    static TeacherRecipe recipe() {
        return TeacherRecipe.defaults("0".repeat(64))
                .withTopics(2)
                .withTopicWords(2, 0.9)
                .withCounts(1, 1, 256)
                .withSeed(2);
    }

    /** The share of a text's words that are in a list. */
    static double share(String text, List<String> words) {
        List<String> tokens = ReviewText.tokens(text);
        long in = tokens.stream().filter(words::contains).count();
        long known = tokens.stream()
                .filter(w -> SPACE.contains(w) || WESTERN.contains(w) || POSITIVE.contains(w) || NEGATIVE.contains(w))
                .count();
        return known == 0 ? 0 : (double) in / known;
    }

    /**
     * A GOLD generation prompt with one positive and one negative example on {@code topic}.
     *
     * @param topic the examples' topic words
     * @param label the label asked for
     * @param different whether to ask for a sample clearly different from the examples
     * @return the prompt
     */
    static String prompt(List<String> topic, String label, boolean different) {
        Random rng = new Random(5);
        return "You are a helpful assistant.\n\nExamples:\n"
                + "1. text: " + review(topic, POSITIVE, rng) + "\n   label: positive\n"
                + "2. text: " + review(topic, NEGATIVE, rng) + "\n   label: negative\n\n"
                + (different ? "The next sample must be clearly different from the examples above.\n" : "")
                + "Give me a novel sample of this task with label " + label + ".\ntext:";
    }
}
