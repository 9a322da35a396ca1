package ai.goldkd.gold;

import ai.goldkd.config.Budget;
import ai.goldkd.data.ImdbReviews;
import ai.goldkd.offline.ImdbTeachers;
import ai.goldkd.teacher.CachedGenerator;
import ai.goldkd.teacher.OpenAiServer;
import ai.goldkd.teacher.ServerConfig;
import ai.goldkd.teacher.ServerStats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The completion cache on by default in GOLD runs, against a real {@code gold serve} server over HTTP:
 * a second identical run makes no teacher call (counted by the server) and writes byte-identical
 * samples; {@code teacher.cache false} asks the teacher again.
 */
class GoldTeacherCacheTest {

    @TempDir
    static Path tmp;

    static OpenAiServer server;

    @BeforeAll
    static void start() {
        assumeTrue(Files.exists(ImdbReviews.file()), "IMDB not installed (environment/gold setup)");
        server = OpenAiServer.start(
                ImdbTeachers.latentTopic(), "imdb", ServerConfig.defaults().withPort(0));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static GoldConfig config(TeacherSpec teacher) {
        return GoldConfig.preset("gold", Budget.SMOKE).withTestSize(100).withTeacher(teacher);
    }

    private static List<Iteration> run(GoldConfig config, Path cache, Path dir) {
        try (GoldTeachers.Opened teacher = GoldTeachers.open(config.teacher(), false, cache)) {
            Gold.run(config, teacher.generator(), dir, it -> {});
        }
        return RunDirectory.open(dir)
                .completedIterations(ai.goldkd.data.TaskCatalog.locate().task(config.task()));
    }

    private static double sum(List<Iteration> its, String metric) {
        return its.stream().mapToDouble(it -> it.metric(metric)).sum();
    }

    @Test
    void aSecondIdenticalRunAsksTheServerNothingAndWritesTheSameSamples() throws IOException {
        TeacherSpec spec = TeacherSpec.endpoint(server.baseUrl(), "imdb").withSampling(0.8f, 20, 1f);
        assertTrue(spec.cache(), "the cache is on by default");
        Path cache = tmp.resolve("cache");
        GoldConfig config = config(spec);

        ServerStats before = server.stats();
        List<Iteration> first = run(config, cache, tmp.resolve("first"));
        ServerStats afterFirst = server.stats();
        double asked = sum(first, GoldMetrics.GENERATED);
        assertEquals(config.sampleBudget(), asked);
        assertEquals(asked, afterFirst.samples() - before.samples(), "the first run's samples came from the server");
        assertEquals(asked, sum(first, GoldMetrics.TEACHER_CALLS));
        assertEquals(0.0, sum(first, GoldMetrics.TEACHER_CACHE_HITS));
        assertEquals(asked, sum(first, GoldMetrics.TEACHER_CACHE_MISSES), "every seeded request missed and was kept");

        List<Iteration> second = run(config, cache, tmp.resolve("second"));
        ServerStats afterSecond = server.stats();
        assertEquals(0, afterSecond.samples() - afterFirst.samples(), "no completion asked of the server");
        assertEquals(1, afterSecond.requests() - afterFirst.requests(), "only the reachability check (GET /models)");
        assertEquals(0.0, sum(second, GoldMetrics.TEACHER_CALLS));
        assertEquals(0.0, sum(second, GoldMetrics.TEACHER_COMPLETION_TOKENS));
        assertEquals(asked, sum(second, GoldMetrics.TEACHER_CACHE_HITS));
        assertEquals(0.0, sum(second, GoldMetrics.TEACHER_CACHE_MISSES));
        for (String file : List.of("train.jsonl", "validation.jsonl", "feedback.jsonl")) {
            for (int t = 0; t < config.loop().iterations(); t++) {
                String it = String.format("iterations/%04d/%s", t, file);
                assertArrayEquals(
                        Files.readAllBytes(tmp.resolve("first").resolve(it)),
                        Files.readAllBytes(tmp.resolve("second").resolve(it)),
                        it + " byte-identical");
            }
        }

        // off: the teacher is asked again, and the metrics say the cache was off (no hit/miss rows)
        GoldConfig off = config(spec.withCache(false));
        List<Iteration> third = run(off, cache, tmp.resolve("off"));
        assertEquals(
                asked, server.stats().samples() - afterSecond.samples(), "with the cache off every sample is asked");
        assertEquals(asked, sum(third, GoldMetrics.TEACHER_CALLS));
        assertTrue(Double.isNaN(third.get(0).metric(GoldMetrics.TEACHER_CACHE_HITS)));
    }

    @Test
    void theOffSwitchIsAConfigKeyAndTheDefaultWrapsTheTeacher() throws IOException {
        GoldConfig off = GoldConfig.overrides("{\"teacher\": {\"cache\": false}}", Budget.SMOKE);
        assertFalse(off.teacher().cache());
        assertTrue(GoldConfig.fromJson(off.toJson()).teacher().equals(off.teacher()), "round trip");
        assertTrue(GoldConfig.defaults().teacher().cache());
        Path cache = tmp.resolve("offline-cache");
        try (GoldTeachers.Opened on =
                GoldTeachers.open(TeacherSpec.offline(TeacherKind.ARITHMETIC_WRITER), false, cache)) {
            CachedGenerator cached = assertInstanceOf(CachedGenerator.class, on.generator());
            assertInstanceOf(ai.goldkd.offline.ArithmeticWriter.class, cached.teacher());
            var request = TeacherSpec.offline(TeacherKind.ARITHMETIC_WRITER).request("Problem:", List.of("\n\n"), 7L);
            String text = cached.generate(request).get(0).text();
            assertEquals(text, cached.generate(request).get(0).text());
            assertEquals(new CachedGenerator.Stats(1, 1), cached.stats());
        }
        try (Stream<Path> files = Files.walk(cache)) {
            assertEquals(1, files.filter(f -> f.toString().endsWith(".json")).count(), "one entry under the cache");
        }
        try (GoldTeachers.Opened plain = GoldTeachers.open(
                TeacherSpec.offline(TeacherKind.ARITHMETIC_WRITER).withCache(false), false, cache)) {
            assertInstanceOf(ai.goldkd.offline.ArithmeticWriter.class, plain.generator());
        }
    }
}
