package ai.goldkd.loss;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Distributions over a small vocabulary as plain {@code float[]}, for teaching and for checking a loss
 * by hand: build one (a discretised Gaussian, a mixture), evaluate any {@link Divergence} between two,
 * or TAID's intermediate target. Every method checks its input and computes on the CPU.
 *
 * <pre>{@code
 * float[] teacher = Distributions.mixture(Distributions.gaussian(100, 30, 6), Distributions.gaussian(100, 72, 8), 0.6);
 * float[] student = Distributions.gaussian(100, 50, 20);
 * double kl = Distributions.divergence(Divergences.forwardKl(), teacher, student);   // KL(teacher || student)
 * }</pre>
 */
public final class Distributions {

    /** Probabilities are floored here before a log, so an exact zero stays finite. */
    static final double FLOOR = 1e-30;

    private Distributions() {}

    /**
     * A Gaussian discretised on the bins 0 .. bins-1: p_v proportional to exp(-(v - mean)^2 / (2 std^2)).
     *
     * @param bins the vocabulary size, >= 2
     * @param mean the centre, in bins (may lie outside the range)
     * @param std the width, in bins, > 0
     * @return the normalised distribution
     */
    public static float[] gaussian(int bins, double mean, double std) {
        if (bins < 2) {
            throw new IllegalArgumentException(
                    "bins = " + bins + " must be >= 2; a distribution over one token is" + " trivial (use e.g. 100)");
        }
        if (!(std > 0) || Double.isInfinite(std) || !Double.isFinite(mean)) {
            throw new IllegalArgumentException(
                    "mean = " + mean + ", std = " + std + ": need a finite mean and a finite std > 0, both in bins");
        }
        double[] logits = new double[bins];
        for (int v = 0; v < bins; v++) {
            logits[v] = -(v - mean) * (v - mean) / (2 * std * std);
        }
        return softmax(logits);
    }

    /**
     * The mixture w * a + (1 - w) * b.
     *
     * @param a the first distribution
     * @param b the second, same length
     * @param weightOfA w, in [0, 1]
     * @return the mixture
     */
    public static float[] mixture(float[] a, float[] b, double weightOfA) {
        check("a", a);
        check("b", b);
        sameLength(a, b);
        if (!(weightOfA >= 0 && weightOfA <= 1)) {
            throw new IllegalArgumentException("weightOfA = " + weightOfA + " must be in [0, 1]");
        }
        float[] out = new float[a.length];
        for (int v = 0; v < a.length; v++) {
            out[v] = (float) (weightOfA * a[v] + (1 - weightOfA) * b[v]);
        }
        return out;
    }

    /**
     * Logits whose softmax is p: log p, with zeros floored at 1e-30 so that they stay finite.
     *
     * @param p a distribution
     * @return log p, same length
     */
    public static float[] logits(float[] p) {
        check("p", p);
        float[] out = new float[p.length];
        for (int v = 0; v < p.length; v++) {
            out[v] = (float) Math.log(Math.max(FLOOR, p[v]));
        }
        return out;
    }

    /**
     * A divergence between two plain distributions, through the same code as training: the
     * distributions become logits (log p) and {@link Divergence#perToken} runs at temperature 1.
     *
     * @param divergence the divergence, e.g. {@link Divergences#forwardKl()} for KL(teacher || student)
     * @param teacher p, the teacher's distribution
     * @param student q, the student's, same length
     * @return the value, in nats for the KL-based ones
     */
    public static double divergence(Divergence divergence, float[] teacher, float[] student) {
        if (divergence == null) {
            throw new IllegalArgumentException("divergence is null; e.g. Divergences.forwardKl()");
        }
        check("teacher", teacher);
        check("student", student);
        sameLength(teacher, student);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray q = m.create(logits(student)).reshape(1, student.length); // (1, V)
            NDArray p = m.create(logits(teacher)).reshape(1, teacher.length); // (1, V)
            return divergence.perToken(q, p, 1f).getFloat(0);
        }
    }

    /**
     * TAID's intermediate target p_t between a student and a teacher ({@link Taid#target}).
     *
     * @param student q, the student's distribution
     * @param teacher p, the teacher's, same length
     * @param t the interpolation, in [0, 1]: 0 is the student, 1 the teacher
     * @param interpolation in logit space (the paper: a normalised geometric mixture) or in probabilities
     * @return p_t
     */
    public static float[] taidTarget(float[] student, float[] teacher, float t, Taid.Interpolation interpolation) {
        check("student", student);
        check("teacher", teacher);
        sameLength(teacher, student);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            return Taid.target(m.create(logits(student)), m.create(logits(teacher)), t, interpolation)
                    .toFloatArray();
        }
    }

    /**
     * The mean bin, sum_v v p_v.
     *
     * @param p a distribution
     * @return the mean, in bins
     */
    public static double mean(float[] p) {
        check("p", p);
        double mean = 0;
        for (int v = 0; v < p.length; v++) {
            mean += v * (double) p[v];
        }
        return mean;
    }

    /**
     * The standard deviation in bins.
     *
     * @param p a distribution
     * @return sqrt(sum_v (v - mean)^2 p_v)
     */
    public static double std(float[] p) {
        double mean = mean(p);
        double var = 0;
        for (int v = 0; v < p.length; v++) {
            var += (v - mean) * (v - mean) * p[v];
        }
        return Math.sqrt(var);
    }

    /** softmax of double logits, computed in double. */
    static float[] softmax(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double z : logits) {
            max = Math.max(max, z);
        }
        double sum = 0;
        double[] e = new double[logits.length];
        for (int v = 0; v < logits.length; v++) {
            e[v] = Math.exp(logits[v] - max);
            sum += e[v];
        }
        float[] out = new float[logits.length];
        for (int v = 0; v < logits.length; v++) {
            out[v] = (float) (e[v] / sum);
        }
        return out;
    }

    /** Checks that p is a distribution: at least 2 entries, each finite and >= 0, summing to 1 within 1e-3. */
    static void check(String name, float[] p) {
        if (p == null || p.length < 2) {
            throw new IllegalArgumentException(name + " has " + (p == null ? "no" : p.length)
                    + " entries; a distribution needs at least 2 (build one with Distributions.gaussian)");
        }
        double sum = 0;
        for (int v = 0; v < p.length; v++) {
            if (!(p[v] >= 0) || Float.isInfinite(p[v])) {
                throw new IllegalArgumentException(
                        name + "[" + v + "] = " + p[v] + " is not a probability; every entry must be finite and >= 0");
            }
            sum += p[v];
        }
        if (Math.abs(sum - 1) > 1e-3) {
            throw new IllegalArgumentException(
                    name + " sums to " + sum + ", not 1; normalise it first (divide by" + " the sum)");
        }
    }

    private static void sameLength(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("the distributions have " + a.length + " and " + b.length
                    + " entries; they must share one vocabulary (the same length)");
        }
    }
}
