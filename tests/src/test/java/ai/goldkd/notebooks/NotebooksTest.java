package ai.goldkd.notebooks;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Executes every notebook under {@code notebooks/} in the gold kernel with Jupyter, at the
 * {@code smoke} budget, and checks what came out: no cell failed, every chart cell drew a chart, and
 * nothing in the outputs loads from the network.
 *
 * <p>A chart cell is a code cell tagged {@code chart}; a cell that creates a Tablesaw plot must carry
 * the tag, so a chart cannot go unchecked.
 */
class NotebooksTest {

    private static final Path ROOT = Path.of(System.getProperty("gold.root", ".")).toAbsolutePath().normalize();
    private static final Path OUT = ROOT.resolve("tests/target/notebooks");
    private static final Pattern CREATES_PLOT = Pattern.compile("\\b\\w*(Plot|Chart)\\.create\\(");
    private static final Pattern REMOTE_SCRIPT =
            Pattern.compile("<(script|link|img)[^>]+(src|href)=[\"']?(https?:)?//", Pattern.CASE_INSENSITIVE);

    @TestFactory
    Stream<DynamicTest> everyNotebookRunsAtSmokeBudget() throws IOException {
        List<Path> notebooks;
        try (Stream<Path> files = Files.list(ROOT.resolve("notebooks"))) {
            notebooks = files.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
        }
        assertFalse(notebooks.isEmpty(), "no notebooks under " + ROOT.resolve("notebooks"));
        return notebooks.stream().map(nb -> DynamicTest.dynamicTest(nb.getFileName().toString(), () -> check(nb)));
    }

    private static void check(Path notebook) throws Exception {
        Files.createDirectories(OUT);
        Path executed = OUT.resolve(notebook.getFileName());
        Path log = OUT.resolve(notebook.getFileName() + ".log");
        ProcessBuilder pb = new ProcessBuilder(ROOT.resolve("environment/run-notebook").toString(),
                notebook.toString(), executed.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("GOLD_BUDGET", "smoke");
        Process process = pb.start();
        if (!process.waitFor(20, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail(notebook + " did not finish in 20 minutes; log: " + log);
        }
        String logText = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), notebook + " failed:\n" + tail(logText));

        JsonObject nb = JsonParser.parseString(Files.readString(executed, StandardCharsets.UTF_8)).getAsJsonObject();
        List<String> problems = new ArrayList<>();
        int index = 0;
        for (JsonElement element : nb.getAsJsonArray("cells")) {
            JsonObject cell = element.getAsJsonObject();
            index++;
            if (!cell.get("cell_type").getAsString().equals("code")) {
                continue;
            }
            String source = text(cell.get("source"));
            String outputs = cell.getAsJsonArray("outputs").toString();
            boolean tagged = tags(cell).contains("chart");
            for (JsonElement output : cell.getAsJsonArray("outputs")) {
                if (output.getAsJsonObject().get("output_type").getAsString().equals("error")) {
                    problems.add("cell " + index + " raised: " + output.getAsJsonObject().get("evalue"));
                }
            }
            if (CREATES_PLOT.matcher(source).find() && !tagged) {
                problems.add("cell " + index + " creates a plot but is not tagged 'chart'");
            }
            if (tagged && !outputs.contains("Plotly.newPlot")) {
                problems.add("cell " + index + " is a chart cell but drew no chart");
            }
            if (REMOTE_SCRIPT.matcher(withoutPlotlyBundle(outputs.replace("\\\"", "\""))).find()) {
                problems.add("cell " + index + " loads something from the network");
            }
        }
        assertTrue(problems.isEmpty(), notebook.getFileName() + ": " + String.join("; ", problems));
    }

    /** The inlined plotly.js mentions URLs in its own text; the check is about the page around it. */
    private static String withoutPlotlyBundle(String text) {
        return text.replaceAll("(?s)\\(function\\(define, module, exports\\)\\{.*?\\}\\)\\.call\\(window, undefined, undefined, undefined\\);", "");
    }

    private static List<String> tags(JsonObject cell) {
        JsonObject metadata = cell.getAsJsonObject("metadata");
        List<String> tags = new ArrayList<>();
        if (metadata != null && metadata.has("tags")) {
            metadata.getAsJsonArray("tags").forEach(t -> tags.add(t.getAsString()));
        }
        return tags;
    }

    private static String text(JsonElement source) {
        if (source.isJsonArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonElement line : (JsonArray) source) {
                sb.append(line.getAsString());
            }
            return sb.toString();
        }
        return source.getAsString();
    }

    private static String tail(String text) {
        return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
    }
}
