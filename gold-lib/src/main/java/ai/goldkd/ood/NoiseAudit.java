package ai.goldkd.ood;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * How well the energy {@link NoiseFilter} finds samples known to be noise (planted mislabelled or
 * malformed samples): for each cut-off (the top share of energy dropped), the precision (share of
 * dropped samples that are noise) and recall (share of the noise that is dropped).
 */
public final class NoiseAudit {

    private NoiseAudit() {}

    /**
     * Precision and recall of the filter at several cut-offs.
     *
     * @param energies one energy per sample
     * @param noise whether each sample is planted noise
     * @param cutoffs the drop fractions to try, each in [0, 1)
     * @return a table: cutoff, dropped, noise dropped, precision, recall
     */
    public static Table precisionRecall(float[] energies, boolean[] noise, double... cutoffs) {
        if (energies.length != noise.length) {
            throw new IllegalArgumentException(energies.length + " energies but " + noise.length
                    + " noise flags; give one flag per sample");
        }
        int totalNoise = 0;
        for (boolean b : noise) {
            totalNoise += b ? 1 : 0;
        }
        DoubleColumn cut = DoubleColumn.create("cutoff");
        IntColumn dropped = IntColumn.create("dropped");
        IntColumn hits = IntColumn.create("noise dropped");
        DoubleColumn precision = DoubleColumn.create("precision");
        DoubleColumn recall = DoubleColumn.create("recall");
        for (double c : cutoffs) {
            NoiseFilter.Split split = new NoiseFilter(c).apply(energies);
            int h = 0;
            for (int i : split.dropped()) {
                h += noise[i] ? 1 : 0;
            }
            cut.append(c);
            dropped.append(split.dropped().size());
            hits.append(h);
            precision.append(split.dropped().isEmpty() ? Double.NaN : h / (double) split.dropped().size());
            recall.append(totalNoise == 0 ? Double.NaN : h / (double) totalNoise);
        }
        return Table.create("Energy filter against planted noise", cut, dropped, hits, precision, recall);
    }

    /**
     * The energy rank of each sample as a percentile (0: lowest energy, 1: highest).
     *
     * @param energies the energies
     * @return one percentile per sample
     */
    public static double[] percentiles(float[] energies) {
        int[] order = FeedbackSelector.ascending(energies);
        double[] out = new double[energies.length];
        for (int r = 0; r < order.length; r++) {
            out[order[r]] = order.length == 1 ? 0 : r / (double) (order.length - 1);
        }
        return out;
    }
}
