package ai.goldkd.gold;

/** The OOD scorers a config can name; a new one is one {@link OodScorer} and one constant here. */
public enum ScorerKind {
    /** The energy score (Liu et al., 2020), {@link EnergyScorer}. */
    ENERGY;

    /**
     * The scorer.
     *
     * @param config its settings
     * @return the scorer
     */
    public OodScorer create(ScorerConfig config) {
        return switch (this) {
            case ENERGY -> new EnergyScorer(config.temperature());
        };
    }
}
