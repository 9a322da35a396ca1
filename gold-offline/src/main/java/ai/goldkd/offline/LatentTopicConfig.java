package ai.goldkd.offline;

/**
 * How {@link LatentTopicTeacher} turns a prompt's examples into a belief over topics.
 *
 * @param priorTemperature the prior is proportional to {@code frequency ^ (1 / priorTemperature)}:
 *     below 1 it is peaked towards the frequent topics, as an LLM writes mostly from the centre; in (0, 4]
 * @param kappa the concentration of each example's topic posterior, {@code softmax(kappa * cosine)}; > 0
 * @param evidence how many examples' worth the prior counts: with m examples the belief is
 *     {@code (1 - r) * prior + r * mean posterior}, {@code r = m / (m + evidence)}; >= 0
 * @param topicEmphasis beta: the next-word probabilities of topic t are multiplied by
 *     {@code lift_t(w) ^ beta} and renormalised, a product of experts that leans the writing towards the
 *     topic's characteristic words ({@link TopicNgramModel}); 0 is off; in [0, 4]
 */
public record LatentTopicConfig(double priorTemperature, double kappa, double evidence, double topicEmphasis) {

    /** Checks the fields. */
    public LatentTopicConfig {
        if (!(priorTemperature > 0 && priorTemperature <= 4)) {
            throw new IllegalArgumentException(
                    "priorTemperature must be in (0, 4], got " + priorTemperature + "; try 0.5");
        }
        if (!(kappa > 0)) {
            throw new IllegalArgumentException("kappa must be > 0, got " + kappa + "; try 100");
        }
        if (!(evidence >= 0)) {
            throw new IllegalArgumentException("evidence must be >= 0, got " + evidence + "; try 2");
        }
        if (!(topicEmphasis >= 0 && topicEmphasis <= 4)) {
            throw new IllegalArgumentException("topicEmphasis must be in [0, 4], got " + topicEmphasis + "; try 1");
        }
    }

    /**
     * Prior temperature 0.5, kappa 100, evidence 2 (three examples move the belief 60% of the way), emphasis 1.
     * Kappa 100 over 25 doubled the steering on IMDB (docs/teachers.md) at some cost in ZeroGen topic overlap.
     */
    public static LatentTopicConfig defaults() {
        return new LatentTopicConfig(0.5, 100, 2, 1);
    }

    /** @return a copy with another prior temperature */
    public LatentTopicConfig withPriorTemperature(double value) {
        return new LatentTopicConfig(value, kappa, evidence, topicEmphasis);
    }

    /** @return a copy with another concentration */
    public LatentTopicConfig withKappa(double value) {
        return new LatentTopicConfig(priorTemperature, value, evidence, topicEmphasis);
    }

    /** @return a copy with another prior weight */
    public LatentTopicConfig withEvidence(double value) {
        return new LatentTopicConfig(priorTemperature, kappa, value, topicEmphasis);
    }

    /** @return a copy with another topic emphasis */
    public LatentTopicConfig withTopicEmphasis(double value) {
        return new LatentTopicConfig(priorTemperature, kappa, evidence, value);
    }
}
