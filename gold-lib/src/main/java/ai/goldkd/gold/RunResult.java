package ai.goldkd.gold;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A run's outcome: the final student's accuracy on the real test set.
 *
 * @param name the run's name (its preset)
 * @param seed the run's seed
 * @param trainingSamples the samples the final student trained on
 * @param dropped the samples the noise filter dropped
 * @param accuracy the final student's accuracy on the real test set
 * @param finalLoss the final student's training loss in its last epoch
 * @param slices the final student's accuracy per slice (arithmetic families); empty for IMDB
 */
public record RunResult(
        String name,
        long seed,
        int trainingSamples,
        int dropped,
        double accuracy,
        double finalLoss,
        Map<String, Double> slices) {

    /** A result without slices (read back from older runs too). */
    public RunResult {
        slices = slices == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(slices));
    }
}
