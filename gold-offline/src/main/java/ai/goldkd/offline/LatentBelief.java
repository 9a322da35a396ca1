package ai.goldkd.offline;

/**
 * How the offline teachers' prompt examples move a belief over latent classes (IMDB topics, arithmetic
 * families), shared by {@link LatentTopicTeacher} and {@link ArithmeticWriter}:
 *
 * <pre>
 *   q       = mean over the m examples of their posterior over the K classes
 *   plain   : belief = (1 - r) prior + r q,  prior proportional to f^(1 / priorTemperature), r = m / (m + evidence)
 *   clearly different: belief proportional to f (1 - q)       (away from the examples' classes)
 *   sampling: belief^(1 / T), normalised; T = 0 puts all mass on the most likely class
 * </pre>
 *
 * where f is the classes' frequency in the training data.
 */
final class LatentBelief {

    private LatentBelief() {}

    /**
     * The weights to draw a class from.
     *
     * @param frequency f, the classes' training frequency
     * @param posteriorSum the sum over the examples of their posteriors (length K)
     * @param examples m, how many examples were read (0: the prior alone)
     * @param clearlyDifferent whether the prompt asks for something clearly different
     * @param priorTemperature flattens (> 1) or sharpens (< 1) the prior
     * @param evidence how many examples weigh as much as the prior
     * @param temperature the request's sampling temperature
     * @return the weights, summing to 1
     */
    static double[] weights(
            double[] frequency,
            double[] posteriorSum,
            int examples,
            boolean clearlyDifferent,
            double priorTemperature,
            double evidence,
            float temperature) {
        int k = frequency.length;
        double[] f = frequency;
        double[] q = posteriorSum;
        int m = examples;
        double[] belief = new double[k];
        if (clearlyDifferent) {
            for (int t = 0; t < k; t++) {
                belief[t] = f[t] * (1 - (m == 0 ? 0 : q[t] / m));
            }
        } else {
            double[] prior = new double[k];
            for (int t = 0; t < k; t++) {
                prior[t] = Math.pow(f[t], 1 / priorTemperature);
            }
            normalise(prior);
            double r = m / (m + evidence);
            for (int t = 0; t < k; t++) {
                belief[t] = (1 - r) * prior[t] + (m == 0 ? 0 : r * q[t] / m);
            }
        }
        normalise(belief);
        if (temperature == 0f) {
            int best = 0;
            for (int t = 1; t < k; t++) {
                if (belief[t] > belief[best]) {
                    best = t;
                }
            }
            double[] oneHot = new double[k];
            oneHot[best] = 1;
            return oneHot;
        }
        for (int t = 0; t < k; t++) {
            belief[t] = Math.pow(belief[t], 1.0 / temperature);
        }
        normalise(belief);
        return belief;
    }

    private static void normalise(double[] p) {
        double sum = 0;
        for (double x : p) {
            sum += x;
        }
        for (int i = 0; i < p.length; i++) {
            p[i] = sum > 0 ? p[i] / sum : 1.0 / p.length;
        }
    }
}
