package ai.goldkd.gold;

/**
 * Which teacher writes a run's data, and how it samples.
 *
 * @param kind {@code imdb} (the offline latent-topic teacher), {@code imdb-cache} (the trigram teacher
 *     whose examples act through a cache: a baseline), {@code imdb-transformer} (a small transformer LM
 *     trained on IMDB TRAIN: a candidate), {@code arithmetic-writer} (the offline writer of arithmetic
 *     word problems) or {@code endpoint} (an OpenAI-compatible server)
 * @param baseUrl the endpoint's base URL ({@code endpoint} only), e.g. {@code http://127.0.0.1:8000/v1}
 * @param model the endpoint's model name ({@code endpoint} only)
 * @param temperature sampling temperature
 * @param topK top-k (0: off)
 * @param topP top-p (1: off)
 * @param maxTokens the most tokens per generation
 * @param timeoutSeconds ({@code endpoint} only) the longest wait for one answer, or null for the
 *     client's default ({@link ai.goldkd.teacher.OpenAiConfig#defaults})
 * @param retries ({@code endpoint} only) retries of a failed request, or null for the client's default
 */
public record TeacherSpec(String kind, String baseUrl, String model, float temperature, int topK, float topP,
        int maxTokens, Double timeoutSeconds, Integer retries) {

    /** Checks the fields. */
    public TeacherSpec {
        if (kind == null || kind.isBlank()) {
            throw new IllegalArgumentException("teacher kind is empty; use imdb, imdb-cache, imdb-transformer,"
                    + " arithmetic-writer or endpoint");
        }
        if ("endpoint".equals(kind) && (baseUrl == null || baseUrl.isBlank())) {
            throw new IllegalArgumentException("an endpoint teacher needs baseUrl, e.g. http://127.0.0.1:8000/v1");
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("teacher maxTokens must be >= 1, got " + maxTokens);
        }
        if (timeoutSeconds != null && !(timeoutSeconds > 0 && timeoutSeconds <= 86_400)) {
            throw new IllegalArgumentException("teacher timeoutSeconds must be in (0, 86400], got " + timeoutSeconds);
        }
        if (retries != null && (retries < 0 || retries > 100)) {
            throw new IllegalArgumentException("teacher retries must be in [0, 100], got " + retries);
        }
    }

    /** A spec with the client's default timeout and retries. */
    public TeacherSpec(String kind, String baseUrl, String model, float temperature, int topK, float topP,
            int maxTokens) {
        this(kind, baseUrl, model, temperature, topK, topP, maxTokens, null, null);
    }

    /**
     * An offline teacher with the paper's sampling (temperature 0.8, top-k 20).
     *
     * @param kind {@code imdb}, {@code imdb-cache}, {@code imdb-transformer} or {@code arithmetic-writer}
     * @return the spec
     */
    public static TeacherSpec offline(String kind) {
        return new TeacherSpec(kind, null, null, 0.8f, 20, 1f, 160);
    }

    /**
     * An OpenAI-compatible endpoint with the paper's sampling (top-k 10 as the paper's Llama runs; the
     * temperature 0.8).
     *
     * @param baseUrl the base URL
     * @param model the model name
     * @return the spec
     */
    public static TeacherSpec endpoint(String baseUrl, String model) {
        return new TeacherSpec("endpoint", baseUrl, model, 0.8f, 10, 1f, 256);
    }

    /** @return a copy sampling with these settings */
    public TeacherSpec withSampling(float t, int k, float p) {
        return new TeacherSpec(kind, baseUrl, model, t, k, p, maxTokens, timeoutSeconds, retries);
    }

    /** @return a copy with another answer timeout and retry count for the endpoint (null: the default) */
    public TeacherSpec withClient(Double timeout, Integer retryCount) {
        return new TeacherSpec(kind, baseUrl, model, temperature, topK, topP, maxTokens, timeout, retryCount);
    }

    /**
     * The client settings for an {@code endpoint} teacher: the defaults with this spec's timeout and retries.
     *
     * @return the config
     */
    public ai.goldkd.teacher.OpenAiConfig clientConfig() {
        ai.goldkd.teacher.OpenAiConfig c = ai.goldkd.teacher.OpenAiConfig.defaults(baseUrl, model);
        if (timeoutSeconds != null) {
            java.time.Duration t = java.time.Duration.ofMillis(Math.round(timeoutSeconds * 1000));
            c = c.withTimeouts(t.compareTo(c.connectTimeout()) < 0 ? t : c.connectTimeout(), t);
        }
        return retries == null ? c : c.withRetries(retries, c.initialBackoff(), c.maxBackoff());
    }

    /**
     * A request for one sample with this spec's sampling, as the loop sends it.
     *
     * @param prompt the prompt text
     * @param stops the stop sequences ({@link ai.goldkd.generation.Prompts#stops()})
     * @param seed the sampling seed
     * @return the request
     */
    public ai.goldkd.teacher.GenerationRequest request(String prompt, java.util.List<String> stops, long seed) {
        return new ai.goldkd.teacher.GenerationRequest(prompt, 1, maxTokens, temperature, topP, topK, stops, false, 0,
                seed);
    }
}
