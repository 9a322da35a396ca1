package ai.goldkd.teacher;

import java.util.List;

/**
 * What to generate: one prompt, how many samples, how to sample.
 *
 * @param prompt the prompt text (for chat endpoints, the user message)
 * @param n how many samples, at least 1
 * @param maxTokens the most tokens per sample, at least 1
 * @param temperature 0 for greedy decoding, else the softmax temperature, at most 2
 * @param topP nucleus sampling's probability mass in (0, 1]; 1 is off
 * @param topK keep only the k most likely tokens; 0 is off (not part of the OpenAI API: sent as an
 *     extension that gold's and vLLM's servers read, others ignore)
 * @param stop up to 4 non-empty strings that end a sample; the text is cut before the first one
 * @param logprobs whether to return each generated token's log-probability
 * @param topLogprobs how many most likely tokens to list per position, 0 to 5 (needs {@code logprobs})
 * @param seed the sampling seed, or null for the backend's choice; gold's server and local teachers
 *     sample sample {@code i} with {@code seed + i}, so a seeded request is reproducible
 */
public record GenerationRequest(
        String prompt,
        int n,
        int maxTokens,
        float temperature,
        float topP,
        int topK,
        List<String> stop,
        boolean logprobs,
        int topLogprobs,
        Long seed) {

    /** The most stop sequences a request may carry (the OpenAI API's limit). */
    public static final int MAX_STOP = 4;
    /** The most top log-probabilities per position (the completions API's limit). */
    public static final int MAX_TOP_LOGPROBS = 5;

    /** Checks every field and names the bad value. */
    public GenerationRequest {
        if (prompt == null) {
            throw new IllegalArgumentException("prompt is null; give a prompt text (it may be empty)");
        }
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be >= 1, got " + maxTokens);
        }
        if (!(temperature >= 0f && temperature <= 2f)) {
            throw new IllegalArgumentException("temperature must be in [0, 2] (0 = greedy), got " + temperature);
        }
        if (!(topP > 0f && topP <= 1f)) {
            throw new IllegalArgumentException("topP must be in (0, 1] (1 = off), got " + topP);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0 (0 = off), got " + topK);
        }
        stop = stop == null ? List.of() : List.copyOf(stop);
        if (stop.size() > MAX_STOP) {
            throw new IllegalArgumentException("at most " + MAX_STOP + " stop sequences, got " + stop.size());
        }
        for (String s : stop) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("a stop sequence is empty; remove it");
            }
        }
        if (topLogprobs < 0 || topLogprobs > MAX_TOP_LOGPROBS) {
            throw new IllegalArgumentException(
                    "topLogprobs must be in [0, " + MAX_TOP_LOGPROBS + "], got " + topLogprobs);
        }
        if (topLogprobs > 0 && !logprobs) {
            throw new IllegalArgumentException(
                    "topLogprobs " + topLogprobs + " needs logprobs; call withLogprobs(true, k)");
        }
    }

    /** One sample of up to 64 tokens at temperature 1, no top-p, top-k or stop, no logprobs, unseeded. */
    public static GenerationRequest of(String prompt) {
        return new GenerationRequest(prompt, 1, 64, 1f, 1f, 0, List.of(), false, 0, null);
    }

    /** @return a copy with another prompt */
    public GenerationRequest withPrompt(String value) {
        return new GenerationRequest(value, n, maxTokens, temperature, topP, topK, stop, logprobs, topLogprobs, seed);
    }

    /** @return a copy asking for another number of samples */
    public GenerationRequest withN(int value) {
        return new GenerationRequest(
                prompt, value, maxTokens, temperature, topP, topK, stop, logprobs, topLogprobs, seed);
    }

    /** @return a copy with another token limit */
    public GenerationRequest withMaxTokens(int value) {
        return new GenerationRequest(prompt, n, value, temperature, topP, topK, stop, logprobs, topLogprobs, seed);
    }

    /** @return a copy with another temperature */
    public GenerationRequest withTemperature(float value) {
        return new GenerationRequest(prompt, n, maxTokens, value, topP, topK, stop, logprobs, topLogprobs, seed);
    }

    /** @return a copy with another top-p */
    public GenerationRequest withTopP(float value) {
        return new GenerationRequest(prompt, n, maxTokens, temperature, value, topK, stop, logprobs, topLogprobs, seed);
    }

    /** @return a copy with another top-k */
    public GenerationRequest withTopK(int value) {
        return new GenerationRequest(prompt, n, maxTokens, temperature, topP, value, stop, logprobs, topLogprobs, seed);
    }

    /** @return a copy with other stop sequences */
    public GenerationRequest withStop(List<String> value) {
        return new GenerationRequest(prompt, n, maxTokens, temperature, topP, topK, value, logprobs, topLogprobs, seed);
    }

    /** @return a copy that asks (or not) for log-probabilities, with {@code top} alternatives per position */
    public GenerationRequest withLogprobs(boolean value, int top) {
        return new GenerationRequest(prompt, n, maxTokens, temperature, topP, topK, stop, value, top, seed);
    }

    /** @return a copy with another seed (null: the backend's choice) */
    public GenerationRequest withSeed(Long value) {
        return new GenerationRequest(prompt, n, maxTokens, temperature, topP, topK, stop, logprobs, topLogprobs, value);
    }

    /**
     * Where a completion ends by this request's stop sequences: the index of the earliest occurrence of
     * any of them in the text, or the text's length when none occurs.
     *
     * @param text the text written so far
     * @return the cut position
     */
    public int stopAt(CharSequence text) {
        String written = text.toString();
        int cut = written.length();
        for (String s : stop) {
            int at = written.indexOf(s);
            if (at >= 0 && at < cut) {
                cut = at;
            }
        }
        return cut;
    }
}
