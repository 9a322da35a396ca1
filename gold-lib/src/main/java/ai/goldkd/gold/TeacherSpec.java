package ai.goldkd.gold;

import ai.goldkd.teacher.GenerationRequest;
import ai.goldkd.teacher.OpenAiConfig;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Which teacher writes a run's data, and how it samples.
 *
 * @param kind which teacher ({@link TeacherKind}: an offline one or an endpoint)
 * @param baseUrl the endpoint's base URL ({@code endpoint} only), e.g. {@code http://127.0.0.1:8000/v1}
 * @param model the endpoint's model name ({@code endpoint}), or the model directory ({@code checkpoint}:
 *     {@code hf:DIR} or a path)
 * @param temperature sampling temperature
 * @param topK top-k (0: off)
 * @param topP top-p (1: off)
 * @param maxTokens the most tokens per generation
 * @param timeoutSeconds ({@code endpoint} only) the longest wait for one answer, or null for the
 *     client's default ({@link ai.goldkd.teacher.OpenAiConfig#defaults})
 * @param retries ({@code endpoint} only) retries of a failed request, or null for the client's default
 * @param cache whether reproducible requests (seeded or greedy) are answered from the completion cache
 *     under {@code $GOLD_HOME/cache/completions} when an earlier run asked the same teacher the same
 *     thing (on by default; {@code false} asks the teacher every time)
 * @param endpoints ({@code endpoint} only) replicas of the model to spread the requests over, each with
 *     its own concurrency limit, instead of the one {@code baseUrl}; empty for one endpoint
 */
