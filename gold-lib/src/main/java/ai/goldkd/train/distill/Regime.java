package ai.goldkd.train.distill;

import java.util.Locale;

/**
 * What a distillation run trains on, and against what. GKD (Agarwal et al. 2024) names the first four as
 * special cases of one objective; the fifth is DistiLLM's (Ko et al. 2024).
 */
public enum Regime {
    /** Supervised fine-tuning: cross-entropy on the data set's outputs; no teacher. */
    SFT,
    /** Supervised KD: the divergence to the teacher's next-token distributions on the data set's outputs (lambda 0). */
    SUPERVISED_KD,
    /** Sequence-level KD: the teacher answers every training prompt once, then SFT on its answers. */
    SEQ_KD,
    /** GKD: with probability lambda a batch's outputs are the student's own samples, else the data set's. */
    ON_POLICY,
    /** DistiLLM: student samples kept in a replay buffer, their share raised when the validation loss rises. */
    ADAPTIVE_OFF_POLICY;

    /** Whether the regime compares token distributions, so teacher and student must share a vocabulary. */
    public boolean tokenLevel() {
        return this == SUPERVISED_KD || this == ON_POLICY || this == ADAPTIVE_OFF_POLICY;
    }

    /** Whether the regime needs a teacher at all. */
    public boolean needsTeacher() {
        return this != SFT;
    }

    /**
     * Parses a name, case and {@code -}/{@code _} insensitive ({@code on-policy}, {@code SEQ_KD}).
     *
     * @param name the name
     * @return the regime
     */
    public static Regime parse(String name) {
        String key = name == null ? "" : name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (Regime r : values()) {
            if (r.name().equals(key)) {
                return r;
            }
        }
        throw new IllegalArgumentException("regime '" + name + "' is unknown; use one of SFT, SUPERVISED_KD,"
                + " SEQ_KD, ON_POLICY, ADAPTIVE_OFF_POLICY");
    }
}
