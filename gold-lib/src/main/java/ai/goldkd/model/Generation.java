package ai.goldkd.model;

/**
 * One generated continuation.
 *
 * @param tokens the new token ids, without the prompt, up to and including the stop (EOS) token
 * @param text the decoded new text, cut before the first stop sequence
 * @param logprobs per new token, its log-probability under the model at temperature 1
 * @param finish why generation ended: {@code "eos"}, {@code "stop"} or {@code "length"}
 */
public record Generation(int[] tokens, String text, float[] logprobs, String finish) {

    /** The sum of the tokens' log-probabilities. */
    public double totalLogprob() {
        double sum = 0;
        for (float lp : logprobs) {
            sum += lp;
        }
        return sum;
    }
}
