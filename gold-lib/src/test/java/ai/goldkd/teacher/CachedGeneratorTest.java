package ai.goldkd.teacher;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The completion cache in front of a real server over HTTP: a second identical batch asks the server nothing. */
class CachedGeneratorTest {

    static final String KEY = "sk-gold-cache-test";

    @TempDir
    static Path dir;

    static LocalTeacher teacher;
    static OpenAiServer server;

    @BeforeAll
    static void setUp() {
        teacher = TinyTeacher.create(dir.resolve("teacher"));
        server = OpenAiServer.start(
                teacher, TinyTeacher.NAME, ServerConfig.defaults().withPort(0).withToken(KEY));
    }

    @AfterAll
    static void tearDown() {
        server.close();
        teacher.close();
    }

    private static OpenAiClient client() {
        return new OpenAiClient(
                OpenAiConfig.defaults(server.baseUrl(), TinyTeacher.NAME),
                Map.of(OpenAiConfig.DEFAULT_KEY_ENV, KEY)::get);
    }

    private static List<GenerationRequest> batch() {
        List<GenerationRequest> requests = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            requests.add(
                    GenerationRequest.of("Once " + i).withN(2).withMaxTokens(8).withSeed(100L + i));
        }
        requests.add(GenerationRequest.of("Once unseeded").withMaxTokens(8));
        return requests;
    }

    private static List<String> texts(List<GenerationResult> results) {
        return results.stream()
                .flatMap(r -> r.completions().stream())
                .map(Completion::text)
                .toList();
    }

    @Test
    void aSecondIdenticalBatchMakesNoTeacherCallForItsSeededRequests() {
        CompletionCache cache = new CompletionCache(dir.resolve("cache-a"));
        String identity = server.baseUrl() + " " + TinyTeacher.NAME;
        List<GenerationResult> first;
        List<GenerationResult> second;
        long before = server.stats().requests();
        try (OpenAiClient client = client()) {
            first = new CachedGenerator(client, identity, cache).generateAll(batch());
        }
        long afterFirst = server.stats().requests();
        assertEquals(6, afterFirst - before, "the first batch asks the server every request");
        CachedGenerator again;
        try (OpenAiClient client = client()) {
            again = new CachedGenerator(client, identity, cache);
            second = again.generateAll(batch());
        }
        assertEquals(1, server.stats().requests() - afterFirst, "only the unseeded request reaches the server");
        assertEquals(new CachedGenerator.Stats(5, 0), again.stats());
        assertEquals(texts(first).subList(0, 10), texts(second).subList(0, 10), "replayed samples are identical");
        try (Stream<Path> files = Files.walk(cache.dir())) {
            assertEquals(5, files.filter(p -> p.toString().endsWith(".json")).count());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void anotherTeacherOrAnotherSeedIsAnotherEntry() {
        GenerationRequest a = GenerationRequest.of("x").withSeed(1L);
        assertNotEquals(CompletionCache.key("t1", a), CompletionCache.key("t2", a));
        assertNotEquals(CompletionCache.key("t1", a), CompletionCache.key("t1", a.withSeed(2L)));
        assertEquals(
                CompletionCache.key("t1", a),
                CompletionCache.key("t1", GenerationRequest.of("x").withSeed(1L)));
        assertTrue(CompletionCache.cacheable(a));
        assertTrue(!CompletionCache.cacheable(GenerationRequest.of("x")));
    }

    /** Writes entries forever; the test kills it with SIGKILL mid-write. */
    public static void main(String[] args) {
        CompletionCache cache = new CompletionCache(Path.of(args[0]));
        String big = "y".repeat(200_000);
        for (long i = 0; ; i++) {
            cache.put(
                    CompletionCache.key("t", GenerationRequest.of("p" + i).withSeed(i)),
                    List.of(new Completion(big + i, null, null, null, "stop")));
        }
    }

    @Test
    void aWriterKilledMidWriteLeavesOnlyWholeEntries() throws Exception {
        Path store = dir.resolve("cache-kill");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process writer = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        CachedGeneratorTest.class.getName(),
                        store.toString())
                .redirectErrorStream(true)
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (countEntries(store) < 20 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        writer.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no finally
        CompletionCache cache = new CompletionCache(store);
        List<Path> entries;
        try (Stream<Path> files = Files.walk(store)) {
            entries = files.filter(p -> p.toString().endsWith(".json")).toList();
        }
        assertTrue(entries.size() >= 20, "the writer wrote " + entries.size() + " entries before it was killed");
        for (Path entry : entries) {
            String key = entry.getParent().getFileName().toString()
                    + entry.getFileName().toString().replace(".json", "");
            List<Completion> read = cache.get(key).orElseThrow();
            assertEquals(1, read.size());
            assertTrue(read.get(0).text().startsWith("y".repeat(200_000)), entry + " is whole");
        }
    }

    private static long countEntries(Path store) throws IOException {
        if (!Files.isDirectory(store)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(store)) {
            return files.filter(p -> p.toString().endsWith(".json")).count();
        }
    }
}
