package ai.goldkd.teacher;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A generator that answers reproducible requests (seeded or greedy) from a {@link CompletionCache}
 * and asks its teacher only for the rest, storing what the teacher answers. A rerun of a seeded GOLD
 * run, or a second method whose prompts coincide with the first's, then costs no teacher call for
 * them and gets byte-identical samples. Unseeded sampled requests always go to the teacher.
 */
public final class CachedGenerator implements Generator {

    private final Generator teacher;
    private final String identity;
    private final CompletionCache cache;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong hitTokens = new AtomicLong();

    /** Hits and misses so far. */
    public record Stats(long hits, long misses) {}

    /**
     * Wraps a teacher.
     *
     * @param teacher the teacher that answers misses
     * @param identity what makes its answers its own: endpoint and model, or an offline teacher's name
     *     and recipe hash; two teachers must never share an identity
     * @param cache the store
     */
    public CachedGenerator(Generator teacher, String identity, CompletionCache cache) {
        if (identity == null || identity.isBlank()) {
            throw new IllegalArgumentException("a cached teacher needs an identity (endpoint and model, or a name and"
                    + " recipe); without one, two teachers would share answers");
        }
        this.teacher = teacher;
        this.identity = identity;
        this.cache = cache;
    }

    /** The teacher behind the cache. */
    public Generator teacher() {
        return teacher;
    }

    /** Hits and misses so far. */
    public Stats stats() {
        return new Stats(hits.get(), misses.get());
    }

    /** Completion tokens (where completions carry token ids) of the answers served from the cache so far. */
    public long hitTokens() {
        return hitTokens.get();
    }

    private void hit(List<Completion> completions) {
        hits.incrementAndGet();
        for (Completion c : completions) {
            hitTokens.addAndGet(c.tokens() == null ? 0 : c.tokens().length);
        }
    }

    @Override
    public List<Completion> generate(GenerationRequest request) {
        if (!CompletionCache.cacheable(request)) {
            return teacher.generate(request);
        }
        String key = CompletionCache.key(identity, request);
        Optional<List<Completion>> stored = cache.get(key);
        if (stored.isPresent()) {
            hit(stored.get());
            return stored.get();
        }
        misses.incrementAndGet();
        List<Completion> answer = teacher.generate(request);
        cache.put(key, answer);
        return answer;
    }

    @Override
    public List<GenerationResult> generateAll(List<GenerationRequest> requests) {
        GenerationResult[] out = new GenerationResult[requests.size()];
        List<GenerationRequest> asked = new ArrayList<>();
        List<Integer> where = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            GenerationRequest request = requests.get(i);
            String key = CompletionCache.cacheable(request) ? CompletionCache.key(identity, request) : null;
            Optional<List<Completion>> stored = key == null ? Optional.empty() : cache.get(key);
            if (stored.isPresent()) {
                hit(stored.get());
                out[i] = GenerationResult.success(i, stored.get());
            } else {
                if (key != null) {
                    misses.incrementAndGet();
                }
                asked.add(request);
                where.add(i);
                keys.add(key);
            }
        }
        if (!asked.isEmpty()) {
            List<GenerationResult> answered = teacher.generateAll(asked);
            for (int j = 0; j < answered.size(); j++) {
                GenerationResult result = answered.get(j);
                int i = where.get(j);
                if (result.ok() && keys.get(j) != null) {
                    cache.put(keys.get(j), result.completions());
                }
                out[i] = new GenerationResult(i, result.completions(), result.error());
            }
        }
        return List.of(out);
    }
}
