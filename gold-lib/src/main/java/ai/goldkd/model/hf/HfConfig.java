package ai.goldkd.model.hf;

import com.google.gson.JsonObject;

/**
 * The shape of a Hugging Face causal LM as its {@code config.json} gives it, read by
 * {@link HfConfigReader}: only settings gold implements exactly get here.
 *
 * @param family the architecture
 * @param vocab {@code vocab_size}, the embedding rows
 * @param dim {@code hidden_size} ({@code n_embd} for GPT-2)
 * @param layers {@code num_hidden_layers} ({@code n_layer})
 * @param heads {@code num_attention_heads} ({@code n_head})
 * @param kvHeads {@code num_key_value_heads} (the query heads for GPT-2)
 * @param headDim {@code head_dim} when given, else dim / heads
 * @param mlpDim {@code intermediate_size} ({@code n_inner}, else 4 * dim, for GPT-2)
 * @param context the most positions a sequence may have ({@code max_position_embeddings} or
 *     {@code n_positions}, or less when asked)
 * @param normEps {@code rms_norm_eps} ({@code layer_norm_epsilon})
 * @param ropeTheta {@code rope_theta} (unused by GPT-2)
 * @param rope {@code rope_scaling}
 * @param tiedHead {@code tie_word_embeddings}: the output head is the embedding
 * @param qkvBias whether q/k/v projections have biases (qwen2, or {@code attention_bias})
 * @param activation the MLP activation: {@code silu}, {@code gelu_new} or {@code gelu}
 * @param json the whole config.json, kept to write it back on export
 */
public record HfConfig(
        Family family,
        int vocab,
        int dim,
        int layers,
        int heads,
        int kvHeads,
        int headDim,
        int mlpDim,
        int context,
        double normEps,
        double ropeTheta,
        RopeScaling rope,
        boolean tiedHead,
        boolean qkvBias,
        String activation,
        JsonObject json) {

    /** Checks the sizes against each other. */
    public HfConfig {
        if (vocab < 1
                || dim < 1
                || layers < 1
                || heads < 1
                || kvHeads < 1
                || headDim < 1
                || mlpDim < 1
                || context < 1) {
            throw new IllegalArgumentException("config sizes must be positive: vocab=" + vocab + " dim=" + dim
                    + " layers=" + layers + " heads=" + heads + " kvHeads=" + kvHeads + " headDim=" + headDim
                    + " mlpDim=" + mlpDim + " context=" + context);
        }
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads " + heads + " is not a multiple of"
                    + " num_key_value_heads " + kvHeads + "; the config is damaged");
        }
        if (family.llamaLike() && headDim % 2 != 0) {
            throw new IllegalArgumentException("head_dim " + headDim + " is odd; rotary positions need an even one");
        }
        if (!family.llamaLike() && headDim * heads != dim) {
            throw new IllegalArgumentException("n_embd " + dim + " is not a multiple of n_head " + heads);
        }
    }

    /** Whether queries and keys get a per-head RMSNorm (qwen3). */
    public boolean qkNorm() {
        return family == Family.QWEN3;
    }

    /**
     * Returns a copy with a shorter context (the longest sequence the caller will run).
     *
     * @param value the context, at most the config's own
     * @return the copy
     */
    public HfConfig withContext(int value) {
        if (value > context) {
            throw new IllegalArgumentException("context " + value + " is longer than the checkpoint's " + context
                    + " positions; ask for at most " + context);
        }
        return new HfConfig(
                family,
                vocab,
                dim,
                layers,
                heads,
                kvHeads,
                headDim,
                mlpDim,
                value,
                normEps,
                ropeTheta,
                rope,
                tiedHead,
                qkvBias,
                activation,
                json);
    }
}
