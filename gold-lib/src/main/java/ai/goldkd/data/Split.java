package ai.goldkd.data;

import java.util.Locale;

/** The part of a data set: what a model is trained on, or what it is judged on. */
public enum Split {
    /** Training data (and the only source of few-shot examples). */
    TRAIN,
    /** Held-out test data. */
    TEST;

    /** The lower-case name used in file names and on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a split name.
     *
     * @param name {@code train} or {@code test}, in any case
     * @return the split
     */
    public static Split parse(String name) {
        for (Split split : values()) {
            if (split.label().equalsIgnoreCase(name.trim())) {
                return split;
            }
        }
        throw new IllegalArgumentException("split '" + name + "' is unknown; use train or test");
    }
}
