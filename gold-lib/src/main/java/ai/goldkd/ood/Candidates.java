package ai.goldkd.ood;

import java.util.function.Supplier;

/**
 * What a {@link FeedbackSelector} chooses from: the validation batch's energies and, computed only
 * when a selector asks, each sample's influence score.
 *
 * @param energies one energy per validation sample
 * @param influence each sample's influence on the student's loss over the data so far (higher: more
 *     helpful), computed on demand
 */
public record Candidates(float[] energies, Supplier<double[]> influence) {

    /** Checks the fields. */
    public Candidates {
        if (energies == null) {
            throw new IllegalArgumentException("energies is null; give one energy per validation sample");
        }
        if (influence == null) {
            influence = () -> {
                throw new IllegalStateException("no influence scores were given; the influence selector needs a"
                        + " student (use Candidates with an influence supplier)");
            };
        }
    }

    /** Candidates with energies only. */
    public static Candidates of(float[] energies) {
        return new Candidates(energies, null);
    }

    /** The number of candidates. */
    public int size() {
        return energies.length;
    }
}
