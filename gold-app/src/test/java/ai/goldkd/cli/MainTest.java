package ai.goldkd.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ordinary mistakes end in one {@code gold: ...} line and a non-zero exit, the stack trace only on request. */
class MainTest {

    record Result(int exit, String err) {}

    /** {@code gold ARGS} in a JVM of its own, as the launcher starts it. */
    private static Result gold(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("GOLD_DEBUG");
        builder.environment().putAll(env);
        Process p = builder.start();
        p.getInputStream().close();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "gold " + String.join(" ", args) + " hung");
        return new Result(
                p.exitValue(),
                err.lines()
                        .filter(l -> !l.contains("SLF4J") && !l.contains("WARN"))
                        .reduce("", (a, b) -> a + b + "\n"));
    }

    private static void assertOneLine(Result r, String... contains) {
        assertEquals(1, r.exit(), r.err());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertTrue(r.err().startsWith("gold: "), r.err());
        for (String c : contains) {
            assertTrue(r.err().contains(c), "'" + c + "' in " + r.err());
        }
    }

    @Test
    void missingConfigBrokenOrEmptyRunConfigAndAFileAsOutGiveOneLine(@TempDir Path dir) throws Exception {
        assertOneLine(gold(Map.of(), "run", dir.resolve("nope.json").toString()), "nope.json", "no such file");

        Path broken = Files.createDirectories(dir.resolve("broken"));
        Files.writeString(broken.resolve("config.json"), "{\"preset\": ");
        assertOneLine(gold(Map.of(), "run", "--resume", broken.toString()), "config.json", "is not a run config");

        Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.writeString(empty.resolve("config.json"), "");
        assertOneLine(gold(Map.of(), "run", "--resume", empty.toString()), "config.json is empty");

        Path file = Files.writeString(dir.resolve("afile"), "x");
        Path docs = Files.writeString(dir.resolve("docs.txt"), "one document\n");
        assertOneLine(
                gold(Map.of(), "lm", "train", "--data", docs.toString(), "--out", file.toString()),
                "is a file",
                "give a directory");
    }

    @Test
    void aMisspeltOptionOfLmTrainNamesTheNearestOne(@TempDir Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("t.txt"), "one two three\nfour five six\n");
        Result r = gold(
                Map.of(),
                "lm",
                "train",
                "--data",
                dir.resolve("t.txt").toString(),
                "--out",
                dir.resolve("out").toString(),
                "--layres",
                "2");
        assertTrue(r.exit() != 0, r.err());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertTrue(
                r.err().startsWith("gold: lm train: unknown option(s) [--layres]; nearest: --layers; known: "),
                r.err());
    }

    @Test
    void missingDataOrMiniLmGiveTheCommandsThatInstallThem(@TempDir Path dir) throws Exception {
        Result data = gold(
                Map.of("GOLD_HOME", dir.resolve("empty-home").toString()),
                "run",
                "gold",
                "--budget",
                "smoke",
                "--out",
                dir.resolve("out0").toString());
        assertOneLine(data, "IMDB reviews not found", "run `environment/gold setup`");
        assertTrue(!data.err().contains("internal error"), "a missing data set is the user's to fix: " + data.err());
        Path home = dir.resolve("home-with-data");
        Path reviews = ai.goldkd.data.ImdbReviews.file();
        Assumptions.assumeTrue(java.nio.file.Files.exists(reviews), "IMDB not installed (environment/gold setup)");
        Path copy = home.resolve(ai.goldkd.config.GoldHome.dir().relativize(reviews));
        java.nio.file.Files.createDirectories(copy.getParent());
        java.nio.file.Files.createSymbolicLink(copy, reviews);
        Result r = gold(
                Map.of("GOLD_HOME", home.toString()),
                "run",
                "gold",
                "--budget",
                "smoke",
                "--student",
                "minilm",
                "--out",
                dir.resolve("out").toString());
        assertTrue(r.exit() != 0, r.err());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertTrue(
                r.err().contains("all-MiniLM-L6-v2 is not installed")
                        && r.err().contains("run environment/gold setup")
                        && r.err().contains("mvn dependency:copy"),
                r.err());
    }

    @Test
    void theStackTraceComesWithDebugOnly(@TempDir Path dir) throws Exception {
        String missing = dir.resolve("nope.json").toString();
        Result plain = gold(Map.of(), "run", missing);
        assertFalse(plain.err().contains("\tat "), plain.err());
        Result env = gold(Map.of("GOLD_DEBUG", "1"), "run", missing);
        assertTrue(env.err().startsWith("gold: ") && env.err().contains("\tat ai.goldkd."), env.err());
        Result flag = gold(Map.of(), "--debug", "run", missing);
        assertTrue(flag.err().contains("\tat ai.goldkd."), flag.err());
        assertEquals(1, flag.exit());
    }

    @Test
    void diskFullReadOnlyAndUnexpectedFailuresSayWhatToDo() {
        String full = Errors.describe(new UncheckedIOException(
                "could not write the student to /r/final/student.bin: " + "No space left on device",
                new FileSystemException("/r/final/student.bin", null, "No space left on device")));
        assertEquals(
                "could not write the student to /r/final/student.bin: the disk is full (writing /r/final/student.bin);"
                        + " free some space, then continue the run with --resume",
                full);
        String readOnly = Errors.describe(new UncheckedIOException(
                "cannot save", new FileSystemException("/mnt/x", null, "Read-only file system")));
        assertTrue(readOnly.contains("read-only file system; give a writable --out"), readOnly);
        String denied = Errors.describe(new UncheckedIOException("cannot save", new AccessDeniedException("/etc/x")));
        assertTrue(denied.contains("permission denied on /etc/x"), denied);
        String bug = Errors.describe(new NullPointerException("x is null"));
        assertTrue(bug.startsWith("internal error: NullPointerException: x is null") && bug.contains("--debug"), bug);
        assertEquals(2, Errors.status(new UsageException("bad")));
        assertEquals(1, Errors.status(new IllegalStateException("bad")));
    }
}
