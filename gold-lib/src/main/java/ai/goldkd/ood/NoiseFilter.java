package ai.goldkd.ood;

import java.util.ArrayList;
import java.util.List;

/**
 * GOLD's energy-based noise filter: before the final student trains, the samples with the highest
 * energy (hallucinated, mislabelled, malformed generations cluster there) are dropped.
 *
 * @param dropFraction the top share of energy dropped, in [0, 1); 0 keeps everything
 */
public record NoiseFilter(double dropFraction) {

    /** Checks the fraction. */
    public NoiseFilter {
        if (!(dropFraction >= 0 && dropFraction < 1)) {
            throw new IllegalArgumentException("noise filter drop fraction " + dropFraction + " must be in [0, 1);"
                    + " 0 keeps everything, 0.2 drops the top fifth of energy");
        }
    }

    /**
     * Splits samples into kept and dropped.
     *
     * @param energies one energy per sample
     * @return the indexes kept and dropped, each in ascending energy order
     */
    public Split apply(float[] energies) {
        int[] order = FeedbackSelector.ascending(energies);
        int drop = (int) Math.floor(dropFraction * energies.length);
        List<Integer> kept = new ArrayList<>();
        List<Integer> dropped = new ArrayList<>();
        for (int i = 0; i < order.length; i++) {
            (i < order.length - drop ? kept : dropped).add(order[i]);
        }
        return new Split(kept, dropped);
    }

    /**
     * The filter's result.
     *
     * @param kept the indexes kept
     * @param dropped the indexes dropped
     */
    public record Split(List<Integer> kept, List<Integer> dropped) {}
}
