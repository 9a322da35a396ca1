package ai.goldkd.config;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * How large an experiment runs: {@code smoke} for tests (seconds to a couple of minutes),
 * {@code small} for a laptop-sized run (minutes, the default), {@code paper} for the paper's sizes
 * (a GPU and an LLM endpoint). Read from the environment variable {@code GOLD_BUDGET}.
 */
public enum Budget {
    /** Tests and quick checks. */
    SMOKE,
    /** The default: minutes on two cores. */
    SMALL,
    /** The paper's sizes. */
    PAPER;

    /** The name of the environment variable that sets the budget. */
    public static final String ENV = "GOLD_BUDGET";

    /** Returns the budget named by {@code GOLD_BUDGET}, or {@link #SMALL} when it is unset. */
    public static Budget fromEnvironment() {
        String value = System.getenv(ENV);
        return value == null || value.isBlank() ? SMALL : parse(value);
    }

    /**
     * Parses a budget name.
     *
     * @param name {@code smoke}, {@code small} or {@code paper}, in any case
     * @return the budget
     */
    public static Budget parse(String name) {
        for (Budget budget : values()) {
            if (budget.label().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return budget;
            }
        }
        throw new IllegalArgumentException("budget '" + name + "' is unknown; use smoke, small or paper");
    }

    /** The lower-case name used on the command line and in {@code GOLD_BUDGET}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Does work that the smoke budget is too small for, or says it was skipped.
     *
     * @param work what to do at {@code small} and {@code paper}
     * @param why what the work is, for the line shown at {@code smoke}
     * @return the work's result, or the line {@code "skipped at smoke budget: WHY (set GOLD_BUDGET=small)"}
     */
    public Object unlessSmoke(Supplier<?> work, String why) {
        return this == SMOKE ? "skipped at smoke budget: " + why + " (set GOLD_BUDGET=small)" : work.get();
    }

    /**
     * Picks the value for this budget.
     *
     * @param smoke the value at {@code smoke}
     * @param small the value at {@code small}
     * @param paper the value at {@code paper}
     * @param <T> the value's type
     * @return one of the three
     */
    public <T> T pick(T smoke, T small, T paper) {
        return switch (this) {
            case SMOKE -> smoke;
            case SMALL -> small;
            case PAPER -> paper;
        };
    }
}
