package ai.goldkd.train;

import ai.djl.training.optimizer.AdamW;
import ai.djl.training.tracker.ParameterTracker;

/**
 * DJL's AdamW with a gradient scale that can change every step, for global-norm clipping.
 *
 * <p>The fused AdamW kernel already multiplies each gradient by {@code rescaleGrad}, so clipping
 * sets the scale there: no extra op per parameter, and the gradients themselves are never modified.
 */
final class ClippingAdamW extends AdamW {

    /**
     * Creates the optimizer.
     *
     * @param learningRate the learning-rate tracker
     * @param weightDecay the decoupled weight decay
     */
    ClippingAdamW(ParameterTracker learningRate, float weightDecay) {
        super(AdamW.builder().optLearningRateTracker(learningRate).optWeightDecays(weightDecay));
    }

    /**
     * Sets the factor every gradient is multiplied by in the next updates.
     *
     * @param scale the factor, in (0, 1] for clipping
     */
    void setGradientScale(float scale) {
        rescaleGrad = scale;
    }
}
