package ai.goldkd.offline;

import ai.goldkd.teacher.Completion;
import ai.goldkd.teacher.GenerationRequest;
import ai.goldkd.teacher.ServableModel;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the offline teachers share: reading the prompt, one random source per sample (sample {@code i}
 * of a request seeded {@code s} uses {@code s + i}, so seeded requests are reproducible), the label
 * (the prompt's, else drawn uniformly per sample), and writing. Instances hold no mutable state, so
 * threads may share one.
 */
abstract class OfflineTeacher implements ServableModel {

    /** The longest request a caller may make, in tokens. */
    static final int CONTEXT = 1 << 16;

    final TopicNgramModel model;

    OfflineTeacher(TopicNgramModel model) {
        this.model = model;
    }

    /** How one request's samples are written. */
    interface Plan {
        /**
         * The next-word distribution of one sample.
         *
         * @param label the sample's label index
         * @param rng the sample's random source, for any choice made before writing
         * @return the distribution
         */
        SampleWriter.NextWord sample(int label, SplittableRandom rng);
    }

    /**
     * Prepares a request: what the prompt's examples do to the writing.
     *
     * @param prompt the prompt as read
     * @param request the request
     * @return the plan
     */
    abstract Plan plan(TeacherPrompt prompt, GenerationRequest request);

    @Override
    public List<Completion> generate(GenerationRequest request) {
        checkFits(request.prompt(), request.maxTokens());
        TeacherPrompt prompt = TeacherPrompt.read(request.prompt(), model.labels());
        Plan plan = plan(prompt, request);
        long seed = request.seed() != null
                ? request.seed()
                : ThreadLocalRandom.current().nextLong();
        int requested = prompt.label() == null ? -1 : model.labels().indexOf(prompt.label());
        StepSampler step = new StepSampler(model.vocabulary());
        List<Completion> out = new ArrayList<>(request.n());
        for (int i = 0; i < request.n(); i++) {
            SplittableRandom rng = new SplittableRandom(seed + i);
            int label = requested >= 0 ? requested : rng.nextInt(model.labels().size());
            out.add(SampleWriter.write(plan.sample(label, rng), model.vocabulary(), request, rng, step));
        }
        return out;
    }

    /** The model it writes from. */
    public TopicNgramModel model() {
        return model;
    }

    @Override
    public int promptTokens(String prompt) {
        return ReviewText.tokens(prompt).size();
    }

    @Override
    public String tokenText(int id) {
        return model.vocabulary().word(id);
    }

    @Override
    public int textOffset(int[] tokens, int t) {
        List<String> words = new ArrayList<>(t);
        boolean end = false;
        for (int i = 0; i < t; i++) {
            if (tokens[i] == Vocabulary.EOS) {
                end = true;
                break;
            }
            words.add(model.vocabulary().word(tokens[i]));
        }
        return ReviewText.detokenize(words).length() + (end ? 1 : 0);
    }

    @Override
    public void checkFits(String prompt, int maxTokens) {
        if (maxTokens > CONTEXT) {
            throw new IllegalArgumentException("max_tokens " + maxTokens + " exceeds the offline teacher's limit of "
                    + CONTEXT + "; a review takes at most ~150 tokens, ask for fewer");
        }
    }

    @Override
    public int context() {
        return CONTEXT;
    }
}
