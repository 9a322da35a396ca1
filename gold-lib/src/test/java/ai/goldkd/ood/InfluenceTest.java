package ai.goldkd.ood;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InfluenceTest {

    private static final double ALPHA = 0.1;
    private static final double BETA = 1.0;
    private static final double A = -Math.log(1e-4);

    /**
     * Symmetric cross-entropy written out: alpha * CE + beta * RCE with RCE = -sum_k p_k ln(clamp(onehot_k, 1e-4, 1)).
     */
    private static double sce(double[] z, int y) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : z) {
            sum += Math.exp(v - max);
        }
        double logZ = max + Math.log(sum);
        double ce = logZ - z[y];
        double rce = 0;
        for (int k = 0; k < z.length; k++) {
            double p = Math.exp(z[k] - logZ);
            rce -= p * Math.log(k == y ? 1.0 : 1e-4);
        }
        return ALPHA * ce + BETA * rce;
    }

    @Test
    void outputGradientMatchesAFiniteDifferenceOfTheSceLoss() {
        float[][] logits = {
            {0.3f, -1.2f, 2.0f, 0.5f}, {4f, -3f, 0f, 1f}, {-0.7f, -0.7f, -0.7f, -0.7f}, {10f, 9.5f, -10f, 0f}
        };
        int[][] labels = {{0, 2, 3}, {0, 1}, {2}, {1, 2}};
        double h = 1e-5;
        for (int s = 0; s < logits.length; s++) {
            for (int y : labels[s]) {
                double[] g = Influence.outputGradient(logits[s], y);
                assertEquals(logits[s].length, g.length);
                double norm = 0;
                for (int k = 0; k < g.length; k++) {
                    double[] plus = toDouble(logits[s]);
                    double[] minus = toDouble(logits[s]);
                    plus[k] += h;
                    minus[k] -= h;
                    double numeric = (sce(plus, y) - sce(minus, y)) / (2 * h);
                    assertEquals(
                            numeric,
                            g[k],
                            1e-6 + 1e-5 * Math.abs(numeric),
                            "sample " + s + ", label " + y + ", logit " + k);
                    norm += Math.abs(g[k]);
                }
                assertTrue(norm > 1e-3, "a trivially zero gradient for sample " + s);
            }
        }
    }

    @Test
    void theSceGradientHasTheReverseTermWeightedByA() {
        // Uniform logits over K = 2 classes: p = (1/2, 1/2), label 0:
        // g_0 = alpha (p0 - 1) - beta A p0 (1 - p0) = -alpha/2 - A/4; g_1 = alpha/2 + A/4.
        double[] g = Influence.outputGradient(new float[] {0f, 0f}, 0);
        // (The code keeps alpha and A as floats: agreement to float precision.)
        assertEquals(-ALPHA / 2 - A / 4, g[0], 1e-6);
        assertEquals(ALPHA / 2 + A / 4, g[1], 1e-6);
    }

    @Test
    void aCandidateLikeTheReferenceSamplesHelpsAndItsFlippedLabelHurts() {
        float[][] refLogits = {{1.5f, -0.5f}, {0.2f, 0.1f}, {2.5f, 0.3f}};
        float[][] refFeatures = {{1f, 0.5f, 0.2f}, {0.8f, 0.4f, 0.3f}, {1.2f, 0.6f, 0.1f}};
        int[] refLabels = {0, 0, 0};
        float[][] candLogits = {refLogits[0], refLogits[0], refLogits[1], refLogits[1]};
        float[][] candFeatures = {refFeatures[0], refFeatures[0], refFeatures[1], refFeatures[1]};
        int[] candLabels = {0, 1, 0, 1};
        double[] scores = Influence.lastLayer(candLogits, candFeatures, candLabels, refLogits, refFeatures, refLabels);
        assertEquals(4, scores.length);
        assertTrue(scores[0] > 0, "an identical candidate should help: " + scores[0]);
        assertTrue(scores[1] < 0, "the flipped label should hurt: " + scores[1]);
        assertTrue(scores[2] > 0, "an identical candidate should help: " + scores[2]);
        assertTrue(scores[3] < 0, "the flipped label should hurt: " + scores[3]);
    }

    @Test
    void scoresAreTheDotProductOfFullLastLayerGradients() {
        // influence(z) = sum_r <dL_z/dW, dL_r/dW> + <dL_z/db, dL_r/db>, with dL/dW = g h^T and dL/db = g.
        Random r = new Random(9);
        int k = 3;
        int d = 5;
        float[][] refLogits = randomMatrix(r, 7, k, 2f);
        float[][] refFeatures = randomMatrix(r, 7, d, 1f);
        int[] refLabels = new int[7];
        for (int i = 0; i < refLabels.length; i++) {
            refLabels[i] = r.nextInt(k);
        }
        float[][] candLogits = randomMatrix(r, 4, k, 2f);
        float[][] candFeatures = randomMatrix(r, 4, d, 1f);
        int[] candLabels = {0, 1, 2, 1};
        double[] scores = Influence.lastLayer(candLogits, candFeatures, candLabels, refLogits, refFeatures, refLabels);
        for (int z = 0; z < 4; z++) {
            double[] gz = Influence.outputGradient(candLogits[z], candLabels[z]);
            double expected = 0;
            for (int ref = 0; ref < refLogits.length; ref++) {
                double[] gr = Influence.outputGradient(refLogits[ref], refLabels[ref]);
                for (int i = 0; i < k; i++) {
                    expected += gz[i] * gr[i];
                    for (int j = 0; j < d; j++) {
                        expected += gz[i] * candFeatures[z][j] * gr[i] * refFeatures[ref][j];
                    }
                }
            }
            assertEquals(expected, scores[z], 1e-9 + 1e-9 * Math.abs(expected), "candidate " + z);
        }
        // No reference data: no influence.
        double[] none =
                Influence.lastLayer(candLogits, candFeatures, candLabels, new float[0][], new float[0][], new int[0]);
        for (double s : none) {
            assertEquals(0.0, s);
        }
    }

    private static float[][] randomMatrix(Random r, int n, int m, float scale) {
        float[][] out = new float[n][m];
        for (float[] row : out) {
            for (int j = 0; j < m; j++) {
                row[j] = (float) (r.nextGaussian() * scale);
            }
        }
        return out;
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
