package ai.goldkd.model;

/**
 * The shape of a decoder-only causal transformer.
 *
 * @param layers the number of transformer layers
 * @param dim the model width
 * @param heads the number of attention heads; must divide {@code dim}
 * @param mlpDim the width of each layer's MLP
 * @param vocab the vocabulary size, special tokens included
 * @param context the longest sequence the model takes, in tokens
 * @param dropout the dropout rate in training, in [0, 1)
 * @param positions learned or rotary positions
 * @param tiedHead whether the output head shares the token embedding's weights
 */
public record TransformerConfig(
        int layers,
        int dim,
        int heads,
        int mlpDim,
        int vocab,
        int context,
        float dropout,
        Positions positions,
        boolean tiedHead) {

    /** Checks every field and names the bad value. */
    public TransformerConfig {
        positive("layers", layers);
        positive("dim", dim);
        positive("heads", heads);
        positive("mlpDim", mlpDim);
        positive("vocab", vocab);
        positive("context", context);
        if (dim % heads != 0) {
            throw new IllegalArgumentException(
                    "dim " + dim + " is not divisible by heads " + heads + "; choose heads among the divisors of dim");
        }
        if (positions == Positions.ROTARY && (dim / heads) % 2 != 0) {
            throw new IllegalArgumentException("rotary positions need an even head size, got dim/heads = " + dim / heads
                    + "; change dim or heads");
        }
        if (!(dropout >= 0f && dropout < 1f)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        if (positions == null) {
            throw new IllegalArgumentException("positions must be LEARNED or ROTARY, got null");
        }
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    /** A small model for offline teachers and students: 4 layers, width 256, 4 heads, context 128. */
    public static TransformerConfig defaults() {
        return new TransformerConfig(4, 256, 4, 1024, 8192, 128, 0f, Positions.LEARNED, true);
    }

    /** The width of one attention head. */
    public int headDim() {
        return dim / heads;
    }

    /** @return a copy with the given number of layers */
    public TransformerConfig withLayers(int value) {
        return new TransformerConfig(value, dim, heads, mlpDim, vocab, context, dropout, positions, tiedHead);
    }

    /** @return a copy with the given width and MLP width */
    public TransformerConfig withDim(int value, int mlp) {
        return new TransformerConfig(layers, value, heads, mlp, vocab, context, dropout, positions, tiedHead);
    }

    /** @return a copy with the given number of heads */
    public TransformerConfig withHeads(int value) {
        return new TransformerConfig(layers, dim, value, mlpDim, vocab, context, dropout, positions, tiedHead);
    }

    /** @return a copy with the given vocabulary size */
    public TransformerConfig withVocab(int value) {
        return new TransformerConfig(layers, dim, heads, mlpDim, value, context, dropout, positions, tiedHead);
    }

    /** @return a copy with the given context length */
    public TransformerConfig withContext(int value) {
        return new TransformerConfig(layers, dim, heads, mlpDim, vocab, value, dropout, positions, tiedHead);
    }

    /** @return a copy with the given dropout rate */
    public TransformerConfig withDropout(float value) {
        return new TransformerConfig(layers, dim, heads, mlpDim, vocab, context, value, positions, tiedHead);
    }

    /** @return a copy with the given position encoding */
    public TransformerConfig withPositions(Positions value) {
        return new TransformerConfig(layers, dim, heads, mlpDim, vocab, context, dropout, value, tiedHead);
    }

    /** @return a copy with the output head tied to the embedding or not */
    public TransformerConfig withTiedHead(boolean value) {
        return new TransformerConfig(layers, dim, heads, mlpDim, vocab, context, dropout, positions, value);
    }
}
