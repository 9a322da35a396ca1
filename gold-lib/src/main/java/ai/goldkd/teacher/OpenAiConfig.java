package ai.goldkd.teacher;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

/**
 * Where and how {@link OpenAiClient} talks to an OpenAI-compatible endpoint (gold serve, vLLM, Ollama,
 * llama.cpp's server, a hosted API). The API key is not part of the config: only the name of the
 * environment variable that holds it, so a config can be printed and written beside a run's outputs.
 *
 * @param baseUrl the API root up to and including {@code /v1}, e.g. {@code http://127.0.0.1:8000/v1}
 * @param model the model name sent with every request
 * @param api which endpoint: {@code /completions} or {@code /chat/completions}
 * @param apiKeyEnv the name of the environment variable holding the API key; when it is unset or empty
 *     no Authorization header is sent (local servers need none)
 * @param systemPrompt for the chat API, a system message sent before the prompt; null for none
 * @param connectTimeout how long to wait for a connection
 * @param requestTimeout how long to wait for a whole answer; a longer wait is a retryable error
 * @param maxRetries how many times a request is retried after its first try (0 = never)
 * @param initialBackoff the wait before the first retry; it doubles with each retry, with jitter
 * @param maxBackoff the longest wait between retries (a Retry-After header may ask for longer)
 * @param maxRetryAfter the longest Retry-After that is honoured; longer asks are cut to this
 * @param maxConcurrency the most requests in flight at once, over all threads using the client
 * @param breakerThreshold after this many requests in a row have failed for good, the client stops
 *     (every later request fails at once with one clear error): the teacher is down, not unlucky
 * @param slowNotice how long an answer may take before the client says it is still waiting (at most
 *     one such message per this period, whatever the number of requests in flight)
 */
