package ai.goldkd.offline;

import ai.goldkd.data.Sha256;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Everything that decides what {@link TransformerTeacher#build} makes: the data (by SHA-256), the word
 * vocabulary, the model's shape, the training run and {@link #VERSION}, the version of the build code.
 * Two equal recipes give the same model (on one thread), so a built teacher is cached under the recipe's
 * {@link #hash()}.
 *
 * @param dataSha256 the SHA-256 of the training data file, in hex
 * @param vocab the most word ids, the tokenizer's 4 special tokens included (label tokens come on top)
 * @param docTokens the most tokens of one training review (label and end token excluded): a review is cut
 *     after its last sentence end within this many tokens, so the model writes reviews of about that length
 * @param layers transformer layers
 * @param dim the model width
 * @param heads attention heads, dividing {@code dim}
 * @param mlp the MLP width
 * @param context the longest sequence in tokens: consecutive reviews are packed into it, so the model
 *     learns to read earlier reviews (the prompt's examples, at generation) before writing
 * @param steps optimizer steps, each of {@code batch} sequences
 * @param batch sequences per step
 * @param learningRate AdamW's peak learning rate (cosine decay to a tenth, 5% warm-up)
 * @param seed the seed of initialisation and batch order
 */
public record TransformerRecipe(
        String dataSha256,
        int vocab,
        int docTokens,
        int layers,
        int dim,
        int heads,
        int mlp,
        int context,
        int steps,
        int batch,
        float learningRate,
        long seed) {

    /** The version of the build code; bump it when the build changes what it writes. */
    public static final int VERSION = 1;

    /** Checks every field and names the bad value. */
    public TransformerRecipe {
        if (dataSha256 == null || !dataSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("dataSha256 must be 64 lower-case hex digits, got " + dataSha256);
        }
        if (vocab < 16) {
            throw new IllegalArgumentException("vocab must be >= 16, got " + vocab + "; try 8192");
        }
        if (docTokens < 8) {
            throw new IllegalArgumentException("docTokens must be >= 8, got " + docTokens + "; try 96");
        }
        if (context < docTokens + 3) {
            throw new IllegalArgumentException("context " + context + " must hold one review: at least docTokens + 3 = "
                    + (docTokens + 3) + " (BOS, label, review, EOS); raise context or lower docTokens");
        }
        if (layers < 1 || dim < 1 || heads < 1 || mlp < 1 || dim % heads != 0) {
            throw new IllegalArgumentException("layers " + layers + ", dim " + dim + ", heads " + heads + ", mlp " + mlp
                    + ": all must be >= 1 and heads must divide dim; try 2, 128, 4, 512");
        }
        if (steps < 1 || batch < 1) {
            throw new IllegalArgumentException("steps " + steps + " and batch " + batch + " must be >= 1");
        }
        if (!(learningRate > 0 && learningRate < 1)) {
            throw new IllegalArgumentException("learningRate must be in (0, 1), got " + learningRate + "; try 0.002");
        }
    }

    /**
     * The default recipe for a data file, sized to build in under 10 minutes on one contended CPU core.
     *
     * @param dataSha256 the file's SHA-256
     * @return 8,192 word ids, reviews of up to 96 tokens, 2 layers of width 128 (4 heads, MLP 512), context
     *     256, 400 steps of 16 sequences (0.66 epochs of the cut TRAIN reviews) at learning rate 0.002, seed 1
     */
    public static TransformerRecipe defaults(String dataSha256) {
        return new TransformerRecipe(dataSha256, 8192, 96, 2, 128, 4, 512, 256, 400, 16, 0.002f, 1);
    }

    /** @return a copy with another model shape */
    public TransformerRecipe withShape(int newLayers, int newDim, int newHeads, int newMlp) {
        return new TransformerRecipe(
                dataSha256,
                vocab,
                docTokens,
                newLayers,
                newDim,
                newHeads,
                newMlp,
                context,
                steps,
                batch,
                learningRate,
                seed);
    }

    /** @return a copy with another training run */
    public TransformerRecipe withTraining(int newSteps, int newBatch, float newLearningRate) {
        return new TransformerRecipe(
                dataSha256,
                vocab,
                docTokens,
                layers,
                dim,
                heads,
                mlp,
                context,
                newSteps,
                newBatch,
                newLearningRate,
                seed);
    }

    /** @return a copy with other text sizes */
    public TransformerRecipe withText(int newVocab, int newDocTokens, int newContext) {
        return new TransformerRecipe(
                dataSha256,
                newVocab,
                newDocTokens,
                layers,
                dim,
                heads,
                mlp,
                newContext,
                steps,
                batch,
                learningRate,
                seed);
    }

    /** @return a copy with another seed */
    public TransformerRecipe withSeed(long value) {
        return new TransformerRecipe(
                dataSha256, vocab, docTokens, layers, dim, heads, mlp, context, steps, batch, learningRate, value);
    }

    /** The recipe as one canonical line, {@link #VERSION} first: what {@link #hash()} digests. */
    public String canonical() {
        return String.format(
                Locale.ROOT,
                "transformer v%d data=%s vocab=%d docTokens=%d layers=%d dim=%d heads=%d"
                        + " mlp=%d context=%d steps=%d batch=%d lr=%s seed=%d",
                VERSION,
                dataSha256,
                vocab,
                docTokens,
                layers,
                dim,
                heads,
                mlp,
                context,
                steps,
                batch,
                Float.toString(learningRate),
                seed);
    }

    /** The first 12 hex digits of the SHA-256 of {@link #canonical()}: the cache directory's suffix. */
    public String hash() {
        return Sha256.hex(canonical().getBytes(StandardCharsets.UTF_8)).substring(0, 12);
    }
}
