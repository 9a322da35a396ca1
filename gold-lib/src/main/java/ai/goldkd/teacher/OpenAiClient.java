package ai.goldkd.teacher;

import com.google.gson.JsonParser;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A {@link Generator} over an OpenAI-compatible endpoint ({@code /completions} or
 * {@code /chat/completions}), on the JDK's {@code HttpClient}.
 *
 * <p>Resilient by design: 429s, 5xx answers, connection errors, timeouts and 200 answers whose body
 * is malformed or cut short are retried with exponential backoff and jitter, waiting as long as a
 * {@code Retry-After} header asks (up to {@link OpenAiConfig#maxRetryAfter()}); other 4xx answers are
 * the request's own fault and are reported at once with the server's message. At most
 * {@link OpenAiConfig#maxConcurrency()} requests are in flight. {@link #generateAll} turns a request
 * that fails for good into a failed {@link GenerationResult}, so one bad request never ends a run.
 * {@link #stats()} counts requests, retries, failures and tokens.
 *
 * <p>A dead teacher is not retried for ever: {@link #checkReachable()} fails at once on a refused
 * connection, and after {@link OpenAiConfig#breakerThreshold()} requests in a row have failed for good
 * the client stops with a {@link TeacherDown} (a circuit breaker). An answer that takes longer than
 * {@link OpenAiConfig#slowNotice()} is reported as still awaited, so a stuck endpoint is never silent.
 *
 * <p>The API key is read once from the environment variable named by {@link OpenAiConfig#apiKeyEnv()}
 * and is sent only in the Authorization header: never logged, printed or put in a message.
 */
public final class OpenAiClient implements Generator, AutoCloseable {

    private final OpenAiConfig config;
    private final String apiKey;
    private final HttpClient http;
    private final Semaphore inFlight;
    private final ExecutorService pool;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong serverErrors = new AtomicLong();
    private final AtomicLong connectionErrors = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong promptTokens = new AtomicLong();
    private final AtomicLong completionTokens = new AtomicLong();
    private final AtomicInteger failedInARow = new AtomicInteger();
    private final AtomicReference<String> broken = new AtomicReference<>();
    private final AtomicLong lastNotice = new AtomicLong(System.nanoTime());
    private final Consumer<String> notices;
    /**
     * Creates a client that reads its key from the process environment.
     *
     * @param config the endpoint and policies
     */
    public OpenAiClient(OpenAiConfig config) {
        this(config, System::getenv, System.err::println);
    }

    /**
     * Creates a client that reads its key from a given environment (tests, or a key kept elsewhere).
     *
     * @param config the endpoint and policies
     * @param environment variable name to value, null when unset
     */
    public OpenAiClient(OpenAiConfig config, Function<String, String> environment) {
        this(config, environment, System.err::println);
    }

    /**
     * Creates a client that tells a given sink when it is still waiting on a slow answer.
     *
     * @param config the endpoint and policies
     * @param environment variable name to value, null when unset
     * @param notices receives one line per {@link OpenAiConfig#slowNotice()} while answers are overdue
     */
    public OpenAiClient(OpenAiConfig config, Function<String, String> environment, Consumer<String> notices) {
        this.config = config;
        this.notices = notices;
        String key = environment.apply(config.apiKeyEnv());
        this.apiKey = key == null || key.isBlank() ? null : key.trim();
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout())
                .build();
        this.inFlight = new Semaphore(config.maxConcurrency(), true);
        AtomicInteger threadNumber = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(config.maxConcurrency(), r -> {
            Thread t = new Thread(r, "gold-client-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The config (which holds the key's variable name, never the key). */
    public OpenAiConfig config() {
        return config;
    }

    /** Whether a key was found in the environment (the key itself is not exposed). */
    public boolean hasKey() {
        return apiKey != null;
    }

    /** A snapshot of the counters. */
    public ClientStats stats() {
        return new ClientStats(
                requests.get(),
                attempts.get(),
                retries.get(),
                failures.get(),
                rateLimited.get(),
                serverErrors.get(),
                connectionErrors.get(),
                malformed.get(),
                samples.get(),
                promptTokens.get(),
                completionTokens.get());
    }

    @Override
    public List<Completion> generate(GenerationRequest request) {
        boolean chat = config.api() == OpenAiConfig.Api.CHAT;
        return post(
                chat ? "/chat/completions" : "/completions",
                ClientProtocol.body(config, request).toString(),
                body -> {
                    ClientProtocol.Parsed parsed = ClientProtocol.parse(body, request, chat);
                    samples.addAndGet(parsed.completions().size());
                    promptTokens.addAndGet(parsed.promptTokens());
                    completionTokens.addAndGet(parsed.completionTokens());
                    return parsed.completions();
                });
    }

    /**
     * POSTs a JSON body with the client's retries, backoff, breaker and counters (one request in
     * {@link #stats()}): {@link #generate}'s and {@link RemoteTeacher}'s scoring; {@code reader} reads a
     * 200 answer. Throws a {@link GenerationException} for a 4xx other than 429 or when retries are spent.
     */
    <T> T post(String path, String json, ClientProtocol.BodyReader<T> reader) {
        String down = broken.get();
        if (down != null) {
            throw new TeacherDown(down);
        }
        requests.incrementAndGet();
        String url = config.baseUrl() + path;
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                .timeout(config.requestTimeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (apiKey != null) {
            builder.header("Authorization", "Bearer " + apiKey);
        }
        HttpRequest http = builder.build();
        String lastError = "no attempt";
        for (int attempt = 0; ; attempt++) {
            Duration retryAfter = null;
            HttpResponse<String> response = null;
            try {
                response = send(http);
            } catch (IOException e) {
                connectionErrors.incrementAndGet();
                lastError = "no whole answer from " + url + " (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")";
            }
            if (response != null) {
                int status = response.statusCode();
                if (status == 200) {
                    try {
                        T out = reader.read(response.body());
                        failedInARow.set(0);
                        return out;
                    } catch (ClientProtocol.Malformed e) {
                        malformed.incrementAndGet();
                        lastError = "malformed answer from " + url + ": " + e.getMessage();
                    }
                } else if (status == 429 || status >= 500) {
                    (status == 429 ? rateLimited : serverErrors).incrementAndGet();
                    retryAfter = Backoff.retryAfter(
                            response.headers().firstValue("Retry-After").orElse(null));
                    lastError = "HTTP " + status + " from " + url + ": " + ClientProtocol.errorMessage(response.body());
                } else {
                    throw failed(new GenerationException(
                            "HTTP " + status + " from " + url + ": " + ClientProtocol.errorMessage(response.body())
                                    + hint(status),
                            status));
                }
            }
            if (attempt >= config.maxRetries()) {
                throw failed(new GenerationException(
                        "gave up after " + (attempt + 1) + " attempts; last: " + lastError
                                + "; raise --retries or check the endpoint",
                        response == null ? 0 : response.statusCode()));
            }
            if (broken.get() != null) {
                throw new TeacherDown(broken.get()); // others failed meanwhile: stop retrying a dead teacher
            }
            Duration wait = retryAfter != null
                    ? (retryAfter.compareTo(config.maxRetryAfter()) > 0 ? config.maxRetryAfter() : retryAfter)
                    : Backoff.exponential(attempt, config.initialBackoff(), config.maxBackoff());
            retries.incrementAndGet();
            sleep(wait);
        }
    }

    /** Counts a request given up on; enough of them in a row open the breaker. */
    private GenerationException failed(GenerationException e) {
        failures.incrementAndGet();
        int row = failedInARow.incrementAndGet();
        if (row >= config.breakerThreshold()) {
            broken.compareAndSet(
                    null,
                    "the teacher at " + config.baseUrl() + " failed " + row + " requests in a row"
                            + " (last: " + e.getMessage()
                            + "); stopped so as not to fill the run with rejects: check the"
                            + " endpoint, then continue with --resume");
        }
        return e;
    }

    /**
     * Checks that the endpoint answers before a run relies on it: one {@code GET /models}, no retry.
     *
     * @throws TeacherDown when nothing listens (naming the URL and "connection refused"), when no
     *     answer comes within the request timeout, when the key is refused, or when the endpoint does
     *     not serve the configured model
     */
    public void checkReachable() {
        Reachability.check(this);
    }

    /** One GET of {@code path} under the base URL with the key, no retry: for {@link Reachability}. */
    HttpResponse<String> get(String path, Duration timeout) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(config.baseUrl() + path))
                .timeout(timeout)
                .GET();
        if (apiKey != null) {
            builder.header("Authorization", "Bearer " + apiKey);
        }
        return send(builder.build(), timeout);
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException {
        return send(request, config.requestTimeout());
    }

    private HttpResponse<String> send(HttpRequest request, Duration timeout) throws IOException {
        return new BoundedExchange(
                        http, inFlight, attempts, lastNotice, notices, config.slowNotice(), config.maxConcurrency())
                .send(request, timeout);
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GenerationException("interrupted while backing off before a retry", 0);
        }
    }

    String hint(int status) {
        return switch (status) {
            case 401, 403 ->
                apiKey == null
                        ? "; no key was sent: set the environment variable " + config.apiKeyEnv()
                        : "; the key in " + config.apiKeyEnv() + " was refused";
            case 404 -> "; check the base URL (it ends in /v1) and the model name";
            default -> "";
        };
    }

    /**
     * Sends requests concurrently, at most {@link OpenAiConfig#maxConcurrency()} at once. A request that
     * fails for good becomes a failed result; the others go on.
     *
     * @param requests the requests
     * @return one result per request, in order
     */
    @Override
    public List<GenerationResult> generateAll(List<GenerationRequest> requests) {
        List<Future<GenerationResult>> futures = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            int index = i;
            GenerationRequest request = requests.get(i);
            futures.add(pool.submit(() -> {
                try {
                    return GenerationResult.success(index, generate(request));
                } catch (GenerationException e) { // one bad request; TeacherDown goes through and ends the call
                    return GenerationResult.failure(index, e.getMessage());
                }
            }));
        }
        List<GenerationResult> out = new ArrayList<>(requests.size());
        for (int i = 0; i < futures.size(); i++) {
            try {
                out.add(futures.get(i).get());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TeacherDown down) {
                    futures.forEach(f -> f.cancel(true));
                    throw new TeacherDown(down.getMessage());
                }
                failures.incrementAndGet();
                out.add(GenerationResult.failure(i, "the request failed unexpectedly: " + e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(f -> f.cancel(true));
                throw new GenerationException("interrupted while waiting for " + requests.size() + " requests", 0);
            }
        }
        return out;
    }

    /**
     * Lists the endpoint's models ({@code GET /models}), one attempt.
     *
     * @return the model ids
     */
    public List<String> models() {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(config.baseUrl() + "/models"))
                .timeout(config.requestTimeout())
                .GET();
        if (apiKey != null) {
            builder.header("Authorization", "Bearer " + apiKey);
        }
        try {
            HttpResponse<String> response = send(builder.build());
            if (response.statusCode() != 200) {
                throw new GenerationException(
                        "HTTP " + response.statusCode() + " from " + config.baseUrl() + "/models: "
                                + ClientProtocol.errorMessage(response.body()) + hint(response.statusCode()),
                        response.statusCode());
            }
            List<String> ids = new ArrayList<>();
            JsonParser.parseString(response.body())
                    .getAsJsonObject()
                    .getAsJsonArray("data")
                    .forEach(m -> ids.add(m.getAsJsonObject().get("id").getAsString()));
            return ids;
        } catch (IOException e) {
            throw new GenerationException("cannot reach " + config.baseUrl() + "/models: " + e, 0);
        } catch (RuntimeException e) {
            if (e instanceof GenerationException g) {
                throw g;
            }
            throw new GenerationException("malformed answer from " + config.baseUrl() + "/models: " + e, 200);
        }
    }

    /** Stops the threads of {@link #generateAll}. */
    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** Names the endpoint and the key's variable, never the key. */
    @Override
    public String toString() {
        return "OpenAiClient[" + config.baseUrl() + ", model=" + config.model() + ", api=" + config.api()
                + ", key from $" + config.apiKeyEnv() + (apiKey == null ? " (unset)" : "") + "]";
    }
}
