package ai.goldkd.metrics;

/**
 * A metric on one slice of a test set, such as one template family.
 *
 * @param slice the slice's name
 * @param count how many samples it holds
 * @param value the metric on those samples
 */
public record SliceScore(String slice, int count, double value) {

    /** Checks the values. */
    public SliceScore {
        if (count <= 0) {
            throw new IllegalArgumentException("slice '" + slice + "' has " + count + " samples; a slice needs one");
        }
    }
}
