package ai.goldkd.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * A decoder-only causal language model as a DJL block: gold's own {@link CausalLm} or a Hugging Face
 * family read from a checkpoint ({@code ai.goldkd.model.hf}). Everything that trains, samples from,
 * scores with or serves a language model takes this interface.
 *
 * <p>As a {@link Block} it maps {@code [ids (B, T)]} or {@code [ids, mask (B, T)]} to
 * {@code [logits (B, T, V)]}; {@link #step} decodes incrementally with a {@link KvCache}.
 */
public interface LanguageModel extends Block {

    /**
     * Teacher forcing: the logits at every position.
     *
     * @param ps the parameter store
     * @param ids (B, T) token ids
     * @param mask (B, T) 1 for real tokens and 0 for (left) padding, or null when nothing is padded
     * @param training whether dropout is on and gradients flow
     * @return (B, T, V) logits
     */
    NDArray logits(ParameterStore ps, NDArray ids, NDArray mask, boolean training);

    /**
     * The final, normalised hidden states at every position (what the output head reads).
     *
     * @param ps the parameter store
     * @param ids (B, T) token ids
     * @param mask (B, T) 1 for real tokens and 0 for padding, or null
     * @param training whether dropout is on
     * @return (B, T, D)
     */
    NDArray hidden(ParameterStore ps, NDArray ids, NDArray mask, boolean training);

    /**
     * The final hidden states as constants (no gradient, inference mode), computed one sequence at a time,
     * each in a scope of its own closed once its hidden states exist: DJL frees an op's output only with its
     * manager, so a whole batch's activations would otherwise all be alive at once. A teacher's forward pass.
     *
     * @param ids (B, T) token ids
     * @param mask (B, T) 1 for real tokens and 0 for padding, or null
     * @return (B, T, D), attached to {@code ids}' manager
     */
    default NDArray hiddenBySequence(NDArray ids, NDArray mask) {
        NDManager owner = ids.getManager();
        NDList rows = new NDList();
        for (long b = 0; b < ids.getShape().get(0); b++) {
            try (NDManager pass = owner.newSubManager()) {
                NDIndex row = new NDIndex().addSliceDim(b, b + 1);
                NDArray h = hidden(
                                new ParameterStore(pass, false),
                                ids.get(pass, row),
                                mask == null ? null : mask.get(pass, row),
                                false)
                        .stopGradient(); // (1, T, D)
                h.attach(owner);
                rows.add(h);
            }
        }
        NDArray all = NDArrays.concat(rows, 0); // (B, T, D)
        rows.close();
        return all;
    }

    /**
     * The output head's rows for some tokens: the logits of only those tokens are
     * {@code hidden.matMul(headRows(...).transpose())}.
     *
     * @param ps the parameter store
     * @param tokens (K) token ids
     * @param training whether gradients flow
     * @return (K, D)
     */
    NDArray headRows(ParameterStore ps, NDArray tokens, boolean training);

    /**
     * The whole output head, the matrix the logits are read through: {@code logits = hidden.matMul(head.transpose())}
     * (the tied token embedding where the model ties them). A fused head and divergence
     * ({@link ai.goldkd.loss.FusedHeadDivergence}) takes it with {@link #hidden} instead of the logits.
     *
     * @param ps the parameter store
     * @param device where the value is wanted
     * @param training whether gradients flow into the head
     * @return (V, D)
     */
    NDArray head(ParameterStore ps, Device device, boolean training);

    /**
     * Decodes incrementally: runs new tokens through the model with the cache of earlier ones.
     *
     * @param ps the parameter store
     * @param ids (B, T) new token ids; T is the prompt length on the first call, then usually 1
     * @param real per row and new token, whether it is a real token (false for left padding)
     * @param cache the cache from {@link #newCache}
     * @return (B, V) the logits at the last new position of each row
     */
    NDArray step(ParameterStore ps, NDArray ids, boolean[][] real, KvCache cache);

    /**
     * Creates an empty KV cache shaped for this model (its layers, key/value heads and head width).
     *
     * @param manager where the cache lives; close it to free the cache
     * @param batch the batch size
     * @param capacity the most tokens (prompt and new) it will hold
     * @return the cache
     */
    KvCache newCache(NDManager manager, int batch, int capacity);

    /** The number of output logits (embedding rows). */
    int vocab();

    /** The most positions one sequence may have. */
    int context();

    /** The hidden width (the last axis of {@link #hidden}). */
    int dim();
}
