package ai.goldkd.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonlTest {

    @Test
    void roundTripsNamedFieldsInOrder(@TempDir Path dir) throws Exception {
        List<Example> rows = List.of(
                Example.of("id", "1", "text", "Zürich — “quoted” <b>", "label", "positive"),
                Example.of("id", "2", "text", "line\nbreak\ttab \\ slash", "label", "negative"));
        Path file = dir.resolve("sub/rows.jsonl");
        Jsonl.write(file, rows);
        assertEquals(rows, Jsonl.read(file));
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("{\"id\":\"1\",\"text\":\"Zürich — “quoted” <b>\",\"label\":\"positive\"}\n"), text);
        assertEquals(2, text.lines().count());
    }

    @Test
    void readsHuggingFaceRowsWithNumbersAndNesting() {
        String text = """
                {"idx": 7, "sentence": "ok", "label": 1, "ok": true}

                {"idx": 8, "sentence": "x", "answers": {"text": ["a"], "answer_start": [0]}}
                """;
        List<Example> rows = Jsonl.parse(text, "hf.jsonl");
        assertEquals(2, rows.size()); // the blank line is skipped
        assertEquals("1", rows.get(0).get("label"));
        assertEquals("true", rows.get(0).get("ok"));
        assertEquals("{\"text\":[\"a\"],\"answer_start\":[0]}", rows.get(1).get("answers"));
    }

    @Test
    void aMalformedLineIsNamedByItsNumber() {
        String good = "{\"text\": \"a\"}\n";
        assertLineError(good + "\n" + "{\"text\": \"b\"\n", "bad.jsonl line 3: not valid JSON");
        assertLineError(good + "[1, 2]\n", "bad.jsonl line 2: a JSON array");
        assertLineError(good + good + "{text: \"unquoted key\"}\n", "bad.jsonl line 3: not valid JSON");
        assertLineError("{\"text\": null}\n", "bad.jsonl line 1: field 'text' is null");
        assertLineError(good + "{\"a\": 1} {\"b\": 2}\n", "bad.jsonl line 2: text after the JSON object");
        assertLineError("{}\n", "bad.jsonl line 1: an empty object");
    }

    @Test
    void aMissingFileSaysWhere() {
        DataFileException e = assertThrows(DataFileException.class, () -> Jsonl.read(Path.of("no/such.jsonl")));
        assertTrue(e.getMessage().contains("such.jsonl does not exist"), e.getMessage());
    }

    private static void assertLineError(String text, String expected) {
        DataFileException e = assertThrows(DataFileException.class, () -> Jsonl.parse(text, "bad.jsonl"));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }
}
