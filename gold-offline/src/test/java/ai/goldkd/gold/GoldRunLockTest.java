package ai.goldkd.gold;

import ai.goldkd.config.Budget;
import ai.goldkd.data.ImdbReviews;
import ai.goldkd.io.RunLock;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A {@code gold run} directory has one writer at a time, and a resume leaves no cut-off temporary file. */
class GoldRunLockTest {

    @BeforeAll
    static void needsImdb() {
        Assumptions.assumeTrue(Files.exists(ImdbReviews.file()), "IMDB not installed (environment/gold setup)");
    }

    private static GoldConfig smoke() {
        return GoldConfig.preset("zerogen", Budget.SMOKE)
                .withTestSize(100)
                .withTeacher(TeacherSpec.endpoint("http://127.0.0.1:1/v1", "test"));
    }

    @Test
    void aSecondWriterIsRefusedWithTheHoldersPid(@TempDir Path dir) {
        GoldLoopTest.WordTeacher teacher = new GoldLoopTest.WordTeacher();
        try (RunLock held = RunLock.acquire(dir)) {
            IllegalStateException e =
                    assertThrows(IllegalStateException.class, () -> Gold.run(smoke(), teacher, dir, it -> {}));
            assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
        }
        assertEquals(0, teacher.calls, "nothing generated while refused");
        assertFalse(Files.exists(dir.resolve("config.json")));
        assertTrue(Gold.run(smoke(), teacher, dir, it -> {}).accuracy() > 0, "runs once the lock is free");
    }

    @Test
    void aResumeRemovesTheTemporaryFilesACutOffWriteLeft(@TempDir Path dir) throws Exception {
        GoldLoop first = GoldLoop.start(smoke(), new GoldLoopTest.WordTeacher(), dir);
        first.next();
        // as after a full disk during iteration 1 and the final student's save
        Files.createDirectories(dir.resolve("iterations/0001"));
        Files.writeString(dir.resolve("iterations/0001/train.jsonl.tmp"), "{\"id\": ");
        Files.createDirectories(dir.resolve("final"));
        Files.write(dir.resolve("final/student.bin4242.tmp"), new byte[4096]);
        Gold.run(smoke(), new GoldLoopTest.WordTeacher(), dir, it -> {});
        try (Stream<Path> files = Files.walk(dir)) {
            assertEquals(
                    List.of(), files.filter(p -> p.toString().endsWith(".tmp")).toList());
        }
        assertTrue(Files.exists(dir.resolve("final/result.json")));
    }

    @Test
    void aTeacherThatFailsNRequestsInARowStopsTheRunWhichThenResumes(@TempDir Path dir) throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        ai.goldkd.teacher.OpenAiConfig dead = ai.goldkd.teacher.OpenAiConfig.defaults(
                        "http://127.0.0.1:" + port + "/v1", "m")
                .withRetries(1, java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(2))
                .withBreakerThreshold(4)
                .withMaxConcurrency(2);
        try (ai.goldkd.teacher.OpenAiClient client = new ai.goldkd.teacher.OpenAiClient(dead, k -> null, l -> {})) {
            ai.goldkd.teacher.TeacherDown e =
                    assertThrows(ai.goldkd.teacher.TeacherDown.class, () -> Gold.run(smoke(), client, dir, it -> {}));
            // two requests are in flight, so the one that opens the breaker may be the 4th or the 5th failure
            assertTrue(e.getMessage().matches("(?s).* failed [45] requests in a row.*"), e.getMessage());
            assertTrue(client.stats().requests() < 10, "stopped early: " + client.stats());
        }
        assertTrue(Files.exists(dir.resolve("config.json")));
        assertFalse(Files.exists(dir.resolve("final/result.json")));
        RunResult resumed = Gold.run(smoke(), new GoldLoopTest.WordTeacher(), dir, it -> {});
        assertTrue(resumed.accuracy() > 0, "the stopped run resumes once the teacher is back");
    }
}
