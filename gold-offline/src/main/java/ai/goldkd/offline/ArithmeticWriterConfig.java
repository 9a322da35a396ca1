package ai.goldkd.offline;

/**
 * How {@link ArithmeticWriter} turns a prompt into a family belief, and how often it errs.
 *
 * @param priorTemperature the prior over families is proportional to {@code frequency ^ (1 / priorTemperature)}:
 *     below 1 it leans to the frequent families (add, subtract), as an LLM writes mostly from the centre;
 *     in (0, 4]
 * @param evidence how many examples' worth the prior counts: with m examples the belief is
 *     {@code (1 - r) * prior + r * mean posterior}, {@code r = m / (m + evidence)}; >= 0
 * @param familyMix the weight of the all-families 4-gram model beside the family's own, in [0, 1): what lets
 *     a sample drift out of its family's phrasing (more so when sampled hotter)
 * @param slip the probability that a sample writes one step's result wrong (off by a little, or by ten);
 *     later steps go on from the wrong value, as an LLM's do; in [0, 1]
 * @param misread the probability that a sample's answer uses a number other than the one its text
 *     states (one operand off by 1 to 5); in [0, 1]
 */
public record ArithmeticWriterConfig(
        double priorTemperature, double evidence, double familyMix, double slip, double misread) {

    /** Checks the fields. */
    public ArithmeticWriterConfig {
        if (!(priorTemperature > 0 && priorTemperature <= 4)) {
            throw new IllegalArgumentException(
                    "priorTemperature must be in (0, 4], got " + priorTemperature + "; try 0.7");
        }
        if (!(evidence >= 0)) {
            throw new IllegalArgumentException("evidence must be >= 0, got " + evidence + "; try 2");
        }
        if (!(familyMix >= 0 && familyMix < 1)) {
            throw new IllegalArgumentException("familyMix must be in [0, 1), got " + familyMix + "; try 0.05");
        }
        if (!(slip >= 0 && slip <= 1)) {
            throw new IllegalArgumentException("slip must be a probability in [0, 1], got " + slip + "; try 0.03");
        }
        if (!(misread >= 0 && misread <= 1)) {
            throw new IllegalArgumentException(
                    "misread must be a probability in [0, 1], got " + misread + "; try 0.03");
        }
    }

    /** Prior temperature 0.7, evidence 2, family mix 0.05, slip 0.03, misread 0.03. */
    public static ArithmeticWriterConfig defaults() {
        return new ArithmeticWriterConfig(0.7, 2, 0.05, 0.03, 0.03);
    }

    /** @return a copy with another prior temperature */
    public ArithmeticWriterConfig withPriorTemperature(double value) {
        return new ArithmeticWriterConfig(value, evidence, familyMix, slip, misread);
    }

    /** @return a copy with another prior weight */
    public ArithmeticWriterConfig withEvidence(double value) {
        return new ArithmeticWriterConfig(priorTemperature, value, familyMix, slip, misread);
    }

    /** @return a copy with another all-families weight */
    public ArithmeticWriterConfig withFamilyMix(double value) {
        return new ArithmeticWriterConfig(priorTemperature, evidence, value, slip, misread);
    }

    /** @return a copy with other error rates */
    public ArithmeticWriterConfig withErrors(double slipValue, double misreadValue) {
        return new ArithmeticWriterConfig(priorTemperature, evidence, familyMix, slipValue, misreadValue);
    }
}
