package ai.goldkd.teacher;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OpenAI-compatible HTTP server for a {@link ServableModel} (a {@link LocalTeacher}, an offline
 * teacher), on the JDK's {@code HttpServer}: {@code GET /v1/models}, {@code POST /v1/completions} and {@code POST /v1/chat/completions} (through
 * the {@link ChatTemplate}), with {@code n}, {@code temperature}, {@code top_p}, {@code top_k} (an
 * extension), {@code max_tokens}, {@code stop}, {@code seed}, {@code logprobs} and usage counts.
 * Errors are OpenAI-shaped ({@code {"error": {"message", "type", "param", "code"}}}), 4xx for bad
 * requests. Requests are read and answered by a pool of threads; the model generates for one at a time.
 * Optionally it requires a bearer token, and injects {@link Faults}.
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
    private final HttpServer server;
    private final ExecutorService executor;
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

    private OpenAiServer(ServableModel teacher, String modelName, ServerConfig config, PrintStream log) throws IOException {
        this.teacher = teacher;
        this.modelName = modelName;
        this.config = config;
        this.log = log;
        this.faults = config.faults().injector();
        this.server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 64);
        AtomicInteger threadNumber = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(config.threads(), r -> {
            Thread t = new Thread(r, "gold-serve-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.createContext("/", this::handle);
        server.setExecutor(executor);
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
            OpenAiServer s = new OpenAiServer(teacher, modelName, config, log);
            s.server.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + config.host() + ":" + config.port()
                    + " (" + e.getMessage() + "); pick another --port, or 0 for any free one", e);
        }
    }

    /** The port it listens on (the one picked when the config said 0). */
    public int port() {
        return server.getAddress().getPort();
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
        return new ServerStats(requests.get(), faulted.get(), clientErrors.get(), serverErrors.get(), hungUp.get(), samples.get(),
                promptTokens.get(), completionTokens.get());
    }

    /** Thrown out of the handler after half a body: the JDK server then drops the connection. */
    private static final class Truncated extends RuntimeException {

        private static final long serialVersionUID = 1L;

        Truncated() {
            super("response truncated on purpose (injected fault)", null, false, false);
        }
    }

    private void handle(HttpExchange exchange) {
        long start = System.nanoTime();
        requests.incrementAndGet();
        int status;
        String note = "";
        boolean truncated = false;
        try {
            String path = exchange.getRequestURI().getPath();
            if (path.endsWith("/") && path.length() > 1) {
                path = path.substring(0, path.length() - 1);
            }
            String method = exchange.getRequestMethod();
            if (!authorized(exchange)) {
                throw new ApiError(401, "invalid_request_error", null, "invalid_api_key", "missing or wrong bearer"
                        + " token; send the header 'Authorization: Bearer TOKEN' with the token the server was started"
                        + " with (gold serve --token)");
            }
            boolean chat = path.equals("/v1/chat/completions");
            if (path.equals("/v1/models")) {
                allow(method, "GET");
                status = send(exchange, 200, models().toString(), null);
            } else if (chat || path.equals("/v1/completions")) {
                allow(method, "POST");
                Faults.Fault fault = faults.next();
                if (fault != null) {
                    faulted.incrementAndGet();
                    note = " fault " + fault.kind().name().toLowerCase(Locale.ROOT)
                            + (fault.status() > 0 ? " " + fault.status() : "");
                }
                status = generate(exchange, chat, fault);
            } else {
                throw new ApiError(404, "invalid_request_error", null, "not_found", "no route " + method + " " + path
                        + "; this server answers GET /v1/models, POST /v1/completions and POST /v1/chat/completions");
            }
        } catch (Truncated e) {
            truncated = true;
            status = 200;
            note = " fault truncate";
        } catch (ApiError e) {
            if (e.status < 500) {
                clientErrors.incrementAndGet();
            } else {
                serverErrors.incrementAndGet();
            }
            status = sendQuietly(exchange, e.status, e.toJson().toString(), null);
            note = " " + e.getMessage();
        } catch (UncheckedIOException e) {
            hungUp.incrementAndGet();
            status = 499;                       // nginx's "client closed request": nobody is left to tell
            note = " " + e.getMessage();
        } catch (RuntimeException e) {
            serverErrors.incrementAndGet();
            ApiError error = new ApiError(500, "server_error", null, "internal_error", "the server failed: " + e);
            status = sendQuietly(exchange, 500, error.toJson().toString(), null);
            note = " " + e;
        } finally {
            if (!truncated) {
                exchange.close();
            }
        }
        if (log != null) {
            log.printf(Locale.ROOT, "%s %s %d %d ms%s%n", exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    status, (System.nanoTime() - start) / 1_000_000, note);
        }
        if (truncated) {
            // Neither closing the exchange nor closing its stream short drops the connection (the client would
            // wait for the rest of the body); an exception out of the handler does.
            throw new Truncated();
        }
    }

    private int generate(HttpExchange exchange, boolean chat, Faults.Fault fault) {
        byte[] raw = readBody(exchange);
        if (fault != null && fault.kind() == Faults.Kind.STATUS) {
            ApiError error = fault.status() == 429
                    ? new ApiError(429, "requests", null, "rate_limit_exceeded", "rate limit reached (injected fault); retry later")
                    : new ApiError(fault.status(), "server_error", null, "injected_fault", "the server failed (injected fault)");
            return send(exchange, fault.status(), error.toJson().toString(),
                    fault.param() > 0 ? String.valueOf(fault.param()) : null);
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
            throw new ApiError(400, "invalid_request_error", null, "invalid_json", "could not parse the request body"
                    + " as a JSON object (" + e.getMessage() + "); send Content-Type: application/json with an object");
        }
        GenerationRequest request = ServerProtocol.read(body, chat, teacher, modelName, config.maxN());
        List<Completion> completions;
        try {
            completions = teacher.generate(request);
        } catch (IllegalArgumentException e) {
            throw ApiError.invalid(null, e.getMessage());
        }
        String id = (chat ? "chatcmpl-" : "cmpl-") + nextId.incrementAndGet();
        JsonObject response = ServerProtocol.response(id, chat, modelName, request, completions, teacher);
        if (fault != null && fault.kind() == Faults.Kind.GARBAGE) {
            return send(exchange, 200, "<html>502 upstream garbage " + id + "</html>\u0000{\"choices\": [", null);
        }
        byte[] bytes = response.toString().getBytes(StandardCharsets.UTF_8);
        if (fault != null && fault.kind() == Faults.Kind.TRUNCATE) {
            truncate(exchange, bytes);
            throw new Truncated();
        }
        int status = send(exchange, 200, response.toString(), null);
        samples.addAndGet(completions.size());
        JsonObject usage = response.getAsJsonObject("usage");
        promptTokens.addAndGet(usage.get("prompt_tokens").getAsLong());
        completionTokens.addAndGet(usage.get("completion_tokens").getAsLong());
        return status;
    }

    /** Announces the whole body and sends half of it. */
    private static void truncate(HttpExchange exchange, byte[] bytes) {
        try {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            OutputStream out = exchange.getResponseBody();
            out.write(bytes, 0, bytes.length / 2);
            out.flush();
        } catch (IOException gone) {
            // The client hung up first; the connection is dropped either way.
        }
    }

    private JsonObject models() {
        JsonObject model = new JsonObject();
        model.addProperty("id", modelName);
        model.addProperty("object", "model");
        model.addProperty("created", 0);
        model.addProperty("owned_by", "gold");
        model.addProperty("max_model_len", teacher.context());
        com.google.gson.JsonArray data = new com.google.gson.JsonArray();
        data.add(model);
        JsonObject out = new JsonObject();
        out.addProperty("object", "list");
        out.add("data", data);
        return out;
    }

    private boolean authorized(HttpExchange exchange) {
        if (config.token() == null) {
            return true;
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String expected = "Bearer " + config.token();
        // Constant-time comparison, so the token cannot be guessed byte by byte from response times.
        return header != null && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }

    private static void allow(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw new ApiError(405, "invalid_request_error", null, "method_not_allowed", method
                    + " is not allowed here; use " + allowed);
        }
    }

    private static byte[] readBody(HttpExchange exchange) {
        try {
            return exchange.getRequestBody().readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the request body", e);
        }
    }

    private static int send(HttpExchange exchange, int status, String body, String retryAfter) {
        try {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            if (retryAfter != null) {
                exchange.getResponseHeaders().set("Retry-After", retryAfter);
            }
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
            return status;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot answer the client (it may have hung up)", e);
        }
    }

    private static int sendQuietly(HttpExchange exchange, int status, String body, String retryAfter) {
        try {
            return send(exchange, status, body, retryAfter);
        } catch (UncheckedIOException | IllegalStateException e) {
            return status;    // the client is gone or the headers went out already; nothing more to say
        }
    }

    /** Stops listening and waits up to a second for requests in flight. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "OpenAiServer[" + baseUrl() + ", model=" + modelName + ", " + config + "]";
    }
}
