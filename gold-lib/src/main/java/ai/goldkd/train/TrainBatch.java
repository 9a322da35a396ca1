package ai.goldkd.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * One micro-batch, as DJL's trainer takes it: the model's inputs and the loss's labels.
 *
 * @param data the model inputs (for a language model: ids (B, T), and mask (B, T) when a row is padded)
 * @param labels the loss's labels (for a language model: next-token ids (B, T), -100 where ignored)
 * @param tokens the number of tokens that count towards the loss, for throughput figures
 */
public record TrainBatch(NDList data, NDList labels, long tokens) {

    /**
     * A language-model batch's padding mask.
     *
     * @param data [ids (B, T)] or [ids (B, T), mask (B, T)]
     * @return the mask, or null when no row is padded
     */
    public static NDArray maskOf(NDList data) {
        return data.size() > 1 ? data.get(1) : null;
    }
}
