package ai.goldkd.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportCommandTest {

    @Test
    void writesThePageFromRunDirectories(@TempDir Path dir) throws Exception {
        for (int s = 1; s <= 2; s++) {
            Path run = dir.resolve("runs/zerogen-s" + s);
            Files.createDirectories(run.resolve("final"));
            Files.writeString(
                    run.resolve("config.json"), "{\"name\": \"zerogen\", \"iterations\": 1, \"seed\": " + s + "}");
            Files.writeString(
                    run.resolve("metrics.csv"), "run,iteration,step,metric,value\nzerogen,0,0,ood_rate,0.1\n");
            Files.writeString(
                    run.resolve("final/result.json"),
                    String.format(
                            Locale.ROOT,
                            "{\"name\": \"zerogen\", \"seed\": %d, \"trainingSamples\": 9, \"dropped\": 0, \"accuracy\": %s}",
                            s,
                            0.5 + 0.1 * s));
        }
        Path out = dir.resolve("page.html");
        assertEquals(0, Main.run(new String[] {"report", dir.resolve("runs").toString(), "--out", out.toString()}));
        String html = Files.readString(out);
        assertTrue(
                html.contains("65.00 &plusmn; 7.07") && html.contains("Command: <code>gold report "),
                html.length() + " characters");
        UsageException e = assertThrows(
                UsageException.class,
                () -> Main.run(new String[] {"report", dir.resolve("runs").toString(), "--out", dir.toString()}));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
        // An existing page is kept unless --replace says otherwise.
        Files.writeString(out, "earlier");
        e = assertThrows(
                UsageException.class,
                () -> Main.run(new String[] {"report", dir.resolve("runs").toString(), "--out", out.toString()}));
        assertTrue(e.getMessage().contains("--replace"), e.getMessage());
        assertEquals("earlier", Files.readString(out));
        assertEquals(
                0, Main.run(new String[] {"report", dir.resolve("runs").toString(), "--out", out.toString(), "--replace"
                }));
        assertTrue(Files.readString(out).contains("65.00 &plusmn; 7.07"));
    }
}
