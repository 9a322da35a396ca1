package ai.goldkd.notebooks;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Executes every notebook under {@code notebooks/} in the gold kernel with plain {@code jupyter
 * nbconvert --execute}, at the {@code smoke} budget, and checks what came out: no cell failed, every
 * chart cell drew a chart, and nothing in the outputs loads from the network.
 *
 * <p>A chart cell is a code cell tagged {@code chart}; a cell that creates a Tablesaw plot must carry
 * the tag, so a chart cannot go unchecked. {@code -Dgold.notebooks=01,04} (or {@code GOLD_NOTEBOOKS})
 * runs only the notebooks whose names contain one of the given parts. A cell tagged {@code live} draws
 * a live chart ({@code Report.live}) that its loop updates many times: it must leave exactly one chart.
 */
class NotebooksTest {

    private static final Path ROOT = Nbconvert.ROOT;
    private static final Pattern CREATES_PLOT = Pattern.compile("\\b\\w*(Plot|Chart)\\.create\\(");
    private static final Pattern REMOTE_SCRIPT =
            Pattern.compile("<(script|link|img)[^>]+(src|href)=[\"']?(https?:)?//", Pattern.CASE_INSENSITIVE);

    @TestFactory
    Stream<DynamicTest> everyNotebookRunsAtSmokeBudget() throws IOException {
        List<Path> notebooks;
        try (Stream<Path> files = Files.list(ROOT.resolve("notebooks"))) {
            notebooks = files.filter(p -> p.toString().endsWith(".ipynb"))
                    .filter(NotebooksTest::selected)
                    .sorted()
                    .toList();
        }
        assertFalse(notebooks.isEmpty(), "no notebooks under " + ROOT.resolve("notebooks") + " match " + selection());
        return notebooks.stream()
                .map(nb -> DynamicTest.dynamicTest(nb.getFileName().toString(), () -> check(nb)));
    }

    /** The parts of notebook names to run; empty for all. */
    private static List<String> selection() {
        String chosen = System.getProperty("gold.notebooks", System.getenv().getOrDefault("GOLD_NOTEBOOKS", ""));
        return Arrays.stream(chosen.split(","))
                .map(String::strip)
                .filter(p -> !p.isEmpty())
                .toList();
    }

    private static boolean selected(Path notebook) {
        List<String> parts = selection();
        return parts.isEmpty() || parts.stream().anyMatch(notebook.getFileName().toString()::contains);
    }

    private static void check(Path notebook) throws Exception {
        JsonObject nb = Nbconvert.execute(notebook);
        List<String> problems = new ArrayList<>();
        int index = 0;
        for (JsonElement element : nb.getAsJsonArray("cells")) {
            JsonObject cell = element.getAsJsonObject();
            index++;
            if (!cell.get("cell_type").getAsString().equals("code")) {
                continue;
            }
            String source = Nbconvert.text(cell.get("source"));
            String outputs = cell.getAsJsonArray("outputs").toString();
            boolean tagged = Nbconvert.tags(cell).contains("chart");
            for (JsonElement output : cell.getAsJsonArray("outputs")) {
                if (output.getAsJsonObject().get("output_type").getAsString().equals("error")) {
                    problems.add("cell " + index + " raised: "
                            + output.getAsJsonObject().get("evalue"));
                }
            }
            if (Nbconvert.tags(cell).contains("live")) {
                // a live chart redraws in place: however many updates, the cell keeps one chart
                int charts = 0;
                for (JsonElement output : cell.getAsJsonArray("outputs")) {
                    charts += output.toString().contains("class=\\\"gold-plot\\\"") ? 1 : 0;
                }
                if (charts != 1) {
                    problems.add("cell " + index + " is a live chart cell but left " + charts + " charts, not one");
                }
            }
            if (CREATES_PLOT.matcher(source).find() && !tagged) {
                problems.add("cell " + index + " creates a plot but is not tagged 'chart'");
            }
            if (tagged && !outputs.contains("Plotly.newPlot")) {
                problems.add("cell " + index + " is a chart cell but drew no chart");
            }
            if (REMOTE_SCRIPT
                    .matcher(withoutPlotlyBundle(outputs.replace("\\\"", "\"")))
                    .find()) {
                problems.add("cell " + index + " loads something from the network");
            }
        }
        assertTrue(problems.isEmpty(), notebook.getFileName() + ": " + String.join("; ", problems));
    }

    /** The inlined plotly.js mentions URLs in its own text; the check is about the page around it. */
    private static String withoutPlotlyBundle(String text) {
        return text.replaceAll(
                "(?s)\\(function\\(define, module, exports\\)\\{.*?\\}\\)\\.call\\(window, undefined, undefined, undefined\\);",
                "");
    }
}
