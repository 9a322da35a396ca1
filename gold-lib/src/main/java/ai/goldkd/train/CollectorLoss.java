package ai.goldkd.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.GradientCollector;

/**
 * A loss that needs the step's gradient collector, such as a divergence computed chunk by chunk
 * ({@link ai.goldkd.loss.ChunkedDivergence}), which back-propagates each chunk into the logits before
 * the next. {@link TrainingLoop} calls this instead of {@code Loss.evaluate} when the trainer's loss
 * implements it.
 */
public interface CollectorLoss {

    /**
     * Computes the loss inside the open collector.
     *
     * @param collector the step's gradient collector
     * @param labels the batch's labels
     * @param predictions the model's outputs
     * @return a scalar whose value is the loss and whose gradient with respect to the predictions is the loss's
     */
    NDArray evaluate(GradientCollector collector, NDList labels, NDList predictions);
}
