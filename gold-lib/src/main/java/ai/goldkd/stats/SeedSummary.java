package ai.goldkd.stats;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One method's value over its seeds: the mean, the sample standard deviation and the 95% t interval
 * of the mean (none for one seed: a single value says nothing about the spread).
 *
 * @param bySeed the value of each seed, ordered by seed
 * @param mean the mean over seeds
 * @param sd the sample standard deviation (n - 1 in the denominator); NaN for one seed
 * @param halfWidth half the width of the 95% t interval of the mean; NaN for one seed
 */
public record SeedSummary(Map<Long, Double> bySeed, double mean, double sd, double halfWidth) {

    /** The confidence level of {@link #halfWidth}. */
    public static final double LEVEL = 0.95;

    /** A summary over at least one seed, its map kept in seed order and unmodifiable. */
    public SeedSummary {
        if (bySeed == null || bySeed.isEmpty()) {
            throw new IllegalArgumentException("a summary needs at least one seed's value; got none");
        }
        bySeed = Collections.unmodifiableMap(new TreeMap<>(bySeed));
    }

    /**
     * Summarizes the values of the given seeds.
     *
     * @param bySeed seed to value; NaN values are refused, since a missing result is no value
     * @return the summary
     */
    public static SeedSummary of(Map<Long, Double> bySeed) {
        if (bySeed == null || bySeed.isEmpty()) {
            throw new IllegalArgumentException("a summary needs at least one seed's value; got none");
        }
        bySeed.forEach((seed, v) -> {
            if (v == null || !Double.isFinite(v)) {
                throw new IllegalArgumentException(
                        "seed " + seed + " has value " + v + "; leave out the seeds" + " without a result");
            }
        });
        double[] v = bySeed.values().stream().mapToDouble(Double::doubleValue).toArray();
        int n = v.length;
        double mean = mean(v);
        if (n < 2) {
            return new SeedSummary(bySeed, mean, Double.NaN, Double.NaN);
        }
        double sd = sd(v, mean);
        double half = StudentT.quantile(0.5 + LEVEL / 2, n - 1) * sd / Math.sqrt(n);
        return new SeedSummary(bySeed, mean, sd, half);
    }

    /** The number of seeds. */
    public int n() {
        return bySeed.size();
    }

    /** Whether there is an interval (two seeds or more). */
    public boolean hasInterval() {
        return n() >= 2;
    }

    /** The interval's lower end; NaN for one seed. */
    public double low() {
        return mean - halfWidth;
    }

    /** The interval's upper end; NaN for one seed. */
    public double high() {
        return mean + halfWidth;
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    static double sd(double[] v, double mean) {
        double s = 0;
        for (double x : v) {
            s += (x - mean) * (x - mean);
        }
        return Math.sqrt(s / (v.length - 1));
    }
}
