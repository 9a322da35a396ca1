package ai.goldkd.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether two methods differ by more than their seed-to-seed spread: a paired t-test over the seeds
 * both ran (a seed fixes the data order and initialization, so pairing removes what seeds share),
 * Welch's t-test when fewer than two seeds are shared, and no test when either has one seed.
 *
 * @param first the first method's name
 * @param second the second method's name
 * @param test the test made
 * @param seeds the shared seeds (paired) or the smaller method's seed count (Welch, none)
 * @param difference the mean of first minus second (over shared seeds when paired)
 * @param t the t statistic; NaN without a test
 * @param df the degrees of freedom; NaN without a test
 * @param p the two-sided p-value; NaN without a test
 * @param halfWidth half the width of the difference's 95% t interval; NaN without a test
 */
public record SeedComparison(
        String first,
        String second,
        Test test,
        int seeds,
        double difference,
        double t,
        double df,
        double p,
        double halfWidth) {

    /** The significance level below which a difference is called larger than the spread. */
    public static final double ALPHA = 0.05;

    /** The test a comparison made. */
    public enum Test {
        /** Paired t-test over shared seeds. */
        PAIRED,
        /** Welch's unequal-variance t-test. */
        WELCH,
        /** No test: a method has a single seed. */
        ONE_SEED,
        /** No test: the values, or their differences, do not vary, so there is no spread to weigh against. */
        NO_SPREAD
    }

    /** What the numbers support. */
    public enum Outcome {
        /** The difference is larger than the seed-to-seed spread (p below {@link #ALPHA}). */
        DIFFERENT,
        /** The difference is within the spread: these seeds cannot tell the methods apart. */
        WITHIN_SPREAD,
        /** No test could be made. */
        UNDECIDED
    }

    /**
     * Compares two methods' per-seed values.
     *
     * @param first the first method's name
     * @param a its summary
     * @param second the second method's name
     * @param b its summary
     * @return the comparison
     */
    public static SeedComparison of(String first, SeedSummary a, String second, SeedSummary b) {
        if (a.n() < 2 || b.n() < 2) {
            return new SeedComparison(
                    first,
                    second,
                    Test.ONE_SEED,
                    Math.min(a.n(), b.n()),
                    a.mean() - b.mean(),
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN);
        }
        List<Double> differences = new ArrayList<>();
        a.bySeed().forEach((seed, v) -> {
            Double w = b.bySeed().get(seed);
            if (w != null) {
                differences.add(v - w);
            }
        });
        if (differences.size() >= 2) {
            double[] d = differences.stream().mapToDouble(Double::doubleValue).toArray();
            double mean = SeedSummary.mean(d);
            double sd = SeedSummary.sd(d, mean);
            int n = d.length;
            if (sd == 0) {
                return new SeedComparison(
                        first, second, Test.NO_SPREAD, n, mean, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            double se = sd / Math.sqrt(n);
            double t = mean / se;
            return new SeedComparison(
                    first,
                    second,
                    Test.PAIRED,
                    n,
                    mean,
                    t,
                    n - 1,
                    StudentT.twoSidedP(t, n - 1),
                    StudentT.quantile(1 - ALPHA / 2, n - 1) * se);
        }
        return welch(first, a, second, b);
    }

    /**
     * Compares two methods whose seeds cannot be paired (runs that record no seed), by Welch's t-test.
     *
     * @param first the first method's name
     * @param a its summary
     * @param second the second method's name
     * @param b its summary
     * @return the comparison
     */
    public static SeedComparison unpaired(String first, SeedSummary a, String second, SeedSummary b) {
        if (a.n() < 2 || b.n() < 2) {
            return new SeedComparison(
                    first,
                    second,
                    Test.ONE_SEED,
                    Math.min(a.n(), b.n()),
                    a.mean() - b.mean(),
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN);
        }
        return welch(first, a, second, b);
    }

    private static SeedComparison welch(String first, SeedSummary a, String second, SeedSummary b) {
        double va = a.sd() * a.sd() / a.n();
        double vb = b.sd() * b.sd() / b.n();
        double se = Math.sqrt(va + vb);
        double diff = a.mean() - b.mean();
        int n = Math.min(a.n(), b.n());
        if (se == 0) {
            return new SeedComparison(
                    first, second, Test.NO_SPREAD, n, diff, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double df = (va + vb) * (va + vb) / (va * va / (a.n() - 1) + vb * vb / (b.n() - 1));
        double t = diff / se;
        return new SeedComparison(
                first,
                second,
                Test.WELCH,
                n,
                diff,
                t,
                df,
                StudentT.twoSidedP(t, df),
                StudentT.quantile(1 - ALPHA / 2, df) * se);
    }

    /** What the numbers support. */
    public Outcome outcome() {
        return switch (test) {
            case ONE_SEED, NO_SPREAD -> Outcome.UNDECIDED;
            case PAIRED, WELCH -> p < ALPHA ? Outcome.DIFFERENT : Outcome.WITHIN_SPREAD;
        };
    }

    /**
     * One sentence that says what the comparison supports, and no more.
     *
     * @param unit the values' unit, e.g. {@code "points"} for accuracy in percent
     * @return the verdict
     */
    public String verdict(String unit) {
        String size = String.format(Locale.ROOT, "%.2f %s", Math.abs(difference), unit);
        String order = difference > 0
                ? first + " is " + size + " higher than " + second
                : difference < 0
                        ? first + " is " + size + " lower than " + second
                        : first + " and " + second + " have the same mean";
        return switch (test) {
            case ONE_SEED ->
                first + " vs " + second + ": one seed cannot decide (" + order
                        + "; run two seeds or more of each to weigh it against the seed-to-seed spread).";
            case NO_SPREAD ->
                difference == 0
                        ? first + " vs " + second + ": the same value on every seed; no difference to test."
                        : first + " vs " + second + ": " + order + ", but the seeds show no spread at all, so the"
                                + " t-test has nothing to weigh the difference against and cannot decide (more seeds would).";
            case PAIRED, WELCH -> {
                String how = String.format(
                        Locale.ROOT,
                        "%s, t = %.2f, df = %.1f, p = %s; 95%% interval of the" + " difference %.2f to %.2f",
                        test == Test.PAIRED
                                ? "paired t-test over " + seeds + " shared seeds"
                                : "Welch's t-test, seeds not paired",
                        t,
                        df,
                        pValue(),
                        difference - halfWidth,
                        difference + halfWidth);
                yield outcome() == Outcome.DIFFERENT
                        ? first + " vs " + second + ": " + order + ", larger than the seed-to-seed spread (" + how
                                + ")."
                        : first + " vs " + second + ": " + order + ", within the seed-to-seed spread: these seeds"
                                + " cannot tell them apart (" + how + ").";
            }
        };
    }

    private String pValue() {
        return p < 0.001 ? String.format(Locale.ROOT, "%.1e", p) : String.format(Locale.ROOT, "%.3f", p);
    }
}
