package ai.goldkd.architecture;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Notebooks read like tutorials: every code cell is at most 8 lines, with no loop, branch or method of
 * its own (what such a cell needs is a library method).
 */
class NotebookStyleTest {

    static final Path ROOT =
            Path.of(System.getProperty("gold.root", ".")).toAbsolutePath().normalize();
    static final int MAX_LINES = 8;
    static final Pattern CONTROL = Pattern.compile("\\b(for|while|if|switch)\\s*\\(|\\bdo\\s*\\{");
    static final Pattern METHOD = Pattern.compile(
            "^[ \\t]*(public[ \\t]+|private[ \\t]+|static[ \\t]+)*[\\w<>\\[\\],]+[ \\t]+\\w+[ \\t]*\\([^)]*\\)[ \\t]*(throws [\\w, ]+)?\\{",
            Pattern.MULTILINE);

    @Test
    void everyCodeCellIsShortAndStraight() throws IOException {
        List<String> bad = new ArrayList<>();
        List<Path> notebooks;
        try (Stream<Path> files = Files.list(ROOT.resolve("notebooks"))) {
            notebooks =
                    files.filter(f -> f.toString().endsWith(".ipynb")).sorted().toList();
        }
        assertTrue(notebooks.size() >= 8, "notebooks found: " + notebooks);
        for (Path notebook : notebooks) {
            JsonObject nb = JsonParser.parseString(Files.readString(notebook)).getAsJsonObject();
            int index = 0;
            for (JsonElement e : nb.getAsJsonArray("cells")) {
                JsonObject cell = e.getAsJsonObject();
                index++;
                if (!"code".equals(cell.get("cell_type").getAsString())) {
                    continue;
                }
                StringBuilder source = new StringBuilder();
                JsonElement text = cell.get("source"); // nbformat: a list of lines or one string
                if (text.isJsonArray()) {
                    text.getAsJsonArray().forEach(line -> source.append(line.getAsString()));
                } else {
                    source.append(text.getAsString());
                }
                String code = source.toString();
                long lines = code.lines().filter(l -> !l.isBlank()).count();
                String where = notebook.getFileName() + " cell " + index + ": ";
                if (lines > MAX_LINES) {
                    bad.add(where + lines + " lines");
                }
                if (CONTROL.matcher(code).find()) {
                    bad.add(where + "a loop or branch");
                }
                if (METHOD.matcher(code).find()) {
                    bad.add(where + "a method defined in the cell");
                }
            }
        }
        assertEquals(List.of(), bad, "give these cells the library method they are missing");
    }
}
