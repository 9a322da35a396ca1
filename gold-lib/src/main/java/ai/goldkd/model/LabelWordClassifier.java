package ai.goldkd.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;

import java.util.Arrays;

/**
 * Classifies by scoring label words with the language model itself: the class logits are the LM's
 * logits, at the last real position of the input, for the first token of each label word
 * ({@code "positive"}, {@code "negative"}). The input should end where the label word would begin
 * (for example {@code "review: ... sentiment:"}).
 */
public final class LabelWordClassifier extends ClassifierBlock {

    private final long[] labelTokens;

    /**
     * Creates an uninitialised classifier.
     *
     * @param config the transformer's shape
     * @param labelTokens the token id that begins each class's label word, all distinct
     */
    public LabelWordClassifier(TransformerConfig config, int[] labelTokens) {
        super(config);
        if (labelTokens.length < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 label words, got " + labelTokens.length);
        }
        if (Arrays.stream(labelTokens).distinct().count() != labelTokens.length) {
            throw new IllegalArgumentException("label words must start with distinct tokens, got "
                    + Arrays.toString(labelTokens) + "; choose label words that differ in their first token");
        }
        for (int token : labelTokens) {
            if (token < 0 || token >= config.vocab()) {
                throw new IllegalArgumentException(
                        "label token " + token + " is outside the vocabulary [0, " + config.vocab() + ")");
            }
        }
        this.labelTokens = Arrays.stream(labelTokens).asLongStream().toArray();
    }

    @Override
    public NDArray classLogits(ParameterStore ps, NDArray ids, NDArray mask, boolean training) {
        NDArray hidden = backbone().hidden(ps, ids, mask, training); // (B, T, D)
        long b = hidden.getShape().get(0);
        long d = hidden.getShape().get(2);
        NDArray lastIndex =
                mask.toType(DataType.INT64, false).sum(new int[] {1}).sub(1L); // (B)
        NDArray index = lastIndex.reshape(b, 1, 1).repeat(2, d); // (B, 1, D)
        NDArray last = hidden.gather(index, 1).squeeze(1); // (B, D)
        NDArray rows = backbone().headRows(ps, ids.getManager().create(labelTokens), training); // (K, D)
        return last.matMul(rows.transpose()); // (B, K)
    }

    /**
     * Initialises the parameters.
     *
     * @param manager where they live
     * @return this classifier
     */
    public LabelWordClassifier initialize(NDManager manager) {
        initializeParameters(manager);
        return this;
    }

    @Override
    public int numClasses() {
        return labelTokens.length;
    }
}
