package ai.goldkd.teacher;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OpenAI-compatible HTTP server for a {@link ServableModel} (a {@link LocalTeacher}, an offline
 * teacher), on a small HTTP/1.1 transport ({@link HttpTransport}): {@code GET /v1/models}, {@code POST /v1/completions} and {@code POST /v1/chat/completions} (through
 * the {@link ChatTemplate}), with {@code n}, {@code temperature}, {@code top_p}, {@code top_k} (an
 * extension), {@code max_tokens}, {@code stop}, {@code seed}, {@code logprobs} and usage counts, and
 * prompt scoring for a white-box model ({@code echo} with {@code max_tokens: 0}, or vLLM's
 * {@code prompt_logprobs}: {@link PromptScoring}).
 * Errors are OpenAI-shaped ({@code {"error": {"message", "type", "param", "code"}}}), 4xx for bad
 * requests. Each request is read whole, within {@link ServerConfig#readTimeout()} (else 408) and up to
 * {@link ServerConfig#maxBodyBytes()} (else 413), before one of {@link ServerConfig#threads()} answers it,
 * so slow clients cannot starve the others; a prompt longer than the advertised {@code max_model_len}
 * is answered 400 naming the limit. The model generates for one request at a time. Optionally it
 * requires a bearer token, and injects {@link Faults}.
 *
 * <pre>{@code
 * try (LocalTeacher teacher = LocalTeacher.load(dir);
 *         OpenAiServer server = OpenAiServer.start(teacher, "tiny", ServerConfig.defaults().withPort(0))) {
 *     OpenAiClient client = new OpenAiClient(OpenAiConfig.defaults(server.baseUrl(), "tiny"));
 * }
 * }</pre>
 */
public final class OpenAiServer implements AutoCloseable {

    private final ServableModel teacher;
    private final String modelName;
    private final ServerConfig config;
    private final PrintStream log;
    private final HttpTransport transport;
    private final Faults.Injector faults;
    private final AtomicLong nextId = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong faulted = new AtomicLong();
    private final AtomicLong clientErrors = new AtomicLong();
    private final AtomicLong serverErrors = new AtomicLong();
    private final AtomicLong hungUp = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong promptTokens = new AtomicLong();
    private final AtomicLong completionTokens = new AtomicLong();

    private OpenAiServer(ServableModel teacher, String modelName, ServerConfig config, PrintStream log)
            throws IOException {
        this.teacher = teacher;
        this.modelName = modelName;
        this.config = config;
        this.log = log;
        this.faults = config.faults().injector();
        this.transport = HttpTransport.start(
                new InetSocketAddress(config.host(), config.port()), config, new HttpTransport.Handler() {
                    @Override
                    public HttpTransport.Response handle(HttpTransport.Request request) {
                        return OpenAiServer.this.handle(request);
                    }

                    @Override
                    public void refused(String method, String path, ApiError error) {
                        requests.incrementAndGet();
                        (error.status < 500 ? clientErrors : serverErrors).incrementAndGet();
                        log(method, path, error.status, 0, " " + error.getMessage());
                    }

                    @Override
                    public void hungUp(String method, String path, IOException cause) {
                        hungUp.incrementAndGet();
                        // nginx's "client closed request": nobody is left to tell
                        log(method, path, 499, 0, " the client hung up: " + cause.getMessage());
                    }
                });
    }

    /**
     * Starts a quiet server.
     *
     * @param teacher the model to serve; the caller closes it after the server
     * @param modelName the name clients send as {@code model}
     * @param config where to listen, the token, the faults
     * @return the running server; close it to stop
     */
    public static OpenAiServer start(ServableModel teacher, String modelName, ServerConfig config) {
        return start(teacher, modelName, config, null);
    }

    /**
     * Starts a server that logs one line per request (method, path, status, time; never a header).
     *
     * @param teacher the model to serve; the caller closes it after the server
     * @param modelName the name clients send as {@code model}
     * @param config where to listen, the token, the faults
     * @param log where to log, or null for no log
     * @return the running server; close it to stop
     */
    public static OpenAiServer start(ServableModel teacher, String modelName, ServerConfig config, PrintStream log) {
        if (modelName == null || modelName.isBlank()) {
            throw new IllegalArgumentException("the model name is empty; give the name clients will send as \"model\"");
        }
        try {
            return new OpenAiServer(teacher, modelName, config, log);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot listen on " + config.host() + ":" + config.port() + " (" + e.getMessage()
                            + "); pick another --port, or 0 for any free one",
                    e);
        }
    }

    /** The port it listens on (the one picked when the config said 0). */
    public int port() {
        return transport.port();
    }

    /** The base URL that clients use, ending in {@code /v1}. */
    public String baseUrl() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return "http://" + host + ":" + port() + "/v1";
    }

    /** The served model's name. */
    public String modelName() {
        return modelName;
    }

    /** A snapshot of the counters. */
    public ServerStats stats() {
        return new ServerStats(
                requests.get(),
                faulted.get(),
                clientErrors.get(),
                serverErrors.get(),
                hungUp.get(),
                samples.get(),
                promptTokens.get(),
                completionTokens.get());
    }

    private HttpTransport.Response handle(HttpTransport.Request exchange) {
        long start = System.nanoTime();
        requests.incrementAndGet();
        HttpTransport.Response response;
        String note = "";
        String path = exchange.path();
        try {
            if (path.endsWith("/") && path.length() > 1) {
                path = path.substring(0, path.length() - 1);
            }
            String method = exchange.method();
            if (!authorized(exchange)) {
                throw new ApiError(
                        401,
                        "invalid_request_error",
                        null,
                        "invalid_api_key",
                        "missing or wrong bearer"
                                + " token; send the header 'Authorization: Bearer TOKEN' with the token the server was started"
                                + " with (gold serve --token)");
            }
            boolean chat = path.equals("/v1/chat/completions");
            if (path.equals("/v1/models")) {
                allow(method, "GET");
                response = HttpTransport.Response.json(200, models().toString());
            } else if (chat || path.equals("/v1/completions")) {
                allow(method, "POST");
                Faults.Fault fault = faults.next();
                if (fault != null) {
                    faulted.incrementAndGet();
                    note = " fault " + fault.kind().name().toLowerCase(Locale.ROOT)
                            + (fault.status() > 0 ? " " + fault.status() : "");
                }
                response = generate(exchange, chat, fault);
            } else {
                throw new ApiError(
                        404,
                        "invalid_request_error",
                        null,
                        "not_found",
                        "no route " + method + " " + path
                                + "; this server answers GET /v1/models, POST /v1/completions and POST /v1/chat/completions");
            }
        } catch (ApiError e) {
            if (e.status < 500) {
                clientErrors.incrementAndGet();
            } else {
                serverErrors.incrementAndGet();
            }
            response = HttpTransport.Response.json(e.status, e.toJson().toString());
            note = " " + e.getMessage();
        } catch (RuntimeException e) {
            serverErrors.incrementAndGet();
            ApiError error = new ApiError(500, "server_error", null, "internal_error", "the server failed: " + e);
            response = HttpTransport.Response.json(500, error.toJson().toString());
            note = " " + e;
        }
        log(exchange.method(), exchange.path(), response.status(), (System.nanoTime() - start) / 1_000_000, note);
        return response;
    }

    private void log(String method, String path, int status, long millis, String note) {
        if (log != null) {
            log.printf(Locale.ROOT, "%s %s %d %d ms%s%n", method, path, status, millis, note);
        }
    }

    private HttpTransport.Response generate(HttpTransport.Request exchange, boolean chat, Faults.Fault fault) {
        byte[] raw = exchange.body();
        if (fault != null && fault.kind() == Faults.Kind.STATUS) {
            ApiError error = fault.status() == 429
                    ? new ApiError(
                            429,
                            "requests",
                            null,
                            "rate_limit_exceeded",
                            "rate limit reached (injected fault); retry later")
                    : new ApiError(
                            fault.status(),
                            "server_error",
                            null,
                            "injected_fault",
                            "the server failed (injected fault)");
            return new HttpTransport.Response(
                    fault.status(),
                    error.toJson().toString(),
                    fault.param() > 0 ? String.valueOf(fault.param()) : null,
                    false);
        }
        if (fault != null && fault.kind() == Faults.Kind.DELAY) {
            try {
                Thread.sleep(fault.param());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiError(503, "server_error", null, "shutting_down", "the server is shutting down");
            }
        }
        JsonObject body;
        try {
            JsonElement parsed = JsonParser.parseString(new String(raw, StandardCharsets.UTF_8));
            if (!parsed.isJsonObject()) {
                throw new JsonParseException("the body is " + (parsed.isJsonNull() ? "empty" : "not an object"));
            }
            body = parsed.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new ApiError(
                    400,
                    "invalid_request_error",
                    null,
                    "invalid_json",
                    "could not parse the request body" + " as a JSON object (" + e.getMessage()
                            + "); send Content-Type: application/json with an object");
        }
        String id = (chat ? "chatcmpl-" : "cmpl-") + nextId.incrementAndGet();
        JsonObject response;
        int delivered;
        if (!chat && PromptScoring.wanted(body)) {
            response = PromptScoring.answer(id, body, teacher, modelName);
            delivered = 1;
        } else {
            GenerationRequest request = ServerProtocol.read(body, chat, teacher, modelName, config.maxN());
            List<Completion> completions;
            try {
                completions = teacher.generate(request);
            } catch (IllegalArgumentException e) {
                throw ApiError.invalid(null, e.getMessage());
            }
            response = ServerProtocol.response(id, chat, modelName, request, completions, teacher);
            delivered = completions.size();
        }
        if (fault != null && fault.kind() == Faults.Kind.GARBAGE) {
            return HttpTransport.Response.json(
                    200, "<html>502 upstream garbage " + id + "</html>\u0000{\"choices\": [");
        }
        if (fault != null && fault.kind() == Faults.Kind.TRUNCATE) {
            return new HttpTransport.Response(200, response.toString(), null, true);
        }
        samples.addAndGet(delivered);
        JsonObject usage = response.getAsJsonObject("usage");
        promptTokens.addAndGet(usage.get("prompt_tokens").getAsLong());
        completionTokens.addAndGet(usage.get("completion_tokens").getAsLong());
        return HttpTransport.Response.json(200, response.toString());
    }

    private JsonObject models() {
        JsonObject model = new JsonObject();
        model.addProperty("id", modelName);
        model.addProperty("object", "model");
        model.addProperty("created", 0);
        model.addProperty("owned_by", "gold");
        model.addProperty("max_model_len", teacher.context());
        JsonArray data = new JsonArray();
        data.add(model);
        JsonObject out = new JsonObject();
        out.addProperty("object", "list");
        out.add("data", data);
        return out;
    }

    private boolean authorized(HttpTransport.Request exchange) {
        if (config.token() == null) {
            return true;
        }
        String header = exchange.header("Authorization");
        String expected = "Bearer " + config.token();
        // Constant-time comparison, so the token cannot be guessed byte by byte from response times.
        return header != null
                && MessageDigest.isEqual(
                        header.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    private static void allow(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw new ApiError(
                    405,
                    "invalid_request_error",
                    null,
                    "method_not_allowed",
                    method + " is not allowed here; use " + allowed);
        }
    }

    /** Stops listening, closes open connections and waits up to a second for requests in flight. */
    @Override
    public void close() {
        transport.close();
    }

    @Override
    public String toString() {
        return "OpenAiServer[" + baseUrl() + ", model=" + modelName + ", " + config + "]";
    }
}
