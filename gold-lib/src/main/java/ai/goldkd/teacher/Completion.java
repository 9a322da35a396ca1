package ai.goldkd.teacher;

import java.util.List;

/**
 * One sampled continuation. Arrays are shared, not copied: treat them as read-only.
 *
 * @param text the generated text, without the prompt, cut before the first stop sequence
 * @param tokens the generated token ids, or null when the backend gives only text (remote endpoints)
 * @param logprobs per generated token, its log-probability at temperature 1, or null when not requested
 *     or not offered by the backend
 * @param topLogprobs per generated token, the most likely tokens there, or null when not requested
 * @param finishReason {@code "stop"} (end of sequence or a stop sequence) or {@code "length"} (max tokens)
 */
public record Completion(
        String text, int[] tokens, float[] logprobs, List<List<TokenLogprob>> topLogprobs, String finishReason) {

    /** Checks the fields. */
    public Completion {
        if (text == null) {
            throw new IllegalArgumentException("a completion's text is null; use \"\" for an empty completion");
        }
        topLogprobs = topLogprobs == null ? null : List.copyOf(topLogprobs);
    }

    /** The sum of the tokens' log-probabilities, or NaN when there are none. */
    public double totalLogprob() {
        if (logprobs == null) {
            return Double.NaN;
        }
        double sum = 0;
        for (float lp : logprobs) {
            sum += lp;
        }
        return sum;
    }
}