public record OpenAiConfig(
        String baseUrl,
        String model,
        Api api,
        String apiKeyEnv,
        String systemPrompt,
        Duration connectTimeout,
        Duration requestTimeout,
        int maxRetries,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration maxRetryAfter,
        int maxConcurrency,
        int breakerThreshold,
        Duration slowNotice) {

    /** The default name of the API key's environment variable. */
    public static final String DEFAULT_KEY_ENV = "OPENAI_API_KEY";

    /** The two OpenAI text endpoints. */
    public enum Api {
        /** {@code POST /completions}: a prompt is continued. */
        COMPLETIONS,
        /** {@code POST /chat/completions}: the prompt is sent as the user message. */
        CHAT
    }

    /** Checks every field and names the bad value. */
    public OpenAiConfig {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalArgumentException("baseUrl is empty; give the API root, e.g. http://127.0.0.1:8000/v1");
        }
        baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        try {
            URI uri = new URI(baseUrl);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("baseUrl '" + baseUrl + "' is not an http(s) URL; give the API root,"
                        + " e.g. http://127.0.0.1:8000/v1");
            }
            if (uri.getUserInfo() != null) {
                throw new IllegalArgumentException("baseUrl carries user info; remove it and put the key in the"
                        + " environment variable named by apiKeyEnv");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "baseUrl '" + baseUrl + "' is not a URL (" + e.getReason()
                            + "); give the API root, e.g. http://127.0.0.1:8000/v1",
                    e);
        }
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException(
                    "model is empty; give the model name the endpoint serves (GET /v1/models)");
        }
        if (api == null) {
            throw new IllegalArgumentException("api is null; use Api.COMPLETIONS or Api.CHAT");
        }
        // The value is never echoed: a key passed here by mistake must not land in a log.
        if (apiKeyEnv == null || !apiKeyEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("apiKeyEnv is not an environment variable name (letters, digits, _);"
                    + " if you passed the key itself, put it in a variable such as " + DEFAULT_KEY_ENV
                    + " and give that name");
        }
        positive("connectTimeout", connectTimeout);
        positive("requestTimeout", requestTimeout);
        positive("initialBackoff", initialBackoff);
        positive("maxBackoff", maxBackoff);
        positive("maxRetryAfter", maxRetryAfter);
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0, got " + maxRetries);
        }
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("maxConcurrency must be >= 1, got " + maxConcurrency);
        }
        if (breakerThreshold < 1) {
            throw new IllegalArgumentException("breakerThreshold must be >= 1, got " + breakerThreshold);
        }
        positive("slowNotice", slowNotice);
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
        }
    }

    /**
     * The completions API with the key in {@value #DEFAULT_KEY_ENV}, no system prompt, 10 s to connect,
     * 120 s per answer, 5 retries from 0.5 s backing off to 30 s, Retry-After honoured up to 120 s,
     * 8 requests in flight, stopping after 16 failed requests in a row, a message after 15 s of waiting.
     *
     * @param baseUrl the API root up to and including {@code /v1}
     * @param model the model name
     * @return the config
     */
    public static OpenAiConfig defaults(String baseUrl, String model) {
        return new OpenAiConfig(
                baseUrl,
                model,
                Api.COMPLETIONS,
                DEFAULT_KEY_ENV,
                null,
                Duration.ofSeconds(10),
                Duration.ofSeconds(120),
                5,
                Duration.ofMillis(500),
                Duration.ofSeconds(30),
                Duration.ofSeconds(120),
                8,
                16,
                Duration.ofSeconds(15));
    }

    /** @return a copy on another endpoint */
    public OpenAiConfig withApi(Api value) {
        return new OpenAiConfig(
                baseUrl,
                model,
                value,
                apiKeyEnv,
                systemPrompt,
                connectTimeout,
                requestTimeout,
                maxRetries,
                initialBackoff,
                maxBackoff,
                maxRetryAfter,
                maxConcurrency,
                breakerThreshold,
                slowNotice);
    }

    /** @return a copy reading the key from another environment variable */
    public OpenAiConfig withApiKeyEnv(String value) {
        return new OpenAiConfig(
                baseUrl,
                model,
                api,
                value,
                systemPrompt,
                connectTimeout,
                requestTimeout,
                maxRetries,
                initialBackoff,
                maxBackoff,
                maxRetryAfter,
                maxConcurrency,
                breakerThreshold,
                slowNotice);
    }

    /** @return a copy with a system prompt for the chat API (null for none) */
    public OpenAiConfig withSystemPrompt(String value) {
        return new OpenAiConfig(
                baseUrl,
                model,
                api,
                apiKeyEnv,
                value,
                connectTimeout,
                requestTimeout,
                maxRetries,
                initialBackoff,
                maxBackoff,
                maxRetryAfter,
                maxConcurrency,
                breakerThreshold,
                slowNotice);
    }

    /** @return a copy with other timeouts */
    public OpenAiConfig withTimeouts(Duration connect, Duration request) {
        return new OpenAiConfig(
                baseUrl,
                model,
                api,
                apiKeyEnv,
                systemPrompt,
                connect,
                request,
                maxRetries,
                initialBackoff,
                maxBackoff,
                maxRetryAfter,
                maxConcurrency,
                breakerThreshold,
                slowNotice);
    }

    /** @return a copy with another retry policy */
    public OpenAiConfig withRetries(int retries, Duration initial, Duration max) {
        return new OpenAiConfig(
                baseUrl,
                model,
                api,
                apiKeyEnv,
                systemPrompt,
                connectTimeout,
                requestTimeout,
                retries,
                initial,
                max,
                maxRetryAfter,
                maxConcurrency,
                breakerThreshold,
                slowNotice);
    }

    /** @return a copy that honours Retry-After up to another limit */
    public OpenAiConfig withMaxRetryAfter(Duration value) {
        return new OpenAiConfig(
                baseUrl,
                model,
                api,
                apiKeyEnv,
                systemPrompt,
                connectTimeout,
                requestTimeout,
                maxRetries,
                initialBackoff,
                maxBackoff,
                value,
                maxConcurrency,
                breakerThreshold,
                slowNotice);
    }

    /** @return a copy that stops after another number of failed requests in a row */
    public OpenAiConfig withBreakerThreshold(int value) {
        return new OpenAiConfig(
                baseUrl,
                model,
                api,
                apiKeyEnv,
                systemPrompt,
                connectTimeout,
                requestTimeout,
                maxRetries,
                initialBackoff,
                maxBackoff,
                maxRetryAfter,
                maxConcurrency,
                value,
                slowNotice);
    }

    /** @return a copy that says it is still waiting after another time */
    public OpenAiConfig withSlowNotice(Duration value) {
        return new OpenAiConfig(
                baseUrl,
                model,
                api,
                apiKeyEnv,
                systemPrompt,
                connectTimeout,
                requestTimeout,
                maxRetries,
                initialBackoff,
                maxBackoff,
                maxRetryAfter,
                maxConcurrency,
                breakerThreshold,
                value);
    }

    /** @return a copy with another limit on requests in flight */
    public OpenAiConfig withMaxConcurrency(int value) {
        return new OpenAiConfig(
                baseUrl,
                model,
                api,
                apiKeyEnv,
                systemPrompt,
                connectTimeout,
                requestTimeout,
                maxRetries,
                initialBackoff,
                maxBackoff,
                maxRetryAfter,
                value,
                breakerThreshold,
                slowNotice);
    }
}
