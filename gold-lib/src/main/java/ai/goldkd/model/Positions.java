package ai.goldkd.model;

/** How a {@link CausalLm} encodes token positions. */
public enum Positions {
    /** A learned embedding per position, added to the token embedding (GPT-2). */
    LEARNED,
    /** Rotary embeddings applied to queries and keys in every attention layer (GPT-NeoX, Llama). */
    ROTARY
}
