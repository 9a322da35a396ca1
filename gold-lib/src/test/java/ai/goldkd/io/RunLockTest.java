package ai.goldkd.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run-directory lock between two processes, and the output modes. */
class RunLockTest {

    /** Holds a directory's lock until killed: the other process of the test. */
    public static void main(String[] args) throws Exception {
        try (RunLock lock = RunLock.acquire(Path.of(args[0]))) {
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(60_000);
        }
    }

    @Test
    void anotherProcessIsRefusedWithTheHoldersPidUntilTheHolderIsKilled(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        Process holder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        RunLockTest.class.getName(),
                        dir.toString())
                .redirectErrorStream(true)
                .start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", out.readLine());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> RunLock.acquire(dir));
            assertTrue(e.getMessage().contains("another process (pid " + holder.pid() + ")"), e.getMessage());
        } finally {
            holder.destroyForcibly(); // SIGKILL: the lock must not outlive the process
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
        try (RunLock lock = RunLock.acquire(dir)) {
            assertEquals(
                    String.valueOf(ProcessHandle.current().pid()),
                    Files.readString(dir.resolve(RunLock.FILE)).trim());
        }
    }

    @Test
    void aFileIsNoOutputDirectory(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("out"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunLock.acquire(file));
        assertTrue(e.getMessage().contains("is a file"), e.getMessage());
    }

    @Test
    void newRefusesFilesButNotItsOwnLockAndResumeCleansTemporaries(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        OutputDirectory.open(dir, OutputMode.NEW).close();
        OutputDirectory.open(dir, OutputMode.NEW).close(); // the lock file left behind is not a run
        Files.createDirectories(dir.resolve("final"));
        Files.writeString(dir.resolve("final/student.bin123.tmp"), "cut off");
        Files.writeString(dir.resolve("metrics.csv"), "run,iteration,step,metric,value\n");
        assertThrows(IllegalArgumentException.class, () -> OutputDirectory.open(dir, OutputMode.NEW));
        OutputDirectory.open(dir, OutputMode.RESUME).close();
        assertTrue(Files.exists(dir.resolve("metrics.csv")));
        assertTrue(!Files.exists(dir.resolve("final/student.bin123.tmp")));
    }
}
