package ai.goldkd.teacher;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several endpoints behind one teacher, over real HTTP: work spreads, a dead endpoint's work moves to the others. */
class EndpointPoolTest {

    static final String KEY = "sk-gold-pool-test";

    @TempDir
    static Path dir;

    static LocalTeacher teacher;
    static OpenAiServer first;
    static OpenAiServer second;

    @BeforeAll
    static void setUp() {
        teacher = TinyTeacher.create(dir);
        first = OpenAiServer.start(
                teacher, TinyTeacher.NAME, ServerConfig.defaults().withPort(0).withToken(KEY));
        second = OpenAiServer.start(
                teacher, TinyTeacher.NAME, ServerConfig.defaults().withPort(0).withToken(KEY));
    }

    @AfterAll
    static void tearDown() {
        first.close();
        second.close();
        teacher.close();
    }

    private static OpenAiClient client(String url) {
        return new OpenAiClient(
                OpenAiConfig.defaults(url, TinyTeacher.NAME)
                        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(20))
                        .withRetries(0, Duration.ofMillis(10), Duration.ofMillis(10)),
                Map.of(OpenAiConfig.DEFAULT_KEY_ENV, KEY)::get);
    }

    private static String refusedUrl() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/v1";
        }
    }

    private static List<GenerationRequest> batch(int n) {
        List<GenerationRequest> requests = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            requests.add(GenerationRequest.of("Once " + i).withMaxTokens(6).withSeed((long) i));
        }
        return requests;
    }

    @Test
    void workSpreadsOverTheLiveEndpointsAndADeadOneIsDropped() throws IOException {
        String dead = refusedUrl();
        try (OpenAiClient a = client(first.baseUrl());
                OpenAiClient b = client(second.baseUrl());
                OpenAiClient c = client(dead)) {
            EndpointPool pool = new EndpointPool(
                    List.of(
                            new EndpointPool.Endpoint(first.baseUrl(), a, 2),
                            new EndpointPool.Endpoint(second.baseUrl(), b, 2),
                            new EndpointPool.Endpoint(dead, c, 2)),
                    2);
            long before = first.stats().requests() + second.stats().requests();
            List<GenerationResult> results = pool.generateAll(batch(30));
            assertTrue(results.stream().allMatch(GenerationResult::ok), "every request answered: " + results);
            List<EndpointPool.EndpointStats> stats = pool.stats();
            assertEquals(30, stats.get(0).answered() + stats.get(1).answered());
            assertTrue(
                    stats.get(0).answered() > 0 && stats.get(1).answered() > 0, "both live endpoints worked: " + stats);
            assertEquals(0, stats.get(2).answered());
            assertFalse(stats.get(2).alive(), "the refused endpoint is dropped: " + stats);
            assertEquals(30, first.stats().requests() + second.stats().requests() - before);
            List<Completion> local = teacher.generate(batch(30).get(7));
            assertEquals(
                    local.get(0).text(), results.get(7).completions().get(0).text(), "answers keep their order");
        }
    }

    @Test
    void whenEveryEndpointIsDeadTheRequestsFailWithTheLastError() throws IOException {
        String dead = refusedUrl();
        try (OpenAiClient c = client(dead)) {
            EndpointPool pool = new EndpointPool(List.of(new EndpointPool.Endpoint(dead, c, 1)), 1);
            List<GenerationResult> results = pool.generateAll(batch(3));
            assertTrue(results.stream().noneMatch(GenerationResult::ok));
            assertTrue(
                    results.get(1).error().contains("no endpoint could answer"),
                    results.get(1).error());
        }
    }
}
