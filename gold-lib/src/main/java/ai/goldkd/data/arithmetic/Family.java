package ai.goldkd.data.arithmetic;

import java.util.Locale;

/**
 * A template family of arithmetic word problems, with its share of every generated set in
 * thousandths. The head (one-step addition and subtraction, 64%) is common; multiplication, division,
 * two-step problems and problems with an irrelevant number form the long tail (36%), as in SVAMP,
 * whose hard cases are the rare ones.
 */
public enum Family {
    /** One-step addition. */
    ADD("add", 360),
    /** One-step subtraction. */
    SUBTRACT("subtract", 280),
    /** One-step multiplication. */
    MULTIPLY("multiply", 100),
    /** One-step exact division. */
    DIVIDE("divide", 80),
    /** Two steps of addition and subtraction. */
    TWO_STEP("two-step", 80),
    /** A multiplication, then an addition or a subtraction. */
    TWO_STEP_MULTIPLY("two-step-multiply", 50),
    /** One-step addition or subtraction, with a number in the body that the answer does not use. */
    DISTRACTOR("distractor", 50);

    private final String label;
    private final int perMille;

    Family(String label, int perMille) {
        this.label = label;
        this.perMille = perMille;
    }

    /** The name written in data files, such as {@code two-step}. */
    public String label() {
        return label;
    }

    /** The family's share of a generated set, in thousandths (all families sum to 1000). */
    public int perMille() {
        return perMille;
    }

    /** Whether the family is in the frequent head (one-step addition or subtraction). */
    public boolean head() {
        return this == ADD || this == SUBTRACT;
    }

    /**
     * Finds a family by the name in data files.
     *
     * @param name such as {@code divide}
     * @return the family
     */
    public static Family parse(String name) {
        for (Family f : values()) {
            if (f.label.equals(name.trim().toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException("family '" + name + "' is unknown; the families are add, subtract,"
                + " multiply, divide, two-step, two-step-multiply, distractor");
    }

    /**
     * How many problems of each family a set of {@code n} holds: {@code n * perMille / 1000} rounded
     * down, the remainder going to the largest fractions (ties in declaration order).
     *
     * @param n the size of the set
     * @return counts indexed by {@link #ordinal()}, summing to {@code n}
     */
    public static int[] counts(int n) {
        Family[] families = values();
        int[] counts = new int[families.length];
        long[] remainders = new long[families.length];
        int assigned = 0;
        for (Family f : families) {
            counts[f.ordinal()] = (int) ((long) n * f.perMille / 1000);
            remainders[f.ordinal()] = (long) n * f.perMille % 1000;
            assigned += counts[f.ordinal()];
        }
        for (int left = n - assigned; left > 0; left--) {
            int best = 0;
            for (int i = 1; i < families.length; i++) {
                if (remainders[i] > remainders[best]) {
                    best = i;
                }
            }
            counts[best]++;
            remainders[best] = -1;
        }
        return counts;
    }
}
