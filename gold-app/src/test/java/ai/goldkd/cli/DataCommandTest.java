package ai.goldkd.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataCommandTest {

    private static String run(String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.run(args));
        } finally {
            System.setOut(out);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void showPrintsTheTaskItsExamplesAndTestSamples() {
        String text = run("data", "show", "arithmetic-equation", "--n", "2");
        assertTrue(
                text.contains("equation-value-accuracy")
                        && text.contains("few-shot example 3 (arith-train-0011)")
                        && text.contains("test sample 2 (arith-test-0002)")
                        && !text.contains("test sample 3"),
                text);
    }

    @Test
    void badCommandLinesSayWhatToType() {
        UsageException e = assertThrows(UsageException.class, () -> Main.run(new String[] {"data", "show"}));
        assertTrue(e.getMessage().contains("gold data show TASK [--n N]"), e.getMessage());
        e = assertThrows(UsageException.class, () -> Main.run(new String[] {"data", "show", "nope"}));
        assertTrue(e.getMessage().contains("arithmetic-equation"), e.getMessage());
        e = assertThrows(
                UsageException.class,
                () -> Main.run(new String[] {"data", "show", "arithmetic-answer", "--n", "many"}));
        assertTrue(e.getMessage().contains("'many'"), e.getMessage());
        assertThrows(UsageException.class, () -> Main.run(new String[] {"data", "pull"}));
        assertTrue(Main.usage().contains("data"));
    }
}
