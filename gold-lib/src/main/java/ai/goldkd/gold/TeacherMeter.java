package ai.goldkd.gold;

import ai.goldkd.teacher.ClientStats;
import ai.goldkd.teacher.Completion;
import ai.goldkd.teacher.GenerationRequest;
import ai.goldkd.teacher.GenerationResult;
import ai.goldkd.teacher.Generator;
import ai.goldkd.teacher.OpenAiClient;

import java.util.List;
import java.util.Map;

/**
 * Counts what the loop asks of its teacher: calls, tokens, time, retries and failures, read off
 * between iterations. An endpoint's counts come from its client's {@link ClientStats}; an offline
 * teacher's are counted here (completion tokens where it returns token ids, no prompt tokens, no retries).
 */
final class TeacherMeter {

    private final Generator teacher;
    private long calls;
    private long completionTokens;
    private long failures;
    private long nanos;
    private ClientStats start;

    TeacherMeter(Generator teacher) {
        this.teacher = teacher;
        reset();
    }

    /** Starts a new count. */
    void reset() {
        calls = 0;
        completionTokens = 0;
        failures = 0;
        nanos = 0;
        start = teacher instanceof OpenAiClient client ? client.stats() : null;
    }

    /** Sends requests to the teacher, counting. */
    List<GenerationResult> generateAll(List<GenerationRequest> requests) {
        long t0 = System.nanoTime();
        List<GenerationResult> results = teacher.generateAll(requests);
        nanos += System.nanoTime() - t0;
        calls += requests.size();
        for (GenerationResult r : results) {
            if (!r.ok()) {
                failures++;
            }
            for (Completion c : r.completions()) {
                completionTokens += c.tokens() == null ? 0 : c.tokens().length;
            }
        }
        return results;
    }

    /** Wall time in the teacher since the last reset, in nanoseconds. */
    long nanos() {
        return nanos;
    }

    /** Writes the counts since the last reset into an iteration's metrics. */
    void putInto(Map<String, Double> metrics) {
        if (start != null) {
            ClientStats now = ((OpenAiClient) teacher).stats();
            metrics.put(GoldMetrics.TEACHER_CALLS, (double) (now.requests() - start.requests()));
            metrics.put(GoldMetrics.TEACHER_PROMPT_TOKENS, (double) (now.promptTokens() - start.promptTokens()));
            metrics.put(GoldMetrics.TEACHER_COMPLETION_TOKENS,
                    (double) (now.completionTokens() - start.completionTokens()));
            metrics.put(GoldMetrics.TEACHER_RETRIES, (double) (now.retries() - start.retries()));
            metrics.put(GoldMetrics.TEACHER_FAILURES, (double) (now.failures() - start.failures()));
        } else {
            metrics.put(GoldMetrics.TEACHER_CALLS, (double) calls);
            metrics.put(GoldMetrics.TEACHER_PROMPT_TOKENS, 0.0);
            metrics.put(GoldMetrics.TEACHER_COMPLETION_TOKENS, (double) completionTokens);
            metrics.put(GoldMetrics.TEACHER_RETRIES, 0.0);
            metrics.put(GoldMetrics.TEACHER_FAILURES, (double) failures);
        }
        metrics.put(GoldMetrics.TEACHER_SECONDS, nanos / 1e9);
    }
}
