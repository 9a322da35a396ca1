package ai.goldkd.model.hf;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The Hugging Face architectures gold implements, by their {@code model_type} in config.json. */
public enum Family {
    /** Llama 2 and 3.x, SmolLM2: RMSNorm, SwiGLU, rotary positions, grouped-query attention. */
    LLAMA("llama", "LlamaForCausalLM"),
    /** Mistral: a Llama with an optional sliding attention window. */
    MISTRAL("mistral", "MistralForCausalLM"),
    /** Qwen2 and Qwen2.5: a Llama with q/k/v biases. */
    QWEN2("qwen2", "Qwen2ForCausalLM"),
    /** Qwen3: a Llama with per-head RMSNorm on queries and keys. */
    QWEN3("qwen3", "Qwen3ForCausalLM"),
    /** GPT-2: LayerNorm, learned positions, Conv1D weights, gelu_new, tied head. */
    GPT2("gpt2", "GPT2LMHeadModel");

    private final String modelType;
    private final String architecture;

    Family(String modelType, String architecture) {
        this.modelType = modelType;
        this.architecture = architecture;
    }

    /** The {@code model_type} of config.json. */
    public String modelType() {
        return modelType;
    }

    /** The {@code architectures} entry transformers builds for a causal LM of this family. */
    public String architecture() {
        return architecture;
    }

    /** Whether the family is a Llama-style decoder (RMSNorm, SwiGLU, rotary positions). */
    public boolean llamaLike() {
        return this != GPT2;
    }

    /**
     * The family of a {@code model_type}.
     *
     * @param modelType the value in config.json
     * @param file the config file, for the message
     * @return the family
     */
    public static Family of(String modelType, Object file) {
        for (Family f : values()) {
            if (f.modelType.equals(modelType)) {
                return f;
            }
        }
        throw new IllegalArgumentException(file + ": model_type '" + modelType + "' is not supported; gold reads "
                + Arrays.stream(values()).map(Family::modelType).collect(Collectors.joining(", "))
                + " (SmolLM2 is a llama): pass a checkpoint of one of these families");
    }
}
