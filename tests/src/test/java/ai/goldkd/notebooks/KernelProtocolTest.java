package ai.goldkd.notebooks;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Talks to the gold kernel over the Jupyter protocol as a front end does
 * ({@code tests/notebooks/kernel_protocol.py}): Tab completion, Enter inside an open block, and the
 * interrupt button on a busy loop, after which the kernel still runs cells.
 */
class KernelProtocolTest {

    private static Path log() throws IOException {
        Files.createDirectories(Nbconvert.OUT);
        return Nbconvert.OUT.resolve("kernel_protocol.log");
    }

    @Test
    void completionIsCompleteAndInterruptAnswerAsAFrontEndExpects() throws Exception {
        String kernel = System.getenv().getOrDefault("GOLD_KERNEL_NAME", "gold");
        ProcessBuilder pb = new ProcessBuilder(
                        "/usr/bin/python3",
                        Nbconvert.ROOT
                                .resolve("tests/notebooks/kernel_protocol.py")
                                .toString(),
                        kernel)
                .redirectError(log().toFile());
        pb.environment().put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
        Process process = pb.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("the protocol check did not finish in 5 minutes");
        }
        assertEquals(0, process.exitValue(), "the protocol check failed:\n" + Files.readString(log()));
        JsonObject answers = JsonParser.parseString(
                        out.lines().reduce((a, b) -> b).orElse("{}"))
                .getAsJsonObject();

        assertEquals("java", answers.get("language").getAsString());
        assertTrue(answers.getAsJsonArray("complete").toString().contains("toUpperCase("), answers.toString());
        JsonObject open = answers.getAsJsonObject("is_complete_open");
        assertEquals("incomplete", open.get("status").getAsString());
        assertEquals("    ", open.get("indent").getAsString());
        assertEquals("complete", answers.get("is_complete_done").getAsString());
        JsonObject interrupted = answers.getAsJsonObject("interrupted_reply");
        assertEquals("error", interrupted.get("status").getAsString());
        assertEquals("Interrupted", interrupted.get("ename").getAsString());
        assertTrue(answers.get("interrupt_seconds").getAsDouble() < 10, "a busy loop stops within seconds: " + answers);
        assertTrue(
                answers.getAsJsonArray("after_interrupt").toString().contains("\"text/plain\":\"true\""),
                "the kernel runs cells after the interrupt, with the cell's variables: " + answers);
    }
}
