package ai.goldkd.teacher;

import ai.djl.ndarray.NDArray;
import ai.goldkd.model.SamplingConfig;
import ai.goldkd.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * A white-box generator: besides sampling text it gives its token logits under teacher forcing, which
 * token-level distillation (GKD, Hinton KD) needs. Student and teacher must share {@link #tokenizer()}'s
 * vocabulary; where they do not, distil at the sequence level through {@link Generator} instead.
 * Every distillation path (the trainer, its batches, the teacher's view of an answer) takes a
 * {@code Teacher}; a local model is one through {@link LocalTeacher}.
 */
public interface Teacher extends Generator {

    /**
     * The teacher's logits at every position of given token sequences (teacher forcing).
     *
     * @param ids (B, T) token ids (int64), on the teacher's device; the caller adds BOS where needed
     * @param mask (B, T) 1 for real tokens and 0 for padding, or null when nothing is padded
     * @return (B, T, V) logits, attached to {@code ids}' manager
     */
    NDArray logits(NDArray ids, NDArray mask);

    /** The tokenizer whose ids {@link #logits} reads; its specials mark BOS, EOS and padding. */
    Tokenizer tokenizer();

    /** The size V of the logits' last axis: the model's vocabulary, at least the tokenizer's. */
    int vocabSize();

    /**
     * One answer per prompt, as text, cut before the end-of-sequence token: sequence-level KD's data and
     * the teacher's own test answers. This default sends one request per prompt, the i-th seeded with
     * {@code sampling.seed() + i}; a local model decodes them in batches.
     *
     * @param prompts the prompts; the teacher reads each after its BOS token
     * @param sampling how to decode (temperature 0: greedy)
     * @param batchSize prompts decoded together, where the teacher batches
     * @return the answers, in order
     */
    default List<String> answers(List<String> prompts, SamplingConfig sampling, int batchSize) {
        List<String> out = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            GenerationRequest request = GenerationRequest.of(prompts.get(i))
                    .withMaxTokens(sampling.maxNewTokens())
                    .withTemperature(sampling.temperature())
                    .withTopK(sampling.topK())
                    .withTopP(sampling.topP())
                    .withStop(sampling.stop())
                    .withSeed(sampling.seed() + i);
            out.add(generate(request).get(0).text());
        }
        return out;
    }

    /** The longest sequence, prompt plus continuation, that the teacher reads. */
    int context();
}
