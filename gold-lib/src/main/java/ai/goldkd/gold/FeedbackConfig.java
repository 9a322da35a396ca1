package ai.goldkd.gold;

import ai.goldkd.ood.FeedbackSelector;
import ai.goldkd.ood.SelectorKind;

/**
 * Which validation samples go back to the teacher, and how often.
 *
 * @param selector how they are chosen ({@link SelectorKind})
 * @param every feedback is used in iterations whose index is a multiple of this (paper: 2)
 * @param bandLow the band's lower percentile (the other selectors choose {@code bandHigh - bandLow} of the batch)
 * @param bandHigh the band's upper percentile
 * @param perPrompt the most feedback samples one prompt shows (drawn from the feedback set)
 */
public record FeedbackConfig(SelectorKind selector, int every, double bandLow, double bandHigh, int perPrompt) {

    /** Checks every field and names the bad value. */
    public FeedbackConfig {
        GoldConfig.require(selector != null, "feedback.selector is missing; use band, random, top, none or influence");
        GoldConfig.require(every >= 1, "feedback.every must be >= 1, got " + every);
        GoldConfig.require(
                bandLow >= 0 && bandLow < bandHigh && bandHigh <= 1,
                "band [" + bandLow + ", " + bandHigh
                        + ") must lie in [0, 1] with bandLow < bandHigh; GOLD uses 0.5 and 0.8");
        GoldConfig.require(perPrompt >= 0, "feedback.perPrompt must be >= 0, got " + perPrompt);
    }

    /** GOLD's: the 50-80% energy band, every other iteration, at most 4 per prompt. */
    public static FeedbackConfig defaults() {
        return new FeedbackConfig(SelectorKind.BAND, 2, 0.5, 0.8, 4);
    }

    /** The selector these settings describe. */
    public FeedbackSelector create() {
        return selector.create(bandLow, bandHigh);
    }

    /** @return a copy choosing with another selector */
    public FeedbackConfig withSelector(SelectorKind value) {
        return new FeedbackConfig(value, every, bandLow, bandHigh, perPrompt);
    }

    /** @return a copy showing feedback every {@code value} iterations */
    public FeedbackConfig withEvery(int value) {
        return new FeedbackConfig(selector, value, bandLow, bandHigh, perPrompt);
    }

    /** @return a copy with another band */
    public FeedbackConfig withBand(double low, double high) {
        return new FeedbackConfig(selector, every, low, high, perPrompt);
    }

    /** @return a copy showing at most {@code value} feedback samples per prompt */
    public FeedbackConfig withPerPrompt(int value) {
        return new FeedbackConfig(selector, every, bandLow, bandHigh, value);
    }
}