public record TeacherSpec(
        TeacherKind kind,
        String baseUrl,
        String model,
        float temperature,
        int topK,
        float topP,
        int maxTokens,
        Double timeoutSeconds,
        Integer retries,
        boolean cache,
        List<TeacherEndpoint> endpoints) {

    /** Checks the fields. */
    public TeacherSpec {
        if (kind == null) {
            throw new IllegalArgumentException(
                    "teacher kind is missing; use one of " + TeacherKind.offlineLabels() + " or endpoint");
        }
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        boolean noUrl = baseUrl == null || baseUrl.isBlank();
        if (kind == TeacherKind.ENDPOINT && noUrl && endpoints.isEmpty()) {
            throw new IllegalArgumentException("an endpoint teacher needs baseUrl, e.g. http://127.0.0.1:8000/v1, or"
                    + " endpoints: [{\"url\": ...}, ...]");
        }
        if (!noUrl && !endpoints.isEmpty()) {
            throw new IllegalArgumentException("teacher: baseUrl " + baseUrl + " and endpoints "
                    + endpoints.stream().map(TeacherEndpoint::url).toList()
                    + " are both given; list every replica in endpoints and set"
                    + " baseUrl to null");
        }
        if (kind != TeacherKind.ENDPOINT && !endpoints.isEmpty()) {
            throw new IllegalArgumentException("teacher: endpoints are for kind endpoint; kind " + kind.label()
                    + " runs in this process: leave endpoints out");
        }
        if (endpoints.stream().map(TeacherEndpoint::url).distinct().count() < endpoints.size()) {
            throw new IllegalArgumentException("teacher.endpoints lists a URL twice ("
                    + endpoints.stream().map(TeacherEndpoint::url).toList()
                    + "); give each replica once, with its concurrency");
        }
        if (kind == TeacherKind.CHECKPOINT && (model == null || model.isBlank())) {
            throw new IllegalArgumentException("a checkpoint teacher needs model: its directory (hf:DIR or a path)");
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("teacher maxTokens must be >= 1, got " + maxTokens);
        }
        if (!(temperature >= 0) || topK < 0 || !(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("teacher sampling needs temperature >= 0, topK >= 0 and topP in (0, 1],"
                    + " got " + temperature + ", " + topK + ", " + topP);
        }
        if (timeoutSeconds != null && !(timeoutSeconds > 0 && timeoutSeconds <= 86_400)) {
            throw new IllegalArgumentException("teacher timeoutSeconds must be in (0, 86400], got " + timeoutSeconds);
        }
        if (retries != null && (retries < 0 || retries > 100)) {
            throw new IllegalArgumentException("teacher retries must be in [0, 100], got " + retries);
        }
    }

    /** A spec with the client's default timeout and retries, the cache on, one endpoint. */
    public TeacherSpec(
            TeacherKind kind, String baseUrl, String model, float temperature, int topK, float topP, int maxTokens) {
        this(kind, baseUrl, model, temperature, topK, topP, maxTokens, null, null, true, List.of());
    }

    /** A spec with the cache on and one endpoint. */
    public TeacherSpec(
            TeacherKind kind,
            String baseUrl,
            String model,
            float temperature,
            int topK,
            float topP,
            int maxTokens,
            Double timeoutSeconds,
            Integer retries) {
        this(kind, baseUrl, model, temperature, topK, topP, maxTokens, timeoutSeconds, retries, true, List.of());
    }

    /** The latent-topic IMDB teacher with the paper's sampling. */
    public static TeacherSpec defaults() {
        return offline(TeacherKind.IMDB);
    }

    /**
     * An offline teacher with the paper's sampling (temperature 0.8, top-k 20).
     *
     * @param kind an offline kind
     * @return the spec
     */
    public static TeacherSpec offline(TeacherKind kind) {
        if (!kind.offline()) {
            throw new IllegalArgumentException("teacher " + kind.label() + " is not offline; use TeacherSpec.endpoint");
        }
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
        return new TeacherSpec(TeacherKind.ENDPOINT, baseUrl, model, 0.8f, 10, 1f, 256);
    }

    /**
     * The endpoint that {@code GOLD_ENDPOINT} (an OpenAI-compatible base URL) and {@code GOLD_MODEL}
     * (the model's name) name, when both are set; the key, if the server needs one, is read from
     * {@code OPENAI_API_KEY} when the teacher opens, never stored.
     *
     * @return the spec, or empty when either variable is unset
     */
    public static Optional<TeacherSpec> endpointFromEnvironment() {
        String url = System.getenv("GOLD_ENDPOINT");
        String model = System.getenv("GOLD_MODEL");
        return url == null || url.isBlank() || model == null || model.isBlank()
                ? Optional.empty()
                : Optional.of(endpoint(url, model));
    }

    /** @return a copy sampling with these settings */
    public TeacherSpec withSampling(float t, int k, float p) {
        return new TeacherSpec(kind, baseUrl, model, t, k, p, maxTokens, timeoutSeconds, retries, cache, endpoints);
    }

    /** @return a copy with another answer timeout and retry count for the endpoint (null: the default) */
    public TeacherSpec withClient(Double timeout, Integer retryCount) {
        return new TeacherSpec(
                kind, baseUrl, model, temperature, topK, topP, maxTokens, timeout, retryCount, cache, endpoints);
    }

    /**
     * The client settings for an {@code endpoint} teacher: the defaults with this spec's timeout and retries.
     *
     * @return the config
     */
    public OpenAiConfig clientConfig() {
        return clientConfig(baseUrl);
    }

    /**
     * The client settings for one endpoint of this spec (its {@code baseUrl} or one of its {@code endpoints}).
     *
     * @param url the endpoint's base URL
     * @return the config
     */
    public OpenAiConfig clientConfig(String url) {
        OpenAiConfig c = OpenAiConfig.defaults(url, model);
        if (timeoutSeconds != null) {
            Duration t = Duration.ofMillis(Math.round(timeoutSeconds * 1000));
            c = c.withTimeouts(t.compareTo(c.connectTimeout()) < 0 ? t : c.connectTimeout(), t);
        }
        return retries == null ? c : c.withRetries(retries, c.initialBackoff(), c.maxBackoff());
    }

    /**
     * An instruct checkpoint in this process, prompted through its chat template, with the paper's
     * sampling (temperature 0.8, top-k 10, 256 tokens).
     *
     * @param dir the model directory: {@code hf:DIR} or a path
     * @return the spec
     */
    public static TeacherSpec checkpoint(String dir) {
        return new TeacherSpec(TeacherKind.CHECKPOINT, null, dir, 0.8f, 10, 1f, 256);
    }

    /** @return a copy whose teacher is the checkpoint in {@code dir}, the sampling kept */
    public TeacherSpec withCheckpoint(String dir) {
        return new TeacherSpec(TeacherKind.CHECKPOINT, null, dir, temperature, topK, topP, maxTokens);
    }

    /** @return a copy with another teacher, the sampling kept (an offline kind drops the URL and model) */
    public TeacherSpec withKind(TeacherKind value) {
        return value.offline()
                ? new TeacherSpec(value, null, null, temperature, topK, topP, maxTokens, null, null, cache, List.of())
                : new TeacherSpec(
                        value,
                        baseUrl,
                        model,
                        temperature,
                        topK,
                        topP,
                        maxTokens,
                        timeoutSeconds,
                        retries,
                        cache,
                        endpoints);
    }

    /** @return a copy asking the endpoint at {@code url} for {@code name}, the sampling kept */
    public TeacherSpec withEndpoint(String url, String name) {
        return new TeacherSpec(
                TeacherKind.ENDPOINT,
                url,
                name,
                temperature,
                topK,
                topP,
                maxTokens,
                timeoutSeconds,
                retries,
                cache,
                List.of());
    }

    /** @return a copy asking the replicas {@code list} for {@code name} (no baseUrl), the sampling kept */
    public TeacherSpec withEndpoints(List<TeacherEndpoint> list, String name) {
        return new TeacherSpec(
                TeacherKind.ENDPOINT,
                null,
                name,
                temperature,
                topK,
                topP,
                maxTokens,
                timeoutSeconds,
                retries,
                cache,
                list);
    }

    /** @return a copy with the completion cache on or off */
    public TeacherSpec withCache(boolean value) {
        return new TeacherSpec(
                kind, baseUrl, model, temperature, topK, topP, maxTokens, timeoutSeconds, retries, value, endpoints);
    }

    /** The endpoints to ask: {@code endpoints}, or {@code baseUrl} alone; empty for an offline teacher. */
    public List<TeacherEndpoint> replicas() {
        if (!endpoints.isEmpty()) {
            return endpoints;
        }
        return baseUrl == null || baseUrl.isBlank() ? List.of() : List.of(TeacherEndpoint.of(baseUrl));
    }

    /** @return a copy with another limit on tokens per generation */
    public TeacherSpec withMaxTokens(int value) {
        return new TeacherSpec(
                kind, baseUrl, model, temperature, topK, topP, value, timeoutSeconds, retries, cache, endpoints);
    }

    /**
     * A request for one sample with this spec's sampling, as the loop sends it.
     *
     * @param prompt the prompt text
     * @param stops the stop sequences ({@link ai.goldkd.prompt.Prompts#stops()})
     * @param seed the sampling seed
     * @return the request
     */
    public GenerationRequest request(String prompt, List<String> stops, long seed) {
        return new GenerationRequest(prompt, 1, maxTokens, temperature, topP, topK, stops, false, 0, seed);
    }
}
