package ai.goldkd.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code gold run} as a user runs it, on the embedded default (IMDB, the offline teacher), at smoke budget. */
class RunCommandTest {

    @Test
    void runsGoldAgainstZeroGenAndResumesAfterKillNine(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("runs");
        // GOLD at smoke size but with 12 iterations, so that a kill lands mid-run
        Path config = dir.resolve("gold.json");
        Files.writeString(config, "{\"preset\": \"gold\", \"loop\": {\"iterations\": 12}}");
        LmCommandTest.Result r =
                LmCommandTest.gold("run", config.toString(), "zerogen", "--budget", "smoke", "--out", out.toString());
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains(" iter  accepted  rejected"), r.out());
        assertTrue(r.out().contains("Final student accuracy on the real test set"), r.out());
        String report = Files.readString(out.resolve("report.html"));
        assertTrue(report.contains("OOD rate") && report.contains("goldplot_"), "report has its charts");
        assertTrue(
                report.contains("href=\"gold-s1/config.json\"") && report.contains("href=\"zerogen-s1/config.json\""),
                "report links each run's config");
        assertTrue(report.contains("Command: <code>gold run "), "the command");
        assertTrue(report.contains("none: one seed"), "one seed each: no interval");
        assertTrue(report.contains("gold vs zerogen: one seed cannot decide"), "one seed each: no verdict");
        // gold report builds the same page from the run folders.
        LmCommandTest.Result again = LmCommandTest.gold(
                "report", out.toString(), "--out", dir.resolve("again.html").toString());
        assertEquals(0, again.exit(), again.out());
        assertTrue(again.out().contains("Final student accuracy on the real test set"), again.out());
        assertTrue(Files.readString(dir.resolve("again.html")).contains("gold vs zerogen: one seed cannot decide"));
        for (String run : List.of("gold-s1", "zerogen-s1")) {
            assertTrue(Files.exists(out.resolve(run).resolve("final/result.json")), run);
            assertTrue(Files.exists(out.resolve(run).resolve("iterations/0003/metrics.json")), run);
        }

        // The same run, killed with SIGKILL in the middle of iteration 2, then resumed: the same result.
        Path killed = dir.resolve("killed");
        Process p = LmCommandTest.start("run", config.toString(), "--budget", "smoke", "--out", killed.toString());
        Path marker = killed.resolve("gold-s1/iterations/0002/train.jsonl");
        long deadline = System.currentTimeMillis() + 240_000;
        while (!Files.exists(marker) && p.isAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        boolean alive = p.isAlive();
        p.destroyForcibly();
        assertTrue(alive, () -> "the run ended before it could be killed; its output: " + output(p));
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertFalse(Files.exists(killed.resolve("gold-s1/final/result.json")), "killed before the end");
        LmCommandTest.Result resumed =
                LmCommandTest.gold("run", "--resume", killed.resolve("gold-s1").toString());
        assertEquals(0, resumed.exit(), resumed.out());
        assertEquals(
                Files.readString(out.resolve("gold-s1/final/result.json")),
                Files.readString(killed.resolve("gold-s1/final/result.json")));
        for (int t = 0; t < 12; t++) {
            String it = String.format("gold-s1/iterations/%04d/", t);
            for (String f : List.of("train.jsonl", "validation.jsonl", "feedback.jsonl")) {
                assertEquals(Files.readString(out.resolve(it + f)), Files.readString(killed.resolve(it + f)), it + f);
            }
        }
    }

    @Test
    void badPresetNamesTheChoices(@TempDir Path dir) throws Exception {
        LmCommandTest.Result r = LmCommandTest.gold("run", "goldd", "--budget", "smoke", "--out", dir.toString());
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("preset 'goldd' is unknown") && r.out().contains("zerogen-hot"), r.out());
        Path typo = dir.resolve("typo.json");
        Files.writeString(typo, "{\"preset\": \"gold\", \"loop\": {\"iteratoins\": 3}}");
        LmCommandTest.Result t = LmCommandTest.gold(
                "run",
                typo.toString(),
                "--budget",
                "smoke",
                "--out",
                dir.resolve("runs").toString());
        assertEquals(1, t.exit(), t.out());
        assertTrue(
                t.out().contains("unknown key 'loop.iteratoins'") && t.out().contains("nearest: loop.iterations"),
                t.out());
    }

    private static String output(Process p) {
        try {
            return new String(p.getInputStream().readAllBytes());
        } catch (java.io.IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
