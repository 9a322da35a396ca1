package ai.goldkd.data.arithmetic;

/**
 * A seeded pseudo-random generator whose whole algorithm is written here (SplitMix64, Steele et al.
 * 2014), so a seed gives the same numbers on every JVM and every Java version; the JDK's generators
 * do not promise that for their bounded methods.
 */
public final class SplitMix64 {

    private long state;

    /**
     * Creates a generator.
     *
     * @param seed the seed
     */
    public SplitMix64(long seed) {
        this.state = seed;
    }

    /** The next 64 random bits. */
    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * A number in {@code [0, bound)}, by the remainder of 63 random bits (bias below 1e-16 for the
     * small bounds used here).
     *
     * @param bound the exclusive upper bound, positive
     * @return the number
     */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound " + bound + " must be positive");
        }
        return (int) ((nextLong() >>> 1) % bound);
    }

    /**
     * A number in {@code [lo, hi]}, both inclusive.
     *
     * @param lo the smallest value
     * @param hi the largest value, at least {@code lo}
     * @return the number
     */
    public int between(int lo, int hi) {
        if (hi < lo) {
            throw new IllegalArgumentException("empty range " + lo + ".." + hi);
        }
        return lo + nextInt(hi - lo + 1);
    }

    /**
     * Picks one element.
     *
     * @param items the choices, not empty
     * @param <T> their type
     * @return one of them
     */
    @SafeVarargs
    public final <T> T pick(T... items) {
        return items[nextInt(items.length)];
    }
}
