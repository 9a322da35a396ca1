package ai.goldkd.model.bert;

import ai.goldkd.tokenizer.HfTokenizer;

/**
 * The BERT-family architectures gold loads: the same post-LayerNorm layers, with different positions,
 * tensor-name prefixes and special tokens.
 */
public enum EncoderFamily {
    /** {@code model_type: bert} (BERT, MiniLM, BGE, E5): positions 0..T-1, [CLS] text [SEP]. */
    BERT("bert", "bert.", new HfTokenizer.Names("[PAD]", "[CLS]", "[SEP]")),
    /**
     * {@code model_type: roberta}: a real token's position is {@code pad + (its index among real tokens,
     * from 1)}, padding sits at position {@code pad}, as modeling_roberta.py's
     * create_position_ids_from_input_ids counts; {@code <s> text </s>}.
     */
    ROBERTA("roberta", "roberta.", new HfTokenizer.Names("<pad>", "<s>", "</s>"));

    private final String modelType;
    private final String prefix;
    private final HfTokenizer.Names specials;

    EncoderFamily(String modelType, String prefix, HfTokenizer.Names specials) {
        this.modelType = modelType;
        this.prefix = prefix;
        this.specials = specials;
    }

    /** The {@code model_type} of config.json. */
    public String modelType() {
        return modelType;
    }

    /** The prefix of tensor names in task-head checkpoints ({@code bert.}, {@code roberta.}). */
    public String prefix() {
        return prefix;
    }

    /** The padding, start and end tokens' names in the family's vocabularies. */
    public HfTokenizer.Names specials() {
        return specials;
    }

    /**
     * The family a {@code model_type} names.
     *
     * @param modelType config.json's value
     * @return the family, or null when gold has none of that type
     */
    public static EncoderFamily of(String modelType) {
        for (EncoderFamily f : values()) {
            if (f.modelType.equals(modelType)) {
                return f;
            }
        }
        return null;
    }
}
