package ai.goldkd.ood;

/**
 * A ProGen-style influence score, approximated at the student's last layer (TracIn with one
 * checkpoint, Pruthi et al. 2020). A gradient step on candidate z changes the loss over a reference
 * set R by about {@code -lr * grad L(z) . grad L(R)}; restricted to the last layer {@code logits = W h + b}
 * the gradients factor, so for all candidates at once
 *
 * <pre>
 *   influence(z) = g_z . (sum_r g_r) + g_z^T G h_z,    G = sum_r g_r h_r^T   (K x D)
 *   g            = dL/dlogits of the noise-robust loss L = a * CE + b * A * (1 - p_y)
 *               = a * (p - e_y) - b * A * p_y * (e_y - p)
 * </pre>
 *
 * Higher is more helpful: the candidate's step would lower the reference loss most. ProGen scores
 * influence on a noise-robust loss over the generated validation data; here R is all data generated
 * so far, and the loss is symmetric cross-entropy with {@code a = 0.1, b = 1}.
 */
public final class Influence {

    private static final float RCE_SCALE = (float) -Math.log(1e-4);
    private static final float ALPHA = 0.1f;
    private static final float BETA = 1f;

    private Influence() {}

    /**
     * Scores candidates.
     *
     * @param candidateLogits (N, K) the student's logits for the candidates
     * @param candidateFeatures (N, D) the features the last layer reads
     * @param candidateLabels (N) their labels
     * @param referenceLogits (M, K)
     * @param referenceFeatures (M, D)
     * @param referenceLabels (M)
     * @return N scores
     */
    public static double[] lastLayer(
            float[][] candidateLogits,
            float[][] candidateFeatures,
            int[] candidateLabels,
            float[][] referenceLogits,
            float[][] referenceFeatures,
            int[] referenceLabels) {
        int k = candidateLogits.length == 0 ? 0 : candidateLogits[0].length;
        int d = candidateFeatures.length == 0 ? 0 : candidateFeatures[0].length;
        double[][] big = new double[k][d];
        double[] biasSum = new double[k];
        for (int r = 0; r < referenceLogits.length; r++) {
            double[] g = outputGradient(referenceLogits[r], referenceLabels[r]);
            for (int i = 0; i < k; i++) {
                biasSum[i] += g[i];
                for (int j = 0; j < d; j++) {
                    big[i][j] += g[i] * referenceFeatures[r][j];
                }
            }
        }
        double[] out = new double[candidateLogits.length];
        for (int z = 0; z < out.length; z++) {
            double[] g = outputGradient(candidateLogits[z], candidateLabels[z]);
            double score = 0;
            for (int i = 0; i < k; i++) {
                double gh = 0;
                for (int j = 0; j < d; j++) {
                    gh += big[i][j] * candidateFeatures[z][j];
                }
                score += g[i] * (biasSum[i] + gh);
            }
            out[z] = score;
        }
        return out;
    }

    /**
     * The gradient of symmetric cross-entropy with respect to the logits.
     *
     * @param logits K logits
     * @param label the class
     * @return K values
     */
    static double[] outputGradient(float[] logits, int label) {
        double max = Double.NEGATIVE_INFINITY;
        for (float z : logits) {
            max = Math.max(max, z);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        double[] g = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            double onehot = i == label ? 1 : 0;
            g[i] = ALPHA * (p[i] - onehot) - BETA * RCE_SCALE * p[label] * (onehot - p[i]);
        }
        return g;
    }
}
