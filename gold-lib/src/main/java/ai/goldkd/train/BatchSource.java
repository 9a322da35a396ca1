package ai.goldkd.train;

import ai.djl.ndarray.NDManager;

/** Supplies training micro-batches, endlessly; the training loop decides how many it takes. */
public interface BatchSource {

    /**
     * Makes the next micro-batch.
     *
     * @param manager the manager its arrays belong to; the loop closes it after the step
     * @return the batch
     */
    TrainBatch next(NDManager manager);
}
