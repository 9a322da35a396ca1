package ai.goldkd.loss;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.goldkd.nd.Scalars;

/**
 * A one-mode student fitted to a teacher by gradient descent through a {@link Divergence}: the
 * textbook picture of mode covering (forward KL) and mode seeking (reverse KL), computed with the
 * same loss code as training.
 *
 * <pre>
 *   student logits  z_v = -(v - mean)^2 / (2 std^2),   v = 0 .. V-1,   q = softmax(z)
 *   parameters      mean, log std;   minimise Div(p || q) with Adam (cosine-decayed step size)
 * </pre>
 *
 * <p>Under forward KL the optimum matches the teacher's mean and variance exactly (q is an exponential
 * family in v and v^2), so a two-mode teacher gets a wide student between its modes; under reverse KL
 * the student settles on one mode, the one its start leads it to.
 *
 * @param mean the fitted centre, in bins
 * @param std the fitted width parameter, in bins
 * @param distribution the fitted q
 * @param loss the divergence at the end
 * @param steps the optimizer steps taken
 */
public record GaussianFit(double mean, double std, float[] distribution, double loss, int steps) {

    /** Adam's step size at the start; it decays to a twentieth by a cosine. */
    private static final double STEP = 0.05;

    /**
     * Fits the student.
     *
     * @param divergence what to minimise, with the teacher as p and the student as q
     * @param teacher p, over V bins
     * @param startMean the student's first centre, in bins
     * @param startStd the student's first width, in bins, > 0
     * @param steps Adam steps, >= 1 (a few hundred converge on 100 bins)
     * @return the fitted student
     */
    public static GaussianFit fit(
            Divergence divergence, float[] teacher, double startMean, double startStd, int steps) {
        if (divergence == null) {
            throw new IllegalArgumentException("divergence is null; e.g. Divergences.reverseKl()");
        }
        Distributions.check("teacher", teacher);
        if (steps < 1) {
            throw new IllegalArgumentException("steps = " + steps + " must be >= 1; a few hundred converge");
        }
        Distributions.gaussian(teacher.length, startMean, startStd); // checks the start
        int bins = teacher.length;
        // The mean is optimised in units of the vocabulary size, so one step size suits both parameters.
        double[] theta = {startMean / bins, Math.log(startStd)};
        double[] m1 = new double[2];
        double[] m2 = new double[2];
        double loss = Double.NaN;
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray v = manager.arange(0f, (float) bins).reshape(1, bins); // (1, V)
            NDArray p = manager.create(Distributions.logits(teacher)).reshape(1, bins); // (1, V)
            for (int step = 1; step <= steps; step++) {
                double[] grad = new double[2];
                try (NDManager scope = manager.newSubManager()) {
                    NDArray mean = scope.create(new float[] {(float) theta[0]});
                    NDArray logStd = scope.create(new float[] {(float) theta[1]});
                    mean.setRequiresGradient(true);
                    logStd.setRequiresGradient(true);
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray centre = Scalars.mul(mean, bins); // (1)
                        NDArray z = v.sub(centre)
                                .square()
                                .div(Scalars.mul(Scalars.mul(logStd, 2).exp(), 2))
                                .neg(); // (1, V)
                        NDArray value = divergence.perToken(z, p, 1f).sum(); // ()
                        collector.backward(value);
                        loss = value.getFloat();
                    }
                    grad[0] = mean.getGradient().getFloat(0);
                    grad[1] = logStd.getGradient().getFloat(0);
                }
                double lr = STEP * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * (step - 1) / steps)));
                for (int i = 0; i < 2; i++) {
                    m1[i] = 0.9 * m1[i] + 0.1 * grad[i];
                    m2[i] = 0.999 * m2[i] + 0.001 * grad[i] * grad[i];
                    double h1 = m1[i] / (1 - Math.pow(0.9, step));
                    double h2 = m2[i] / (1 - Math.pow(0.999, step));
                    theta[i] -= lr * h1 / (Math.sqrt(h2) + 1e-8);
                }
            }
        }
        double mean = theta[0] * bins;
        double std = Math.exp(theta[1]);
        float[] q = Distributions.gaussian(bins, mean, std);
        return new GaussianFit(mean, std, q, Distributions.divergence(divergence, teacher, q), steps);
    }
}
