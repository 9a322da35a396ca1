package ai.goldkd.student;

/**
 * The shape and training settings of a {@link BagOfNgramsStudent}.
 *
 * @param buckets hashed feature buckets (word unigrams and bigrams share them), at least 16
 * @param dim embedding width, at least 1
 * @param maxFeatures the most features read per text (longer texts are cut), at least 1
 * @param learningRate Adam's step size
 * @param weightDecay decoupled weight decay (AdamW), >= 0
 * @param batch texts per step, at least 1
 * @param sceAlpha the cross-entropy weight of the training loss
 * @param sceBeta the reverse cross-entropy weight; 0 trains on plain cross-entropy
 */
public record StudentConfig(
        int buckets,
        int dim,
        int maxFeatures,
        float learningRate,
        float weightDecay,
        int batch,
        float sceAlpha,
        float sceBeta) {

    /** Checks every field and names the bad value. */
    public StudentConfig {
        if (buckets < 16) {
            throw new IllegalArgumentException("buckets must be >= 16, got " + buckets + "; 65536 is the default");
        }
        if (dim < 1 || maxFeatures < 1 || batch < 1) {
            throw new IllegalArgumentException(
                    "dim, maxFeatures and batch must be >= 1, got " + dim + ", " + maxFeatures + ", " + batch);
        }
        if (!(learningRate > 0f) || !(weightDecay >= 0f)) {
            throw new IllegalArgumentException(
                    "learningRate must be > 0 and weightDecay >= 0, got " + learningRate + ", " + weightDecay);
        }
        if (!(sceAlpha >= 0f) || !(sceBeta >= 0f) || sceAlpha + sceBeta == 0f) {
            throw new IllegalArgumentException("sceAlpha and sceBeta must be >= 0 and not both 0, got " + sceAlpha
                    + ", " + sceBeta + "; use 1 and 0 for cross-entropy");
        }
    }

    /** 65,536 buckets, width 32, 400 features, Adam at 0.01, batch 32, cross-entropy (width 64 measured no better, at twice the time). */
    public static StudentConfig defaults() {
        return new StudentConfig(1 << 16, 32, 400, 0.01f, 0f, 32, 1f, 0f);
    }

    /** @return a copy trained on symmetric cross-entropy with these weights */
    public StudentConfig withLoss(float alpha, float beta) {
        return new StudentConfig(buckets, dim, maxFeatures, learningRate, weightDecay, batch, alpha, beta);
    }

    /** @return a copy with another learning rate */
    public StudentConfig withLearningRate(float value) {
        return new StudentConfig(buckets, dim, maxFeatures, value, weightDecay, batch, sceAlpha, sceBeta);
    }
}
