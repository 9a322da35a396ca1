package ai.goldkd.offline;

import ai.goldkd.teacher.GenerationRequest;

import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The latent-topic teacher: it reads the prompt's examples as evidence about which topic to write
 * from, picks a topic by that belief, and writes a fresh review from the (label, topic) n-gram model of
 * {@link TopicNgramModel}. Examples are never copied: they only move the topic choice, as in-context
 * examples move an LLM's latent concept.
 *
 * <p>The belief over topics, with {@code f} the topics' training frequencies, {@code m} examples with
 * posteriors {@code q_i(t) = softmax(kappa * cos(example_i, topic t))} and {@code q} their mean:
 * <pre>
 *   prior(t)     ∝ f(t) ^ (1 / priorTemperature)                    peaked towards frequent topics
 *   belief(t)    = (1 - r) prior(t) + r q(t),   r = m / (m + evidence)      (m = 0: the prior)
 *   different(t) ∝ f(t) (1 - q(t))             when the prompt asks for something "clearly different"
 * </pre>
 * A sample's topic is drawn with weights {@code belief(t) ^ (1 / T)} at the request's temperature T
 * (the most believed topic at T = 0): a teacher sampled hotter wanders to more topics, as an LLM does.
 * The words are then drawn from the (label, topic) model leaned towards the topic's words
 * ({@link LatentTopicConfig#topicEmphasis()}; a word already written in the sample loses its lean, so a
 * boosted word cannot loop), at the same temperature, with the request's top-k and top-p.
 *
 * <pre>{@code
 * Generator teacher = ImdbTeachers.latentTopic();
 * List<Completion> out = teacher.generate(GenerationRequest.of(prompt).withN(8).withTemperature(0.8f)
 *         .withTopK(20).withMaxTokens(160).withStop(List.of("\n")).withSeed(1L));
 * }</pre>
 */
public final class LatentTopicTeacher extends OfflineTeacher {

    private final LatentTopicConfig config;
    private final float[][] emphasis; // [topic][word]: lift ^ beta

    /**
     * Creates the teacher.
     *
     * @param model the built model
     * @param config how examples move the topic belief
     */
    public LatentTopicTeacher(TopicNgramModel model, LatentTopicConfig config) {
        super(model);
        this.config = config;
        int k = model.topics().size();
        emphasis = new float[k][];
        for (int t = 0; t < k; t++) {
            float[] lift = model.lift(t);
            emphasis[t] = new float[lift.length];
            for (int w = 0; w < lift.length; w++) {
                emphasis[t][w] = (float) Math.pow(lift[w], config.topicEmphasis());
            }
        }
    }

    /** The belief settings. */
    public LatentTopicConfig config() {
        return config;
    }

    /**
     * The weights with which a request's samples pick topics.
     *
     * @param prompt the prompt
     * @param temperature the request's temperature
     * @return one weight per topic, summing to 1 (one-hot at temperature 0)
     */
    public double[] topicWeights(String prompt, float temperature) {
        return topicWeights(TeacherPrompt.read(prompt, model.labels()), temperature);
    }

    private double[] topicWeights(TeacherPrompt prompt, float temperature) {
        TopicModel topics = model.topics();
        double[] f = topics.frequency();
        int k = f.length;
        double[] q = new double[k];
        int m = 0;
        for (String content : prompt.contents()) {
            List<String> tokens = ReviewText.tokens(content);
            if (topics.vector(tokens).ids().length == 0) {
                continue; // no topic word: no evidence
            }
            double[] p = topics.posterior(tokens, config.kappa());
            for (int t = 0; t < k; t++) {
                q[t] += p[t];
            }
            m++;
        }
        return LatentBelief.weights(
                f, q, m, prompt.clearlyDifferent(), config.priorTemperature(), config.evidence(), temperature);
    }

    @Override
    Plan plan(TeacherPrompt prompt, GenerationRequest request) {
        double[] weights = topicWeights(prompt, request.temperature());
        return (label, rng) -> {
            int topic = draw(weights, rng);
            float[] lean = emphasis[topic];
            BitSet written = new BitSet();
            return (step, u, v) -> {
                written.set(v);
                model.fill(step, label, topic, u, v, 1.0);
                step.scale(lean, written);
            };
        };
    }

    private static int draw(double[] weights, SplittableRandom rng) {
        double r = rng.nextDouble();
        for (int t = 0; t < weights.length; t++) {
            r -= weights[t];
            if (r < 0) {
                return t;
            }
        }
        int last = weights.length - 1;
        while (last > 0 && weights[last] == 0) {
            last--;
        }
        return last;
    }

    @Override
    public String toString() {
        return "LatentTopicTeacher[" + model.topics().size() + " topics, " + config + "]";
    }
}
