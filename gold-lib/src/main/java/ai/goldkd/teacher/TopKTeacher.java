package ai.goldkd.teacher;

import java.util.List;
import java.util.Map;

/**
 * A teacher known through its K most likely next tokens per position (plus the tail's mass), not its
 * full logits: an endpoint's logprobs ({@link RemoteTeacher}) or a teacher-logits cache
 * ({@link CachedTopKTeacher}). The trainer distils from it with the top-k divergences
 * ({@link ai.goldkd.loss.TopKDivergences}).
 *
 * <p>For a sequence {@code x_0 .. x_{n-1}} (BOS first, the answer's EOS last) it gives n - 1 rows: row
 * t is the teacher's distribution of {@code x_{t+1}} given {@code x_0 .. x_t}, which is what the
 * trainer's input position t predicts.
 */
public interface TopKTeacher {

    /**
     * The teacher's top-k distributions along some sequences.
     *
     * @param sequences token sequences of at least 2 tokens each
     * @return per sequence, in order, an entry whose tokens are {@code x_0 .. x_{n-2}} and whose ids and
     *     log-probabilities are (n - 1) x {@link #k()}, row-major, most likely first
     */
    List<TopKCache.Entry> topK(List<int[]> sequences);

    /** K, the tokens known per position. */
    int k();

    /** The temperature the log-probabilities are at (an endpoint's: 1). */
    float temperature();

    /** Who the teacher is, for a cache's description: a model directory, or an endpoint and its model. */
    String identity();

    /**
     * Counters for the run's step metrics, by name ({@code teacher_requests}, {@code teacher_retries}, ...):
     * an endpoint's client counts; none by default.
     */
    default Map<String, Double> stats() {
        return Map.of();
    }
}
