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
    ROBERTA("roberta", "roberta.", new HfTokenizer.Names("<pad>", "<s>", "</s>")),
    /**
     * {@code model_type: distilbert}: BERT's post-LayerNorm layers under other tensor names
     * ({@code transformer.layer.N.attention.q_lin}, {@code sa_layer_norm}, {@code ffn.lin1}, ...; see
     * {@link #checkpointName}) and no token type embedding; positions 0..T-1, [CLS] text [SEP].
     */
    DISTILBERT("distilbert", "distilbert.", new HfTokenizer.Names("[PAD]", "[CLS]", "[SEP]"));

    /** BERT's layer tensor names and DistilBERT's, in pairs (after {@code encoder.layer.N.} / {@code transformer.layer.N.}). */
    private static final String[][] DISTILBERT_LAYER = {
        {"attention.self.query.", "attention.q_lin."},
        {"attention.self.key.", "attention.k_lin."},
        {"attention.self.value.", "attention.v_lin."},
        {"attention.output.dense.", "attention.out_lin."},
        {"attention.output.LayerNorm.", "sa_layer_norm."},
        {"intermediate.dense.", "ffn.lin1."},
        {"output.dense.", "ffn.lin2."},
        {"output.LayerNorm.", "output_layer_norm."},
    };

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

    /** Whether checkpoints of the family hold a token type embedding (DistilBERT's do not). */
    public boolean tokenTypes() {
        return this != DISTILBERT;
    }

    /**
     * The name a tensor has in the family's checkpoints, from its name in BERT's ({@code BertModel}'s,
     * which gold's encoder uses for every family).
     *
     * @param bertName e.g. {@code encoder.layer.0.attention.self.query.weight}
     * @return e.g. {@code transformer.layer.0.attention.q_lin.weight} for DistilBERT; the same name otherwise
     */
    public String checkpointName(String bertName) {
        if (this != DISTILBERT || !bertName.startsWith("encoder.layer.")) {
            return bertName;
        }
        int dot = bertName.indexOf('.', "encoder.layer.".length());
        String index = bertName.substring("encoder.layer.".length(), dot + 1);
        String rest = bertName.substring(dot + 1);
        for (String[] pair : DISTILBERT_LAYER) {
            if (rest.startsWith(pair[0])) {
                return "transformer.layer." + index + pair[1] + rest.substring(pair[0].length());
            }
        }
        throw new IllegalArgumentException("no DistilBERT name for BERT tensor " + bertName);
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
