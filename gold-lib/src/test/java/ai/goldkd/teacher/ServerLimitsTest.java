package ai.goldkd.teacher;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a slow, huge or overlong request gets from the server, over real HTTP on loopback. */
class ServerLimitsTest {

    static final Duration READ_TIMEOUT = Duration.ofSeconds(2);
    static final long MAX_BODY = 64 * 1024;

    @TempDir
    static Path dir;

    static LocalTeacher teacher;
    static OpenAiServer server;

    @BeforeAll
    static void setUp() {
        teacher = TinyTeacher.create(dir);
        // the default 4 threads: as many stalled uploads as threads blocked everything before
        server = OpenAiServer.start(
                teacher,
                TinyTeacher.NAME,
                ServerConfig.defaults()
                        .withPort(0)
                        .withReadTimeout(READ_TIMEOUT)
                        .withMaxBodyBytes(MAX_BODY));
    }

    @AfterAll
    static void tearDown() {
        server.close();
        teacher.close();
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    static JsonObject error(HttpResponse<String> response) {
        return JsonParser.parseString(response.body()).getAsJsonObject().getAsJsonObject("error");
    }

    /** Opens a connection and sends the start of a request, then nothing. */
    static Socket stall(String start) throws Exception {
        Socket s = new Socket("127.0.0.1", server.port());
        OutputStream out = s.getOutputStream();
        out.write(start.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return s;
    }

    static String readAll(Socket s) throws Exception {
        s.setSoTimeout(15_000);
        InputStream in = s.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void stalledUploadsDoNotBlockOtherRequestsAndGet408() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            stalled.add(stall("POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"prompt\": "));
        }
        for (int i = 0; i < 2; i++) {
            stalled.add(stall("POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Le")); // inside the headers
        }
        Thread.sleep(200); // every stalled connection is being read by now
        long start = System.nanoTime();
        HttpResponse<String> answered = post("/completions", "{\"prompt\": \"ab\", \"max_tokens\": 4}");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(200, answered.statusCode(), answered.body());
        assertTrue(seconds < READ_TIMEOUT.toSeconds(), "answered in " + seconds + " s beside 8 stalled uploads");
        for (Socket s : stalled) {
            try (s) {
                String reply = readAll(s);
                assertTrue(reply.startsWith("HTTP/1.1 408 "), reply);
                assertTrue(reply.contains("request_timeout"), reply);
            }
        }
        assertTrue(server.stats().clientErrors() >= 8, server.stats().toString());
    }

    @Test
    void aBodyOverTheLimitIsAnswered413Unread() throws Exception {
        String huge = "{\"prompt\": \"" + "a".repeat((int) (4 * MAX_BODY)) + "\", \"max_tokens\": 4}";
        HttpResponse<String> response = post("/completions", huge);
        assertEquals(413, response.statusCode(), response.body());
        assertEquals("request_too_large", error(response).get("code").getAsString());
        assertTrue(
                error(response).get("message").getAsString().contains("limit of " + MAX_BODY + " bytes"),
                response.body());
        // a client that asks first (Expect: 100-continue, as curl does for large bodies) is told before it sends
        // (by hand: the JDK 17 client waits forever for a 100 that a refusal never brings)
        try (Socket s = stall("POST /v1/completions HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: "
                + 100_000_000 + "\r\n\r\n")) {
            String reply = readAll(s);
            assertTrue(reply.startsWith("HTTP/1.1 413 ") && reply.contains("100000000 bytes"), reply);
        }
        // one under the limit is read and answered as usual
        assertEquals(
                200,
                post("/completions", "{\"prompt\": \"ab\", \"max_tokens\": 2}").statusCode());
    }

    @Test
    void aPromptOverMaxModelLenIsAnswered400NamingTheLimit() throws Exception {
        String models = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/models"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        int maxLen = JsonParser.parseString(models)
                .getAsJsonObject()
                .getAsJsonArray("data")
                .get(0)
                .getAsJsonObject()
                .get("max_model_len")
                .getAsInt();
        HttpResponse<String> response =
                post("/completions", "{\"prompt\": \"" + "x".repeat(maxLen + 5) + "\", \"max_tokens\": 1}");
        assertEquals(400, response.statusCode(), response.body());
        JsonObject e = error(response);
        assertEquals("prompt", e.get("param").getAsString());
        assertEquals("context_length_exceeded", e.get("code").getAsString());
        assertTrue(e.get("message").getAsString().contains("max_model_len of " + maxLen + " tokens"), e.toString());
        HttpResponse<String> chat = post(
                "/chat/completions",
                "{\"messages\": [{\"role\": \"user\", \"content\": \"" + "x".repeat(maxLen + 5)
                        + "\"}], \"max_tokens\": 1}");
        assertEquals(400, chat.statusCode(), chat.body());
        assertEquals("messages", error(chat).get("param").getAsString());
    }

    @Test
    void chunkedBodiesAreReadAndLimitedToo() throws Exception {
        String body = "{\"prompt\": \"ab\", \"max_tokens\": 2}";
        try (Socket s = stall("POST /v1/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n")) {
            String reply = readAll(s);
            assertTrue(reply.startsWith("HTTP/1.1 200 "), reply);
            assertTrue(reply.contains("\"text_completion\""), reply);
        }
        String chunk = "a".repeat(32 * 1024);
        StringBuilder big =
                new StringBuilder("POST /v1/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < 3; i++) {
            big.append(Integer.toHexString(chunk.length()))
                    .append("\r\n")
                    .append(chunk)
                    .append("\r\n");
        }
        try (Socket s = stall(big.toString())) {
            String reply = readAll(s);
            assertTrue(reply.startsWith("HTTP/1.1 413 "), reply.substring(0, Math.min(200, reply.length())));
        }
    }
}
