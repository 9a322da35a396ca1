package ai.goldkd.gold;

import ai.goldkd.teacher.CachedGenerator;
import ai.goldkd.teacher.ClientStats;
import ai.goldkd.teacher.Completion;
import ai.goldkd.teacher.EndpointPool;
import ai.goldkd.teacher.GenerationRequest;
import ai.goldkd.teacher.GenerationResult;
import ai.goldkd.teacher.Generator;
import ai.goldkd.teacher.OpenAiClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Counts what the loop asks of its teacher: calls, tokens, time, retries and failures, read off
 * between iterations. An endpoint's counts come from its client's {@link ClientStats} (summed over the
 * replicas of an {@link EndpointPool}, each replica's answers and failures also on its own); an offline
 * teacher's are counted here (completion tokens where it returns token ids, no prompt tokens, no
 * retries). Behind a {@link CachedGenerator} the calls are those that reached the teacher, and the
 * cache's hits and misses are counted too.
 */
final class TeacherMeter {

    private final Generator teacher;
    private final CachedGenerator cached;
    private final List<OpenAiClient> clients = new ArrayList<>();
    private final EndpointPool pool;
    private long calls;
    private long completionTokens;
    private long failures;
    private long nanos;
    private ClientStats start;
    private CachedGenerator.Stats cacheStart;
    private List<EndpointPool.EndpointStats> poolStart;

    TeacherMeter(Generator teacher) {
        this.teacher = teacher;
        this.cached = teacher instanceof CachedGenerator c ? c : null;
        Generator behind = cached != null ? cached.teacher() : teacher;
        this.pool = behind instanceof EndpointPool p ? p : null;
        if (behind instanceof OpenAiClient client) {
            clients.add(client);
        } else if (pool != null && pool.endpoints().stream().allMatch(e -> e.generator() instanceof OpenAiClient)) {
            pool.endpoints().forEach(e -> clients.add((OpenAiClient) e.generator()));
        }
        reset();
    }

    /** Starts a new count. */
    void reset() {
        calls = 0;
        completionTokens = 0;
        failures = 0;
        nanos = 0;
        start = clients.isEmpty() ? null : clientStats();
        cacheStart = cached == null ? null : cached.stats();
        poolStart = pool == null ? null : pool.stats();
    }

    /** Sends requests to the teacher, counting. */
    List<GenerationResult> generateAll(List<GenerationRequest> requests) {
        long t0 = System.nanoTime();
        long hitsBefore = cached == null ? 0 : cached.stats().hits();
        long hitTokensBefore = cached == null ? 0 : cached.hitTokens();
        List<GenerationResult> results = teacher.generateAll(requests);
        nanos += System.nanoTime() - t0;
        if (cached != null) { // what the cache answered cost the teacher nothing
            calls -= cached.stats().hits() - hitsBefore;
            completionTokens -= cached.hitTokens() - hitTokensBefore;
        }
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
            ClientStats now = clientStats();
            metrics.put(GoldMetrics.TEACHER_CALLS, (double) (now.requests() - start.requests()));
            metrics.put(GoldMetrics.TEACHER_PROMPT_TOKENS, (double) (now.promptTokens() - start.promptTokens()));
            metrics.put(GoldMetrics.TEACHER_COMPLETION_TOKENS, (double)
                    (now.completionTokens() - start.completionTokens()));
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
        if (cached != null) {
            CachedGenerator.Stats now = cached.stats();
            metrics.put(GoldMetrics.TEACHER_CACHE_HITS, (double) (now.hits() - cacheStart.hits()));
            metrics.put(GoldMetrics.TEACHER_CACHE_MISSES, (double) (now.misses() - cacheStart.misses()));
        }
        if (pool != null) {
            List<EndpointPool.EndpointStats> now = pool.stats();
            for (int i = 0; i < now.size(); i++) {
                metrics.put(GoldMetrics.endpoint(i, GoldMetrics.ENDPOINT_ANSWERED), (double)
                        (now.get(i).answered() - poolStart.get(i).answered()));
                metrics.put(GoldMetrics.endpoint(i, GoldMetrics.ENDPOINT_FAILED), (double)
                        (now.get(i).failed() - poolStart.get(i).failed()));
                metrics.put(
                        GoldMetrics.endpoint(i, GoldMetrics.ENDPOINT_ALIVE),
                        now.get(i).alive() ? 1.0 : 0.0);
            }
        }
    }

    private ClientStats clientStats() {
        long requests = 0;
        long prompt = 0;
        long completion = 0;
        long retries = 0;
        long failed = 0;
        for (OpenAiClient c : clients) {
            ClientStats s = c.stats();
            requests += s.requests();
            prompt += s.promptTokens();
            completion += s.completionTokens();
            retries += s.retries();
            failed += s.failures();
        }
        return new ClientStats(requests, 0, retries, failed, 0, 0, 0, 0, 0, prompt, completion);
    }
}
