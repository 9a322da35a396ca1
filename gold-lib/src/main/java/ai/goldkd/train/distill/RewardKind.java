package ai.goldkd.train.distill;

import java.util.Locale;

/** The rewards a distillation run can name in its config: none, or the final number's correctness. */
public enum RewardKind {
    /** No reward term. */
    NONE("none"),
    /** 1 when the sample's last number equals the reference's ({@link RewardFunction#finalNumber()}). */
    FINAL_NUMBER("final-number");

    private final String key;

    RewardKind(String key) {
        this.key = key;
    }

    /** The name in JSON: {@code none} or {@code final-number}. */
    public String key() {
        return key;
    }

    /** The reward function, null for {@link #NONE}. */
    public RewardFunction function() {
        return switch (this) {
            case NONE -> null;
            case FINAL_NUMBER -> RewardFunction.finalNumber();
        };
    }

    /**
     * Reads a reward by its JSON name.
     *
     * @param name {@code none} or {@code final-number} (case and {@code _}/{@code -} do not matter)
     * @return the kind
     * @throws IllegalArgumentException naming the value and the known names
     */
    public static RewardKind parse(String name) {
        String k = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (RewardKind r : values()) {
            if (r.key.equals(k)) {
                return r;
            }
        }
        throw new IllegalArgumentException("reward '" + name + "' is unknown; use none or final-number");
    }
}
