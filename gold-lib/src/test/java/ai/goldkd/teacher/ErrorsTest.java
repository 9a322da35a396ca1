package ai.goldkd.teacher;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 4xx answers: their shape, that the client reports them with the server's message at once, and key hygiene. */
class ErrorsTest {

    static final String KEY = "sk-gold-SECRET-5e1d0b";

    @TempDir
    static Path dir;

    static LocalTeacher teacher;
    static OpenAiServer server;
    static final ByteArrayOutputStream serverLog = new ByteArrayOutputStream();

    @BeforeAll
    static void setUp() {
        teacher = TinyTeacher.create(dir);
        server = OpenAiServer.start(
                teacher,
                TinyTeacher.NAME,
                ServerConfig.defaults().withPort(0).withToken(KEY),
                new PrintStream(serverLog, true, StandardCharsets.UTF_8));
    }

    @AfterAll
    static void tearDown() {
        server.close();
        teacher.close();
    }

    /** Sends a raw request, as any client might. */
    static HttpResponse<String> raw(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void assertError(HttpResponse<String> response, int status, String param, String messagePart) {
        assertEquals(status, response.statusCode(), response.body());
        JsonObject error =
                JsonParser.parseString(response.body()).getAsJsonObject().getAsJsonObject("error");
        for (String field : new String[] {"message", "type", "param", "code"}) {
            assertTrue(error.has(field), "OpenAI errors carry " + field + ": " + response.body());
        }
        assertEquals(
                param,
                error.get("param").isJsonNull() ? null : error.get("param").getAsString(),
                response.body());
        assertTrue(error.get("message").getAsString().contains(messagePart), response.body());
    }

    @Test
    void badRequestsAreOpenAiShaped4xxNamingTheField() throws Exception {
        assertError(raw("POST", "/completions", "{\"prompt\": ", KEY), 400, null, "could not parse the request body");
        assertError(raw("POST", "/completions", "{\"max_tokens\": 4}", KEY), 400, "prompt", "prompt is missing");
        assertError(
                raw("POST", "/completions", "{\"prompt\": \"a\", \"n\": 0}", KEY),
                400,
                "n",
                "n must be in [1, 16], got 0");
        assertError(
                raw("POST", "/completions", "{\"prompt\": \"a\", \"n\": 1.5}", KEY), 400, "n", "n must be an integer");
        assertError(
                raw("POST", "/completions", "{\"prompt\": \"a\", \"max_tokens\": 100}", KEY),
                400,
                "max_tokens",
                "exceeds the model's context of 64 tokens; lower max_tokens to at most 62");
        assertError(
                raw("POST", "/completions", "{\"prompt\": \"a\", \"temperature\": 3}", KEY),
                400,
                "temperature",
                "temperature must be in [0, 2]");
        assertError(
                raw("POST", "/completions", "{\"prompt\": \"a\", \"stream\": true}", KEY),
                400,
                "stream",
                "streaming is not supported");
        assertError(
                raw("POST", "/completions", "{\"prompt\": \"a\", \"stop\": [\"\"]}", KEY), 400, "stop", "non-empty");
        assertError(
                raw("POST", "/chat/completions", "{\"messages\": []}", KEY), 400, "messages", "messages is missing");
        assertError(
                raw("POST", "/completions", "{\"prompt\": \"a\", \"model\": \"gpt-9\"}", KEY),
                404,
                "model",
                "this server serves \"tiny\"");
        assertError(raw("GET", "/completions", null, KEY), 405, null, "use POST");
        assertError(raw("GET", "/nothing", null, KEY), 404, null, "no route GET /v1/nothing");
        assertError(raw("GET", "/models", null, null), 401, null, "missing or wrong bearer token");
        assertError(raw("GET", "/models", null, "wrong"), 401, null, "missing or wrong bearer token");
        assertEquals(200, raw("GET", "/models", null, KEY).statusCode());
        HttpResponse<String> ok = raw(
                "POST",
                "/completions",
                "{\"prompt\": [\"a\"], \"max_tokens\": 3, \"top_k\": -1, \"stop\": \"zz\", \"seed\": 3, \"logprobs\": 0}",
                KEY);
        assertEquals(200, ok.statusCode(), ok.body());
        JsonObject usage = JsonParser.parseString(ok.body()).getAsJsonObject().getAsJsonObject("usage");
        assertEquals(2, usage.get("prompt_tokens").getAsInt()); // BOS and "a"
    }

    @Test
    void theClientReports4xxWithTheServersMessageWithoutRetrying() {
        OpenAiConfig config = OpenAiConfig.defaults(server.baseUrl(), TinyTeacher.NAME)
                .withRetries(5, Duration.ofMillis(1), Duration.ofMillis(5));
        try (OpenAiClient client = new OpenAiClient(config, Map.of("OPENAI_API_KEY", KEY)::get)) {
            GenerationException e = assertThrows(
                    GenerationException.class,
                    () -> client.generate(GenerationRequest.of("hello").withMaxTokens(60)));
            assertEquals(400, e.status());
            assertTrue(e.getMessage().contains("exceeds the model's context of 64 tokens"), e.getMessage());
            assertEquals(1, client.stats().attempts());
            assertEquals(0, client.stats().retries());
            assertEquals(1, client.stats().failures());
        }
        try (OpenAiClient noKey = new OpenAiClient(config, name -> null)) {
            GenerationException e =
                    assertThrows(GenerationException.class, () -> noKey.generate(GenerationRequest.of("x")));
            assertEquals(401, e.status());
            assertTrue(
                    e.getMessage().contains("missing or wrong bearer token")
                            && e.getMessage().contains("no key was sent: set the environment variable OPENAI_API_KEY"),
                    e.getMessage());
            assertEquals(1, noKey.stats().attempts());
        }
        try (OpenAiClient wrongKey =
                new OpenAiClient(config.withApiKeyEnv("GOLD_KEY"), Map.of("GOLD_KEY", "sk-wrong-77")::get)) {
            GenerationException e =
                    assertThrows(GenerationException.class, () -> wrongKey.generate(GenerationRequest.of("x")));
            assertTrue(e.getMessage().contains("the key in GOLD_KEY was refused"), e.getMessage());
            assertFalse(e.getMessage().contains("sk-wrong-77"), e.getMessage());
        }
    }

    @Test
    void theKeyNeverAppearsInToStringsMessagesOrLogs() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        StringBuilder seen = new StringBuilder();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            OpenAiConfig config = OpenAiConfig.defaults(server.baseUrl(), TinyTeacher.NAME);
            try (OpenAiClient client = new OpenAiClient(config, Map.of("OPENAI_API_KEY", KEY)::get)) {
                assertTrue(client.hasKey());
                client.generate(GenerationRequest.of("x").withMaxTokens(3));
                GenerationException e = assertThrows(
                        GenerationException.class,
                        () -> client.generate(GenerationRequest.of("x").withMaxTokens(63)));
                seen.append(e.getMessage()).append(client).append(config).append(client.stats());
            }
            seen.append(server).append(ServerConfig.defaults().withToken(KEY));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config.withApiKeyEnv(KEY));
            assertTrue(e.getMessage().contains("put it in a variable such as OPENAI_API_KEY"), e.getMessage());
            seen.append(e.getMessage());
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        seen.append(captured.toString(StandardCharsets.UTF_8)).append(serverLog.toString(StandardCharsets.UTF_8));
        assertTrue(
                serverLog.toString(StandardCharsets.UTF_8).contains("POST /v1/completions 200"), serverLog.toString());
        assertFalse(seen.toString().contains(KEY), seen.toString());
        assertFalse(seen.toString().contains("SECRET"), seen.toString());
    }
}
