package ai.goldkd.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunCommandTest {

    @Test
    void aMisspeltSettingOnTheCommandLineFailsBeforeAnythingRuns(@TempDir Path dir) {
        Path out = dir.resolve("runs");
        UsageException e = assertThrows(
                UsageException.class,
                () -> Main.run(new String[] {
                    "run", "gold", "--budget", "smoke", "--out", out.toString(), "--set", "loop.trainBach=64"
                }));
        assertTrue(e.getMessage().contains("unknown key 'loop.trainBach'"), e.getMessage());
        assertTrue(e.getMessage().contains("nearest: loop.trainBatch"), e.getMessage());
        UsageException fraction = assertThrows(
                UsageException.class,
                () -> Main.run(new String[] {
                    "run", "gold", "--budget", "smoke", "--out", out.toString(), "--set", "loop.iterations=2.7"
                }));
        assertTrue(fraction.getMessage().contains("not a whole number"), fraction.getMessage());
        assertFalse(Files.exists(out), "nothing was written");
    }

    @Test
    void aMisspeltSettingInAConfigFileFailsNamingTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mine.json");
        Files.writeString(file, "{\"preset\": \"gold\", \"feedback\": {\"bandLo\": 0.4}}");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Main.run(new String[] {
                    "run",
                    file.toString(),
                    "--budget",
                    "smoke",
                    "--out",
                    dir.resolve("runs").toString()
                }));
        assertTrue(
                e.getMessage().contains("mine.json") && e.getMessage().contains("nearest: feedback.bandLow"),
                e.getMessage());
    }

    @Test
    void theTeacherNameIsCheckedAgainstTheOneList() {
        UsageException e = assertThrows(
                UsageException.class,
                () -> Main.run(new String[] {"run", "gold", "--budget", "smoke", "--teacher", "imdb-baseline"}));
        assertTrue(e.getMessage().contains("imdb-cache"), e.getMessage());
    }

    @Test
    void aTeacherDirectoryIsACheckpointTeacherAndAHubIdIsRefusedOffline(@TempDir Path dir) {
        Path out = dir.resolve("runs");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Main.run(new String[] {
                    "run",
                    "gold",
                    "--budget",
                    "smoke",
                    "--out",
                    out.toString(),
                    "--teacher",
                    "Qwen/Qwen2.5-0.5B-Instruct"
                }));
        assertTrue(e.getMessage().contains("offline") && e.getMessage().contains("local directory"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> Main.run(new String[] {
                    "run",
                    "gold",
                    "--budget",
                    "smoke",
                    "--out",
                    out.toString(),
                    "--teacher",
                    "hf:" + dir.resolve("missing")
                }));
        assertTrue(e.getMessage().contains("missing") && e.getMessage().contains("does not exist"), e.getMessage());
        assertFalse(Files.exists(out), "nothing was written");
    }
}
