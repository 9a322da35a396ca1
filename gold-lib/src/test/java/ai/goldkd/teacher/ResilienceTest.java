package ai.goldkd.teacher;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our client against our server with injected faults, over real HTTP on loopback. */
class ResilienceTest {

    static final int REQUESTS = 40;
    static final int N = 2;

    @TempDir
    static Path dir;

    static LocalTeacher teacher;

    @BeforeAll
    static void setUp() {
        teacher = TinyTeacher.create(dir);
        teacher.generate(GenerationRequest.of("warm up").withN(N).withMaxTokens(8)); // first calls are slow
    }

    @AfterAll
    static void tearDown() {
        teacher.close();
    }

    static List<GenerationRequest> requests() {
        List<GenerationRequest> out = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            out.add(GenerationRequest.of("r" + i)
                    .withN(N)
                    .withMaxTokens(8)
                    .withSeed(1000L * i)
                    .withLogprobs(true, 0));
        }
        return out;
    }

    static OpenAiConfig config(OpenAiServer server) {
        return OpenAiConfig.defaults(server.baseUrl(), TinyTeacher.NAME)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2))
                .withRetries(20, Duration.ofMillis(5), Duration.ofMillis(50))
                .withMaxConcurrency(4);
    }

    static List<String> texts(List<GenerationResult> results) {
        List<String> out = new ArrayList<>();
        for (GenerationResult r : results) {
            assertTrue(r.ok(), "request " + r.index() + ": " + r.error());
            assertEquals(N, r.completions().size());
            r.completions().forEach(c -> out.add(c.text()));
        }
        return out;
    }

    @Test
    void everySampleIsDeliveredExactlyOnceThroughFaults() {
        List<String> healthy;
        ServerConfig serverConfig = ServerConfig.defaults().withPort(0).withThreads(8);
        try (OpenAiServer server = OpenAiServer.start(teacher, TinyTeacher.NAME, serverConfig);
                OpenAiClient client = new OpenAiClient(config(server), name -> null)) {
            healthy = texts(client.generateAll(requests()));
            assertEquals(0, client.stats().retries(), client.stats().toString());
        }
        assertEquals(
                REQUESTS * N,
                new HashSet<>(healthy).size(),
                "every sample's text is its own, so texts identify samples");

        // Delays of 2.5 s outlast the client's 2 s timeout: they are retried as connection errors.
        Faults faults = Faults.parse("429:0.1,500:0.1,503:0.05,garbage:0.1,truncate:0.1,delay:0.05@2500", 17);
        long start = System.nanoTime();
        try (OpenAiServer server = OpenAiServer.start(teacher, TinyTeacher.NAME, serverConfig.withFaults(faults));
                OpenAiClient client = new OpenAiClient(config(server), name -> null)) {
            List<String> faulty = texts(client.generateAll(requests()));
            assertEquals(healthy, faulty, "the same samples, each once, in the same order");
            ClientStats c = client.stats();
            ServerStats s = server.stats();
            System.out.printf(
                    "%d requests in %.1f s; client %s; server %s%n", REQUESTS, (System.nanoTime() - start) / 1e9, c, s);
            assertEquals(REQUESTS, c.requests());
            assertEquals(REQUESTS * N, c.samples());
            assertEquals(0, c.failures());
            assertEquals(c.attempts() - c.requests(), c.retries());
            assertEquals(s.faults(), c.retries(), "every injected fault cost exactly one retry");
            assertTrue(
                    c.rateLimited() > 0 && c.serverErrors() > 0 && c.malformed() > 0 && c.connectionErrors() > 0,
                    "each kind of fault was met: " + c);
            assertEquals(c.rateLimited() + c.serverErrors() + c.malformed() + c.connectionErrors(), c.retries());
        }
    }

    @Test
    void retryAfterIsHonouredUpToTheConfiguredLimit() {
        long seed = seedWhereFirstRequestIsRateLimited();
        ServerConfig serverConfig = ServerConfig.defaults().withPort(0).withFaults(Faults.parse("429:0.5@1", seed));
        GenerationRequest request = GenerationRequest.of("x").withMaxTokens(4).withSeed(1L);
        try (OpenAiServer server = OpenAiServer.start(teacher, TinyTeacher.NAME, serverConfig);
                OpenAiClient client = new OpenAiClient(config(server), name -> null)) {
            long start = System.nanoTime();
            client.generate(request);
            long waited = (System.nanoTime() - start) / 1_000_000;
            assertEquals(1, client.stats().rateLimited());
            assertEquals(1, client.stats().retries());
            assertTrue(waited >= 1000, "Retry-After: 1 was honoured, not the 5 ms backoff: " + waited + " ms");
        }
        try (OpenAiServer server = OpenAiServer.start(teacher, TinyTeacher.NAME, serverConfig);
                OpenAiClient client =
                        new OpenAiClient(config(server).withMaxRetryAfter(Duration.ofMillis(100)), name -> null)) {
            long start = System.nanoTime();
            client.generate(request);
            long waited = (System.nanoTime() - start) / 1_000_000;
            assertEquals(1, client.stats().retries());
            assertTrue(waited >= 100 && waited < 900, "Retry-After was cut to 100 ms: " + waited + " ms");
        }
    }

    /** A fault seed whose first draw is the 429 and whose second is no fault. */
    static long seedWhereFirstRequestIsRateLimited() {
        for (long seed = 0; ; seed++) {
            Faults.Injector injector = Faults.parse("429:0.5@1", seed).injector();
            if (injector.next() != null && injector.next() == null) {
                return seed;
            }
        }
    }

    @Test
    void anUnreachableEndpointIsACountedFailureNotACrash() {
        String url;
        try (OpenAiServer server = OpenAiServer.start(
                teacher, TinyTeacher.NAME, ServerConfig.defaults().withPort(0))) {
            url = server.baseUrl();
        }
        OpenAiConfig config =
                OpenAiConfig.defaults(url, TinyTeacher.NAME).withRetries(2, Duration.ofMillis(1), Duration.ofMillis(5));
        try (OpenAiClient client = new OpenAiClient(config, name -> null)) {
            GenerationException e =
                    assertThrows(GenerationException.class, () -> client.generate(GenerationRequest.of("x")));
            assertTrue(
                    e.getMessage().startsWith("gave up after 3 attempts; last: no whole answer from " + url),
                    e.getMessage());
            List<GenerationResult> results =
                    client.generateAll(List.of(GenerationRequest.of("a"), GenerationRequest.of("b")));
            assertEquals(2, results.size());
            results.forEach(r -> assertTrue(!r.ok() && r.completions().isEmpty()));
            ClientStats stats = client.stats();
            assertEquals(3, stats.requests());
            assertEquals(9, stats.connectionErrors());
            assertEquals(6, stats.retries());
            assertEquals(3, stats.failures());
        }
    }
}
