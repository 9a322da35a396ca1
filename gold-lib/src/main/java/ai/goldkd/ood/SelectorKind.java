package ai.goldkd.ood;

/**
 * The feedback selectors a config can name; the switch in {@link #create} is the whole registry, so a
 * new selector is one {@link FeedbackSelector} and one constant here.
 */
public enum SelectorKind {
    /** GOLD's percentile band of energy. */
    BAND,
    /** A random share of the batch, as many as the band would choose. */
    RANDOM,
    /** The highest-energy share of the batch. */
    TOP,
    /** No feedback (ZeroGen). */
    NONE,
    /** ProGen-style influence on the loss over the data so far. */
    INFLUENCE;

    /**
     * The selector.
     *
     * @param low the band's lower percentile (band only)
     * @param high the band's upper percentile; the others choose {@code high - low} of the batch
     * @return the selector
     */
    public FeedbackSelector create(double low, double high) {
        return switch (this) {
            case BAND -> FeedbackSelector.band(low, high);
            case RANDOM -> FeedbackSelector.random(high - low);
            case TOP -> FeedbackSelector.topEnergy(high - low);
            case NONE -> FeedbackSelector.none();
            case INFLUENCE -> FeedbackSelector.influence(high - low);
        };
    }
}
