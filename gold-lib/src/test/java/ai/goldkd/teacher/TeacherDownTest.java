package ai.goldkd.teacher;

import ai.goldkd.gold.GoldTeachers;
import ai.goldkd.gold.TeacherSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A dead, stuck or failing teacher over real HTTP: the client says so quickly and once, and stops. */
class TeacherDownTest {

    @TempDir
    static Path dir;

    static LocalTeacher teacher;

    @BeforeAll
    static void setUp() {
        teacher = TinyTeacher.create(dir);
    }

    @AfterAll
    static void tearDown() {
        teacher.close();
    }

    /** A port nothing listens on. */
    static int deadPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static OpenAiConfig quick(String url) {
        return OpenAiConfig.defaults(url, TinyTeacher.NAME)
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1))
                .withRetries(0, Duration.ofMillis(5), Duration.ofMillis(10));
    }

    @Test
    void aRefusedConnectionFailsAtOnceNamingTheUrl() throws Exception {
        String url = "http://127.0.0.1:" + deadPort() + "/v1";
        long start = System.nanoTime();
        TeacherDown e = assertThrows(TeacherDown.class, () -> GoldTeachers.open(TeacherSpec.endpoint(url, "m"), false));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(e.getMessage().contains(url) && e.getMessage().contains("connection refused"), e.getMessage());
        assertTrue(seconds < 5, "refused after " + seconds + " s, not after the retries");
    }

    @Test
    void anEndpointThatNeverAnswersFailsAfterTheTimeoutNamingTheUrl() throws Exception {
        List<Socket> held = Collections.synchronizedList(new ArrayList<>());
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // accepts, reads nothing, answers nothing
                    }
                } catch (Exception closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String url = "http://127.0.0.1:" + silent.getLocalPort() + "/v1";
            TeacherSpec spec = TeacherSpec.endpoint(url, "m").withClient(1.5, 0);
            assertEquals(Duration.ofMillis(1500), spec.clientConfig().requestTimeout(), "--timeout reaches the client");
            assertEquals(0, spec.clientConfig().maxRetries(), "--retries reaches the client");
            long start = System.nanoTime();
            TeacherDown e = assertThrows(TeacherDown.class, () -> GoldTeachers.open(spec, false));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(e.getMessage().contains(url) && e.getMessage().contains("no answer"), e.getMessage());
            assertTrue(seconds >= 1.4 && seconds < 6, "gave up after " + seconds + " s");
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void aSlowTeacherIsReportedWhileTheClientWaits() {
        Faults slow = Faults.parse("delay:1.0@1200", 1);
        try (OpenAiServer server = OpenAiServer.start(
                teacher, TinyTeacher.NAME, ServerConfig.defaults().withPort(0).withFaults(slow))) {
            List<String> notices = Collections.synchronizedList(new ArrayList<>());
            OpenAiConfig config = quick(server.baseUrl())
                    .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(10))
                    .withSlowNotice(Duration.ofMillis(300));
            long start = System.nanoTime();
            try (OpenAiClient client = new OpenAiClient(config, Map.<String, String>of()::get, notices::add)) {
                List<Completion> out =
                        client.generate(GenerationRequest.of("ab").withMaxTokens(2));
                assertEquals(1, out.size());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(
                    !notices.isEmpty() && notices.get(0).contains("waiting on the teacher at " + server.baseUrl()),
                    String.valueOf(notices));
            assertTrue(notices.size() <= seconds / 0.3 + 1, "one line per period over " + seconds + " s: " + notices);
        }
    }

    @Test
    void theBreakerStopsAfterNFailedRequestsInARowWithOneClearError() {
        try (OpenAiServer server = OpenAiServer.start(
                teacher,
                TinyTeacher.NAME,
                ServerConfig.defaults().withPort(0).withFaults(Faults.parse("500:1.0", 1)))) {
            OpenAiConfig config = quick(server.baseUrl())
                    .withRetries(2, Duration.ofMillis(1), Duration.ofMillis(2))
                    .withBreakerThreshold(3)
                    .withMaxConcurrency(1);
            List<GenerationRequest> requests = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                requests.add(GenerationRequest.of("r" + i).withMaxTokens(2));
            }
            try (OpenAiClient client = new OpenAiClient(config, Map.<String, String>of()::get, line -> {})) {
                TeacherDown e = assertThrows(TeacherDown.class, () -> client.generateAll(requests));
                assertTrue(
                        e.getMessage().contains("failed 3 requests in a row")
                                && e.getMessage().contains(server.baseUrl())
                                && e.getMessage().contains("--resume"),
                        e.getMessage());
                ClientStats stats = client.stats();
                assertEquals(3, stats.failures(), stats.toString());
                assertEquals(6, stats.retries(), "two retries per failed request: " + stats);
                assertTrue(server.stats().requests() <= 9, "no request after the breaker opened: " + server.stats());
                assertThrows(TeacherDown.class, () -> client.generate(GenerationRequest.of("later")));
            }
        }
    }

    @Test
    void aSuccessBetweenFailuresKeepsTheBreakerClosed() {
        // every other request fails: never 2 in a row
        try (OpenAiServer server = OpenAiServer.start(
                teacher,
                TinyTeacher.NAME,
                ServerConfig.defaults().withPort(0).withFaults(Faults.parse("500:0.5", 3)))) {
            OpenAiConfig config =
                    quick(server.baseUrl()).withBreakerThreshold(6).withMaxConcurrency(1);
            List<GenerationRequest> requests = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                requests.add(GenerationRequest.of("r" + i).withMaxTokens(2));
            }
            try (OpenAiClient client = new OpenAiClient(config, Map.<String, String>of()::get, line -> {})) {
                List<GenerationResult> results = client.generateAll(requests);
                assertEquals(12, results.size());
                assertTrue(results.stream().anyMatch(GenerationResult::ok), "some succeed");
                assertTrue(client.stats().failures() > 0, "some fail: " + client.stats());
            }
        }
    }
}
