package ai.goldkd.report;

import ai.goldkd.stats.SeedSummary;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runs of one method, one per seed, as a report groups them.
 *
 * @param method the method's name
 * @param kind what wrote its runs
 * @param index its position in the report, which fixes its colour in every chart
 * @param runs its runs, finished or not
 */
public record MethodRuns(String method, RunKind kind, int index, List<RunRecord> runs) {

    /** A group with its runs list copied. */
    public MethodRuns {
        runs = List.copyOf(runs);
    }

    /** The finished runs. */
    public List<RunRecord> finished() {
        return runs.stream().filter(RunRecord::finished).toList();
    }

    /**
     * The headline value over the finished runs' seeds, or empty when none has finished.
     *
     * @return the summary
     */
    public Optional<SeedSummary> summary() {
        Map<Long, Double> bySeed = new LinkedHashMap<>();
        for (RunRecord r : finished()) {
            bySeed.put(key(r), r.headline());
        }
        return bySeed.isEmpty() ? Optional.empty() : Optional.of(SeedSummary.of(bySeed));
    }

    /** Whether every run records its seed, so that two methods' seeds can be paired. */
    public boolean seedsKnown() {
        return runs.stream().allMatch(r -> r.seed() != null);
    }

    /** The per-seed key of a run: its seed, or its position (negative) when it records none. */
    long key(RunRecord r) {
        return r.seed() != null ? r.seed() : -1L - runs.indexOf(r);
    }

    /** The colour of this method's lines, bars and points. */
    public String colour() {
        return PlotlyFigure.colour(index);
    }
}
