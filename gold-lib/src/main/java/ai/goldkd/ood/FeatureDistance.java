package ai.goldkd.ood;

import java.util.Arrays;

/**
 * OOD scores in a student's feature space, for what energy cannot see (a confidently labelled bag of
 * words). Higher is more out-of-distribution, as with energy, so they plug into {@link NoiseAudit} and
 * {@link NoiseFilter} unchanged.
 *
 * <pre>
 *   Mahalanobis (Lee et al., 2018; tied covariance):
 *     mu_k  = mean of f_i over y_i = k
 *     S     = 1/N sum_i (f_i - mu_{y_i})(f_i - mu_{y_i})^T
 *     Sigma = S + ridge * (trace(S) / D) I                       the ridge relative to the mean variance
 *     m(x)  = min_k (f(x) - mu_k)^T Sigma^-1 (f(x) - mu_k)       label-free
 *     m_y(x) = (f(x) - mu_y)^T Sigma^-1 (f(x) - mu_y)            with its own label y
 *   k-nearest neighbours (Sun et al., 2022):
 *     z = f / ||f||,   d_k(x) = || z(x) - z_(k) ||   the k-th nearest other sample
 * </pre>
 */
public final class FeatureDistance {

    private FeatureDistance() {}

    /**
     * Mahalanobis distances to the class means of the same samples, with a tied covariance.
     *
     * @param features (N, D) each sample's features
     * @param labels each sample's label, in [0, classes)
     * @param classes the number of classes
     * @param ownLabel true for the distance to the sample's own label's mean, false for the nearest mean
     * @param ridge added to the covariance's diagonal as a share of its mean diagonal, > 0 (features are often
     *     rank-deficient; 1e-3 suits most)
     * @return (N) squared distances
     */
    public static float[] mahalanobis(float[][] features, int[] labels, int classes, boolean ownLabel, double ridge) {
        int n = features.length;
        if (n == 0 || labels.length != n) {
            throw new IllegalArgumentException(
                    n + " feature rows and " + labels.length + " labels; give one label per row");
        }
        if (!(ridge > 0)) {
            throw new IllegalArgumentException("ridge must be > 0, got " + ridge);
        }
        int d = features[0].length;
        double[][] mean = new double[classes][d];
        int[] count = new int[classes];
        for (int i = 0; i < n; i++) {
            int y = labels[i];
            if (y < 0 || y >= classes) {
                throw new IllegalArgumentException("label " + y + " is outside [0, " + classes + ")");
            }
            count[y]++;
            for (int j = 0; j < d; j++) {
                mean[y][j] += features[i][j];
            }
        }
        for (int k = 0; k < classes; k++) {
            for (int j = 0; j < d; j++) {
                mean[k][j] /= Math.max(1, count[k]);
            }
        }
        double[][] cov = new double[d][d];
        double[] centred = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                centred[j] = features[i][j] - mean[labels[i]][j];
            }
            for (int a = 0; a < d; a++) {
                double ca = centred[a];
                double[] row = cov[a];
                for (int b = 0; b <= a; b++) {
                    row[b] += ca * centred[b];
                }
            }
        }
        double trace = 0;
        for (int a = 0; a < d; a++) {
            for (int b = 0; b <= a; b++) {
                cov[a][b] /= n;
                cov[b][a] = cov[a][b];
            }
            trace += cov[a][a];
        }
        double added = ridge * Math.max(trace / d, Double.MIN_NORMAL);
        for (int a = 0; a < d; a++) {
            cov[a][a] += added;
        }
        double[][] chol = cholesky(cov);
        float[] out = new float[n];
        double[] diff = new double[d];
        for (int i = 0; i < n; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                if (count[k] == 0 || (ownLabel && k != labels[i])) {
                    continue;
                }
                for (int j = 0; j < d; j++) {
                    diff[j] = features[i][j] - mean[k][j];
                }
                best = Math.min(best, squaredNorm(solveLower(chol, diff)));
            }
            out[i] = (float) best;
        }
        return out;
    }

    /**
     * The distance of each sample to its k-th nearest other sample, on unit-length features.
     *
     * @param features (N, D) each sample's features
     * @param k which neighbour, in [1, N)
     * @return (N) distances
     */
    public static float[] knn(float[][] features, int k) {
        int n = features.length;
        if (k < 1 || k >= n) {
            throw new IllegalArgumentException("k must be in [1, " + n + ") for " + n + " samples, got " + k);
        }
        int d = features[0].length;
        float[][] z = new float[n][];
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (float v : features[i]) {
                norm += (double) v * v;
            }
            double scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
            z[i] = new float[d];
            for (int j = 0; j < d; j++) {
                z[i][j] = (float) (features[i][j] * scale);
            }
        }
        float[] out = new float[n];
        double[] distances = new double[n - 1];
        for (int i = 0; i < n; i++) {
            int at = 0;
            for (int o = 0; o < n; o++) {
                if (o == i) {
                    continue;
                }
                double dot = 0;
                for (int j = 0; j < d; j++) {
                    dot += z[i][j] * z[o][j];
                }
                distances[at++] = Math.sqrt(Math.max(0, 2 - 2 * dot));
            }
            Arrays.sort(distances);
            out[i] = (float) distances[k - 1];
        }
        return out;
    }

    private static double squaredNorm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return s;
    }

    /** The lower factor L of a symmetric positive definite matrix, A = L L^T. */
    private static double[][] cholesky(double[][] a) {
        int d = a.length;
        double[][] l = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int m = 0; m < j; m++) {
                    s -= l[i][m] * l[j][m];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        throw new IllegalArgumentException(
                                "the covariance is not positive definite at " + i + "; use a larger ridge");
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        return l;
    }

    /** x with L x = b (forward substitution); then ||x||^2 = b^T A^-1 b. */
    private static double[] solveLower(double[][] l, double[] b) {
        int d = b.length;
        double[] x = new double[d];
        for (int i = 0; i < d; i++) {
            double s = b[i];
            for (int m = 0; m < i; m++) {
                s -= l[i][m] * x[m];
            }
            x[i] = s / l[i][i];
        }
        return x;
    }
}
