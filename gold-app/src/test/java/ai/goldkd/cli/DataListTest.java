package ai.goldkd.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code gold data list} with a broken task file and a task with a bad label beside a good task. */
class DataListTest {

    @TempDir
    Path dir;

    @AfterEach
    void forget() {
        System.clearProperty("gold.datasets");
    }

    @Test
    void marksABadTaskAndListsTheOthers() throws IOException {
        Path source = Path.of(System.getProperty("user.dir")).getParent().resolve("datasets/imdb-sentiment.json");
        String task =
                Files.readString(source).replaceAll("\"dataset\": \"[^\"]*\"", "\"dataset\": \"tiny/{split}.jsonl\"");
        String good = "{\"text\": \"A fine film.\", \"label\": \"positive\"}\n";
        Files.writeString(
                dir.resolve("bad.json"),
                task.replace("\"name\": \"imdb-sentiment\"", "\"name\": \"bad\"")
                        .replace("tiny/{split}", "bad/{split}"));
        Files.writeString(dir.resolve("good.json"), task.replace("\"name\": \"imdb-sentiment\"", "\"name\": \"good\""));
        Files.createDirectories(dir.resolve("tiny"));
        Files.createDirectories(dir.resolve("bad"));
        Files.writeString(dir.resolve("tiny/train.jsonl"), good);
        Files.writeString(dir.resolve("tiny/test.jsonl"), good);
        Files.writeString(dir.resolve("bad/train.jsonl"), "{\"text\": \"Meh.\", \"label\": \"neutral\"}\n");
        Files.writeString(dir.resolve("bad/test.jsonl"), good);
        Files.writeString(dir.resolve("broken.json"), "{\"name\": ");
        Files.writeString(
                dir.resolve("nolabels.json"),
                task.replace("\"name\": \"imdb-sentiment\"", "\"name\": \"nolabels\"")
                        .replaceAll("(?s)\"labels\": \\[.*?\\]", "\"labels\": []"));
        System.setProperty("gold.datasets", dir.toString());
        PrintStream out = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.run(new String[] {"data", "list"}));
        } finally {
            System.setOut(out);
        }
        String text = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("broken.json") && text.contains("BAD task file"), text);
        assertTrue(text.contains("BAD: ") && text.contains("'neutral'"), text);
        assertTrue(
                text.lines()
                        .anyMatch(l -> l.startsWith("nolabels.json")
                                && l.contains("0 labels; a classification" + " task needs at least 2")),
                text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("good ") && l.contains(" 1 ") && !l.contains("BAD")), text);
    }
}
