package ai.goldkd.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Comparing two models' weights after the same training run computed two ways (a loss chunked or fused,
 * against its whole form). AdamW divides each weight's step by the root of its gradient's second moment,
 * so a weight whose gradient is zero in exact arithmetic moves by the sign of its rounding error, up to
 * the learning rate a step, and which weights those are, and how they round, depends on the CPU's kernels
 * (measured: the same comparison within 1e-4 on one machine, 6e-4 apart at one weight on another). So
 * almost every weight must agree within the tolerance, and the rest within what AdamW's steps can make of
 * a rounding error.
 */
public final class TrainedWeights {

    private TrainedWeights() {}

    /**
     * Asserts that two runs' weights agree: all but {@code strayFraction} of them within
     * {@code tolerance}, and every one within {@code strayBound}.
     *
     * @param expected one run's weights
     * @param actual the other's
     * @param tolerance the agreement of ordinary weights
     * @param strayFraction the share of weights allowed beyond the tolerance
     * @param strayBound the most any weight may differ (e.g. 2 x learning rate x steps)
     * @param message what is compared
     */
    public static void assertAlike(
            float[] expected, float[] actual, float tolerance, double strayFraction, float strayBound, String message) {
        assertEquals(expected.length, actual.length, message + ": the number of weights");
        int strays = 0;
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(expected[i] - actual[i]);
            if (!(d <= tolerance)) { // NaN counts
                strays++;
            }
            if (!(d <= worst)) {
                worst = d;
                worstAt = i;
            }
        }
        String counts = strays + " of " + expected.length + " weights differ by more than " + tolerance
                + "; the most at [" + worstAt + "]: "
                + (worstAt < 0 ? "-" : expected[worstAt] + " against " + actual[worstAt]);
        assertTrue(strays <= strayFraction * expected.length, message + ": " + counts);
        assertTrue(worst <= strayBound, message + ": " + counts + ", beyond " + strayBound);
    }
}
