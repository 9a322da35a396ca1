package ai.goldkd.gold;

import ai.goldkd.config.Budget;
import ai.goldkd.data.ImdbReviews;
import ai.goldkd.data.TaskCatalog;
import ai.goldkd.offline.ImdbTeachers;
import ai.goldkd.teacher.OpenAiServer;
import ai.goldkd.teacher.ServableModel;
import ai.goldkd.teacher.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A teacher spec listing several endpoints, over real HTTP: two live {@code gold serve} servers and one
 * port where nothing listens. The dead one is dropped before the first request, the load spreads over
 * the live ones, a live one stopped after the first iteration leaves its work to the other, and no
 * sample is lost; each replica's counts are in the metrics (matching the servers' own counts) and in
 * the report's teacher-cost part.
 */
class GoldTeacherEndpointsTest {

    private static double sum(List<Iteration> its, String metric) {
        return its.stream().mapToDouble(it -> it.metric(metric)).sum();
    }

    private static String deadUrl() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/v1"; // closed again: connection refused
        }
    }

    @Test
    void twoLiveServersShareTheWorkAndADeadOrDyingOneLeavesItToTheOthers(@TempDir Path dir) throws IOException {
        assumeTrue(Files.exists(ImdbReviews.file()), "IMDB not installed (environment/gold setup)");
        ServableModel model = ImdbTeachers.latentTopic();
        String dead = deadUrl();
        try (OpenAiServer a = OpenAiServer.start(
                        model, "imdb", ServerConfig.defaults().withPort(0));
                OpenAiServer b = OpenAiServer.start(
                        model, "imdb", ServerConfig.defaults().withPort(0))) {
            TeacherSpec spec = TeacherSpec.endpoint(a.baseUrl(), "imdb")
                    .withSampling(0.8f, 20, 1f)
                    .withEndpoints(
                            List.of(
                                    new TeacherEndpoint(a.baseUrl(), 2),
                                    new TeacherEndpoint(b.baseUrl(), 2),
                                    TeacherEndpoint.of(dead)),
                            "imdb")
                    .withClient(10.0, 0)
                    .withCache(false);
            GoldConfig config =
                    GoldConfig.preset("gold", Budget.SMOKE).withTestSize(100).withTeacher(spec);
            assertEquals(config, GoldConfig.fromJson(config.toJson()), "the endpoint list round-trips");
            long[] bAnsweredBeforeStop = {-1};
            try (GoldTeachers.Opened teacher = GoldTeachers.open(spec, false, dir.resolve("cache"))) {
                Gold.run(config, teacher.generator(), dir.resolve("run"), it -> {
                    if (it.index() == 0) {
                        bAnsweredBeforeStop[0] = b.stats().samples();
                        b.close(); // B fails for good from here on
                    }
                });
            }
            List<Iteration> its = RunDirectory.open(dir.resolve("run"))
                    .completedIterations(TaskCatalog.locate().task(config.task()));
            assertEquals(config.loop().iterations(), its.size());
            String a0 = GoldMetrics.endpoint(0, GoldMetrics.ENDPOINT_ANSWERED);
            String b1 = GoldMetrics.endpoint(1, GoldMetrics.ENDPOINT_ANSWERED);
            String dead2 = GoldMetrics.endpoint(2, GoldMetrics.ENDPOINT_ANSWERED);
            double asked = sum(its, GoldMetrics.GENERATED);
            assertEquals(config.sampleBudget(), asked);
            assertEquals(asked, sum(its, a0) + sum(its, b1), "every request answered by a live replica");
            its.forEach(it -> it.rejects()
                    .forEach(r -> assertTrue(!r.reason().equals("request-failed"), "no request lost: " + r.detail())));
            // the load spread: both live replicas answered in the first iteration
            assertTrue(
                    its.get(0).metric(a0) > 0 && its.get(0).metric(b1) > 0,
                    "A " + its.get(0).metric(a0) + ", B " + its.get(0).metric(b1));
            // the servers' own counts agree with the replicas' rows
            assertEquals(sum(its, a0), a.stats().samples());
            assertEquals(its.get(0).metric(b1), bAnsweredBeforeStop[0]);
            assertEquals(its.get(0).metric(b1), sum(its, b1), "B answered nothing once stopped");
            // the dead one was dropped before it was asked; B was dropped after its failures; A stayed
            assertEquals(0.0, sum(its, dead2));
            assertEquals(0.0, its.get(0).metric(GoldMetrics.endpoint(2, GoldMetrics.ENDPOINT_ALIVE)));
            Iteration last = its.get(its.size() - 1);
            assertEquals(0.0, last.metric(GoldMetrics.endpoint(1, GoldMetrics.ENDPOINT_ALIVE)));
            assertEquals(1.0, last.metric(GoldMetrics.endpoint(0, GoldMetrics.ENDPOINT_ALIVE)));
            double bFailed = sum(its, GoldMetrics.endpoint(1, GoldMetrics.ENDPOINT_FAILED));
            // dropped after REPLICA_FAILURES in a row; its other slot may have had one more request in flight
            assertTrue(
                    bFailed >= GoldTeachers.REPLICA_FAILURES && bFailed <= GoldTeachers.REPLICA_FAILURES + 1,
                    "B failed " + bFailed + " requests before it was dropped");

            String html = Files.readString(
                    new GoldReport(List.of(dir.resolve("run"))).writeHtml(dir.resolve("report.html"), "endpoints"));
            assertTrue(
                    html.contains(a.baseUrl()) && html.contains(b.baseUrl()) && html.contains(dead),
                    "each replica named in the report");
            assertTrue(html.contains("dropped") && html.contains("in use"), "each replica's state in the report");
        }
    }

    @Test
    void everyEndpointDownFailsNamingEach(@TempDir Path dir) throws IOException {
        String one = deadUrl();
        String two = deadUrl();
        TeacherSpec spec = TeacherSpec.endpoint(one, "m")
                .withEndpoints(List.of(TeacherEndpoint.of(one), TeacherEndpoint.of(two)), "m");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> GoldTeachers.open(spec, false, dir));
        assertTrue(e.getMessage().contains(one) && e.getMessage().contains(two), e.getMessage());
    }

    @Test
    void badEndpointListsAreRefusedNamingTheValue() {
        IllegalArgumentException both = assertThrows(
                IllegalArgumentException.class,
                () -> GoldConfig.overrides(
                        "{\"teacher\": {\"kind\": \"endpoint\", \"baseUrl\": \"http://a:1/v1\", \"model\": \"m\","
                                + " \"endpoints\": [{\"url\": \"http://b:1/v1\"}]}}",
                        Budget.SMOKE));
        assertTrue(both.getMessage().contains("both given"), both.getMessage());
        IllegalArgumentException unknown = assertThrows(
                IllegalArgumentException.class,
                () -> GoldConfig.overrides(
                        "{\"teacher\": {\"kind\": \"endpoint\", \"model\": \"m\", \"endpoints\": [{\"url\": \"http://b:1/v1\","
                                + " \"concurency\": 2}]}}",
                        Budget.SMOKE));
        assertTrue(
                unknown.getMessage().contains("concurency")
                        && unknown.getMessage().contains("concurrency"),
                unknown.getMessage());
        IllegalArgumentException zero = assertThrows(
                IllegalArgumentException.class,
                () -> GoldConfig.overrides(
                        "{\"teacher\": {\"kind\": \"endpoint\", \"model\": \"m\", \"endpoints\": [{\"url\": \"http://b:1/v1\","
                                + " \"concurrency\": 0}]}}",
                        Budget.SMOKE));
        assertTrue(zero.getMessage().contains("concurrency 0"), zero.getMessage());
        GoldConfig two = GoldConfig.overrides(
                "{\"teacher\": {\"kind\": \"endpoint\", \"model\": \"m\", \"endpoints\":"
                        + " [{\"url\": \"http://b:1/v1\", \"concurrency\": 3}, {\"url\": \"http://c:1/v1\"}]}}",
                Budget.SMOKE);
        assertEquals(
                List.of(new TeacherEndpoint("http://b:1/v1", 3), TeacherEndpoint.of("http://c:1/v1")),
                two.teacher().endpoints());
    }
}
