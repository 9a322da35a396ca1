package ai.goldkd.stats;

/**
 * Student's t distribution: its distribution function, two-sided tail probability and quantiles, for
 * any positive degrees of freedom (Welch's test gives fractional ones).
 *
 * <p>The distribution function goes through the regularized incomplete beta function,
 * {@code P(|T| > t) = I_x(df/2, 1/2)} with {@code x = df / (df + t^2)}, evaluated by its continued
 * fraction; quantiles invert it by bisection, which is slow next to a closed form but exact to the
 * last digits that matter for a report and has no case that diverges.
 */
public final class StudentT {

    private static final double EPS = 1e-15;
    private static final double TINY = 1e-300;

    private StudentT() {}

    /**
     * The probability that T is at most t.
     *
     * @param t the value
     * @param df the degrees of freedom, > 0
     * @return {@code P(T <= t)}
     */
    public static double cdf(double t, double df) {
        checkDf(df);
        if (Double.isNaN(t)) {
            return Double.NaN;
        }
        double tail = 0.5 * twoSided(Math.abs(t), df);
        return t >= 0 ? 1 - tail : tail;
    }

    /**
     * The two-sided tail probability, the p-value of a t statistic.
     *
     * @param t the statistic
     * @param df the degrees of freedom, > 0
     * @return P(|T| >= |t|)
     */
    public static double twoSidedP(double t, double df) {
        checkDf(df);
        return Double.isNaN(t) ? Double.NaN : twoSided(Math.abs(t), df);
    }

    /**
     * The p-quantile: the t with {@code P(T <= t) = p}.
     *
     * @param p the probability, in (0, 1)
     * @param df the degrees of freedom, > 0
     * @return the quantile
     */
    public static double quantile(double p, double df) {
        checkDf(df);
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("p = " + p + " must lie strictly between 0 and 1");
        }
        if (p == 0.5) {
            return 0;
        }
        if (p < 0.5) {
            return -quantile(1 - p, df);
        }
        // The upper tail 1 - p is what cdf computes accurately; bracket, then halve the bracket.
        double target = 2 * (1 - p);
        double lo = 0;
        double hi = 1;
        while (twoSided(hi, df) > target) {
            lo = hi;
            hi *= 2;
        }
        for (int i = 0; i < 200 && hi - lo > 1e-14 * Math.max(1, hi); i++) {
            double mid = 0.5 * (lo + hi);
            if (twoSided(mid, df) > target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    private static double twoSided(double absT, double df) {
        if (Double.isInfinite(absT)) {
            return 0;
        }
        return regularizedBeta(df / (df + absT * absT), df / 2, 0.5);
    }

    /**
     * The regularized incomplete beta function I_x(a, b).
     *
     * @param x the upper limit, in [0, 1]
     * @param a the first shape, > 0
     * @param b the second shape, > 0
     * @return I_x(a, b)
     */
    static double regularizedBeta(double x, double a, double b) {
        if (x <= 0) {
            return 0;
        }
        if (x >= 1) {
            return 1;
        }
        double logFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
        // The continued fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise.
        if (x < (a + 1) / (a + b + 2)) {
            return Math.exp(logFront) * betaFraction(x, a, b) / a;
        }
        return 1 - Math.exp(logFront) * betaFraction(1 - x, b, a) / b;
    }

    /** The continued fraction of the incomplete beta function, evaluated by the modified Lentz method. */
    private static double betaFraction(double x, double a, double b) {
        double c = 1;
        double d = 1 - (a + b) * x / (a + 1);
        d = 1 / nonZero(d);
        double h = d;
        for (int m = 1; m <= 1000; m++) {
            // the even step d_{2m}, then the odd step d_{2m+1} of the fraction's coefficients
            double even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
            d = 1 / nonZero(1 + even * d);
            c = nonZero(1 + even / c);
            h *= d * c;
            double odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
            d = 1 / nonZero(1 + odd * d);
            c = nonZero(1 + odd / c);
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < EPS) {
                return h;
            }
        }
        return h;
    }

    private static double nonZero(double v) {
        return Math.abs(v) < TINY ? TINY : v;
    }

    /**
     * The natural log of the gamma function for x > 0 (Lanczos' approximation, g = 7, nine terms;
     * relative error below 1e-15).
     *
     * @param x the argument, > 0
     * @return ln Gamma(x)
     */
    static double logGamma(double x) {
        if (x < 0.5) {
            // reflection: Gamma(x) Gamma(1 - x) = pi / sin(pi x)
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        double[] c = {
            0.99999999999980993,
            676.5203681218851,
            -1259.1392167224028,
            771.32342877765313,
            -176.61502916214059,
            12.507343278686905,
            -0.13857109526572012,
            9.9843695780195716e-6,
            1.5056327351493116e-7
        };
        double z = x - 1;
        double sum = c[0];
        for (int i = 1; i < c.length; i++) {
            sum += c[i] / (z + i);
        }
        double t = z + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
    }

    private static void checkDf(double df) {
        if (!(df > 0) || Double.isInfinite(df)) {
            throw new IllegalArgumentException("degrees of freedom = " + df + " must be a finite number > 0; a t"
                    + " statistic needs at least two values");
        }
    }
}
