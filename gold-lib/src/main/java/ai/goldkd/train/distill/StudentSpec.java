package ai.goldkd.train.distill;

import ai.djl.Model;
import ai.goldkd.model.CausalLm;
import ai.goldkd.model.Checkpoint;
import ai.goldkd.model.TransformerConfig;
import ai.goldkd.model.hf.HfCheckpoint;
import ai.goldkd.tokenizer.Tokenizer;
import ai.goldkd.tokenizer.Tokenizers;

/**
 * The student of a {@link DistillRun}: a saved checkpoint to start from, or the shape of a fresh
 * byte-level (or teacher-tokenizer) transformer.
 *
 * @param init a checkpoint directory to start from ({@code ~} expanded): gold's own, or a Hugging Face model
 *     directory ({@code hf:DIR} or a plain path), or null for a fresh model
 * @param layers transformer layers of a fresh model, >= 1
 * @param dim its width, >= 1
 * @param heads its attention heads, dividing dim
 * @param mlp its MLP width, >= 1
 * @param context its context in tokens, >= 2
 */
public record StudentSpec(String init, int layers, int dim, int heads, int mlp, int context) {

    /** Checks the shape's numbers and names the bad one. */
    public StudentSpec {
        if (init != null && init.isBlank()) {
            init = null;
        }
        if (layers < 1 || dim < 1 || heads < 1 || mlp < 1 || context < 2) {
            throw new IllegalArgumentException("student shape layers " + layers + ", dim " + dim + ", heads " + heads
                    + ", mlp " + mlp + ", context " + context + ": every number must be >= 1 (context >= 2)");
        }
        if (dim % heads != 0) {
            throw new IllegalArgumentException(
                    "student dim " + dim + " is not a multiple of heads " + heads + "; pick heads that divide dim");
        }
    }

    /** A fresh 2-layer student of width 96, 4 heads, MLP 384, context 192. */
    public static StudentSpec defaults() {
        return shape(2, 96, 4, 4 * 96, 192);
    }

    /**
     * A fresh model of a shape.
     *
     * @param layers transformer layers
     * @param dim width
     * @param heads attention heads
     * @param mlp MLP width
     * @param context context in tokens
     * @return the spec
     */
    public static StudentSpec shape(int layers, int dim, int heads, int mlp, int context) {
        return new StudentSpec(null, layers, dim, heads, mlp, context);
    }

    /**
     * A saved checkpoint to start from.
     *
     * @param dir the checkpoint directory
     * @return the spec (its shape fields are the defaults' and are not used)
     */
    public static StudentSpec fromCheckpoint(String dir) {
        StudentSpec d = defaults();
        return new StudentSpec(dir, d.layers, d.dim, d.heads, d.mlp, d.context);
    }

    /**
     * Builds the student into a model: loads the checkpoint, or sets a fresh (uninitialised) block with
     * the given tokenizer's vocabulary.
     *
     * @param model the model to set the block of
     * @param tokenizer the fresh model's tokenizer (the teacher's, for token-level KD), or null for bytes
     * @return the student's tokenizer
     */
    public Tokenizer build(Model model, Tokenizer tokenizer) {
        if (init != null && (init.startsWith(HfCheckpoint.SCHEME) || !Checkpoint.exists(Checkpoint.path(init)))) {
            // a Hugging Face directory (hf:DIR or a path); a hub id fails naming the offline machine
            HfCheckpoint hf = HfCheckpoint.load(init, model.getNDManager(), HfCheckpoint.Options.defaults());
            model.setBlock(hf.model());
            return hf.tokenizer();
        }
        if (init != null) {
            Checkpoint c = Checkpoint.load(Checkpoint.path(init), model.getNDManager());
            model.setBlock(c.languageModel());
            return c.tokenizer();
        }
        Tokenizer t = tokenizer != null ? tokenizer : Tokenizers.bytes();
        model.setBlock(new CausalLm(new TransformerConfig(
                layers,
                dim,
                heads,
                mlp,
                t.vocabSize(),
                context,
                0f,
                TransformerConfig.defaults().positions(),
                true)));
        return t;
    }
}
