package ai.goldkd.train.distill;

import java.util.Arrays;
import java.util.Locale;

/**
 * How token-level distillation compares a teacher and a student whose vocabularies differ
 * ({@link DistillationConfig#crossTokenizer()}): the student's output is decoded to text, the teacher
 * reads the same text through its own tokenizer, and the two tokenizations are aligned where their
 * spans agree ({@link ai.goldkd.loss.TokenAlignment}).
 */
public enum CrossTokenizer {
    /** One shared vocabulary (the default): the per-token divergence on the same ids; a mismatch is an error. */
    OFF,
    /** ULD's sorted-probability distance on the aligned spans ({@link ai.goldkd.loss.CrossTokenizerLoss}). */
    ULD,
    /**
     * TRL GOLD's hybrid: the tokens both vocabularies share by the configured divergence, the others by
     * ULD ({@link ai.goldkd.loss.HybridCrossTokenizerLoss}).
     */
    HYBRID;

    /** The name configs use: {@code off}, {@code uld}, {@code hybrid}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The setting a name gives.
     *
     * @param name off, uld or hybrid (case ignored)
     * @return the setting
     */
    public static CrossTokenizer parse(String name) {
        for (CrossTokenizer c : values()) {
            if (c.label().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return c;
            }
        }
        throw new IllegalArgumentException("crossTokenizer '" + name + "' is unknown; use one of "
                + String.join(
                        ", ", Arrays.stream(values()).map(CrossTokenizer::label).toList()));
    }
}
