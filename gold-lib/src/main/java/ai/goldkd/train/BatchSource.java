package ai.goldkd.train;

import ai.djl.ndarray.NDManager;

import java.util.Map;

/** Supplies training micro-batches, endlessly; the training loop decides how many it takes. */
public interface BatchSource {

    /**
     * Makes the next micro-batch.
     *
     * @param manager the manager its arrays belong to; the loop closes it after the step
     * @return the batch
     */
    TrainBatch next(NDManager manager);

    /**
     * Metrics of the batches made so far, which the loop writes beside the loss at every logging step
     * (for distillation: the divergence, the fraction of on-policy batches). None by default.
     *
     * @return metric name to value
     */
    default Map<String, Double> stepMetrics() {
        return Map.of();
    }
}
