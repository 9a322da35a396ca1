package ai.goldkd.teacher;

import java.util.ArrayList;
import java.util.List;

/**
 * A black-box text generator: a prompt in, {@code n} sampled continuations out, with sampling settings,
 * stop sequences and, when the backend gives them, per-token log-probabilities. A remote endpoint
 * ({@link OpenAiClient}) and a local model ({@link LocalTeacher}) are generators.
 */
public interface Generator {

    /**
     * Samples continuations of one prompt.
     *
     * @param request the prompt, how many samples and how to sample
     * @return exactly {@code request.n()} completions, in the backend's choice order
     * @throws GenerationException when the backend cannot answer (after any retries it makes)
     */
    List<Completion> generate(GenerationRequest request);

    /**
     * Samples continuations of many prompts. A request that fails is reported in its result, so one bad
     * request never loses the others. This default runs them one after another; remote generators
     * run them concurrently.
     *
     * @param requests the requests
     * @return one result per request, in order
     */
    default List<GenerationResult> generateAll(List<GenerationRequest> requests) {
        List<GenerationResult> out = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            try {
                out.add(GenerationResult.success(i, generate(requests.get(i))));
            } catch (GenerationException | IllegalArgumentException e) {
                out.add(GenerationResult.failure(i, e.getMessage()));
            }
        }
        return out;
    }
}
