package ai.goldkd.report;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressTest {

    @Test
    void logsOneLinePerTenthWhenNotInteractive() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (Progress bar = Progress.start("work", 100, out, false)) {
            for (int i = 0; i < 100; i++) {
                bar.step("i=" + i);
            }
        }
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(11, lines.length, "0%, 10%, ..., 100%");
        assertTrue(lines[10].startsWith("work [" + "#".repeat(30) + "] 100/100"), lines[10]);
        assertTrue(lines[10].endsWith("i=99"), lines[10]);
    }

    @Test
    void redrawsInPlaceOnATerminal() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (Progress bar = Progress.start("work", 4, out, true)) {
            bar.advance(4, null);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("\rwork ["), text);
        assertTrue(text.endsWith("4/4" + text.substring(text.indexOf("4/4") + 3)), text);
        assertEquals(1, text.chars().filter(c -> c == '\n').count());
    }

    @Test
    void rejectsAnEmptyTotal() {
        assertThrows(IllegalArgumentException.class, () -> Progress.start("x", 0, System.err, false));
    }
}
