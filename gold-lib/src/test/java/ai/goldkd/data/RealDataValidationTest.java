package ai.goldkd.data;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A task's real data is checked row by row when it is read: file, line, field and value in one message. */
class RealDataValidationTest {

    @TempDir
    Path dir;

    @AfterEach
    void forget() {
        System.clearProperty("gold.datasets");
    }

    private TaskCatalog catalog(String train, byte[] test) throws IOException {
        Path source = Path.of(System.getProperty("user.dir")).getParent().resolve("datasets/imdb-sentiment.json");
        String task = Files.readString(source)
                .replace("\"name\": \"imdb-sentiment\"", "\"name\": \"tiny\"")
                .replaceAll("\"dataset\": \"[^\"]*\"", "\"dataset\": \"tiny/{split}.jsonl\"");
        Files.writeString(dir.resolve("tiny.json"), task);
        Files.createDirectories(dir.resolve("tiny"));
        Files.writeString(dir.resolve("tiny/train.jsonl"), train);
        Files.write(dir.resolve("tiny/test.jsonl"), test);
        System.setProperty("gold.datasets", dir.toString());
        return TaskCatalog.locate();
    }

    private static String message(TaskCatalog catalog, Split split) {
        Task task = catalog.task("tiny");
        return assertThrows(DataFileException.class, () -> catalog.examples(task, split))
                .getMessage();
    }

    @Test
    void aLabelOutsideTheSetAMissingLabelAndANumberAreRefusedWithTheirLine() throws IOException {
        String good = "{\"text\": \"A fine film.\", \"label\": \"positive\"}\n";
        byte[] ok = good.getBytes(StandardCharsets.UTF_8);
        String m = message(catalog(good + "{\"text\": \"Meh.\", \"label\": \"neutral\"}\n", ok), Split.TRAIN);
        assertTrue(m.contains("train.jsonl line 2") && m.contains("'label' is 'neutral'"), m);
        m = message(catalog(good + "\n{\"text\": \"Meh.\"}\n", ok), Split.TRAIN);
        assertTrue(m.contains("train.jsonl line 3") && m.contains("field 'label' is missing"), m);
        m = message(catalog("{\"text\": \"Meh.\", \"label\": 1}\n", ok), Split.TRAIN);
        assertTrue(m.contains("line 1") && m.contains("'label' is '1'"), m);
        assertEquals(
                1,
                catalog(good, ok)
                        .examples(catalog(good, ok).task("tiny"), Split.TEST)
                        .size());
    }

    @Test
    void anEmptyFileAndInvalidUtf8AreRefusedNamingTheFile() throws IOException {
        String good = "{\"text\": \"A fine film.\", \"label\": \"positive\"}\n";
        String m = message(catalog(good, "\n\n".getBytes(StandardCharsets.UTF_8)), Split.TEST);
        assertTrue(m.contains("test.jsonl holds no samples"), m);
        byte[] bad = (good + good + "{\"text\": \"caf").getBytes(StandardCharsets.UTF_8);
        byte[] withInvalid = java.util.Arrays.copyOf(bad, bad.length + 20);
        withInvalid[bad.length] = (byte) 0xC3; // a lead byte followed by a non-continuation
        withInvalid[bad.length + 1] = (byte) 0x28;
        byte[] rest = "\", \"label\": \"positive\"}\n".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(rest, 0, withInvalid, bad.length + 2, Math.min(rest.length, 18));
        m = message(catalog(good, withInvalid), Split.TEST);
        assertTrue(m.contains("test.jsonl line 3: not valid UTF-8"), m);
    }
}
