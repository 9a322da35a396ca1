package ai.goldkd.gold;

/**
 * How the loop scores how unfamiliar a sample is to its student: feedback is chosen and noise dropped by it.
 *
 * @param kind the scorer ({@link ScorerKind})
 * @param temperature T of the energy score
 */
public record ScorerConfig(ScorerKind kind, float temperature) {

    /** Checks every field and names the bad value. */
    public ScorerConfig {
        GoldConfig.require(kind != null, "scorer.kind is missing; use energy");
        GoldConfig.require(temperature > 0, "scorer.temperature must be > 0, got " + temperature);
    }

    /** Energy at temperature 1. */
    public static ScorerConfig defaults() {
        return new ScorerConfig(ScorerKind.ENERGY, 1f);
    }

    /** The scorer these settings describe. */
    public OodScorer create() {
        return kind.create(this);
    }

    /** @return a copy at another temperature */
    public ScorerConfig withTemperature(float value) {
        return new ScorerConfig(kind, value);
    }
}
