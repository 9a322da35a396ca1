package ai.goldkd.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.GradientCollector;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A loss that needs the step's gradient collector, such as a divergence computed chunk by chunk
 * ({@link ai.goldkd.loss.ChunkedDivergence}). {@link TrainingLoop} calls this instead of
 * {@code Loss.evaluate} when the trainer's loss implements it.
 *
 * <p>Such a loss may back-propagate itself (a chunked divergence hands its gradient with respect to the
 * logits straight to the backward pass, without an (N, V) surrogate product): it then says so, and the
 * loop does not call backward on its value.
 */
public interface CollectorLoss {

    /**
     * A loss value, whether its gradient is already in the model, and its parts for the log.
     *
     * @param loss the scalar loss, unscaled
     * @param backpropagated true when the loss has back-propagated itself (then {@code loss} is detached);
     *     false when the caller is to back-propagate {@code loss}
     * @param terms the loss's parts by metric name (for distillation: the divergence, the cross-entropy),
     *     which {@link TrainingLoop} writes at its logging steps; empty when there are none
     */
    record Value(NDArray loss, boolean backpropagated, Map<String, Double> terms) {

        /** Copies the terms; null is no terms. */
        public Value {
            terms = terms == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(terms));
        }
    }

    /**
     * Computes the loss inside the open collector.
     *
     * @param collector the step's gradient collector
     * @param labels the batch's labels
     * @param predictions the model's outputs
     * @param scale the factor of the gradient if the loss back-propagates itself (1 / micro-batches)
     * @return the loss, and whether it has back-propagated itself
     */
    Value evaluate(GradientCollector collector, NDList labels, NDList predictions, float scale);
}
