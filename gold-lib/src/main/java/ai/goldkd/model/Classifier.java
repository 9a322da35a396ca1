package ai.goldkd.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * A student that classifies token sequences and exposes per-class logits (the energy score of the
 * OOD detector needs them). As a DJL {@link Block} it maps {@code [ids (B, T), mask (B, T)]} to
 * {@code [logits (B, K)]}; batches are right-padded.
 */
public interface Classifier extends Block {

    /**
     * The class logits.
     *
     * @param ps the parameter store
     * @param ids (B, T) token ids, right-padded
     * @param mask (B, T) 1 for real tokens, 0 for padding
     * @param training whether dropout is on
     * @return (B, K) logits
     */
    NDArray classLogits(ParameterStore ps, NDArray ids, NDArray mask, boolean training);

    /** The number of classes K. */
    int numClasses();

    /** The transformer under the head. */
    CausalLm backbone();
}
