package ai.goldkd.notebooks;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@code tests/notebooks/display-updates.ipynb} in the gold kernel with plain nbconvert and checks
 * each cell's outputs: a display updated 20 times leaves one output holding the last update, a live
 * chart updated 20 times leaves one chart, and streams, JavaScript and images arrive as themselves.
 */
class KernelNotebookTest {

    private static JsonObject executed;

    @BeforeAll
    static void run() throws Exception {
        executed = Nbconvert.execute(Nbconvert.ROOT.resolve("tests/notebooks/display-updates.ipynb"));
    }

    private static JsonArray outputsOf(String tag) {
        for (JsonElement e : executed.getAsJsonArray("cells")) {
            JsonObject cell = e.getAsJsonObject();
            if (Nbconvert.tags(cell).contains(tag)) {
                return cell.getAsJsonArray("outputs");
            }
        }
        throw new AssertionError("no cell tagged " + tag + " in display-updates.ipynb");
    }

    private static String data(JsonObject output, String mime) {
        JsonObject data = output.getAsJsonObject("data");
        return data != null && data.has(mime) ? Nbconvert.text(data.get(mime)) : null;
    }

    @Test
    void aDisplayUpdatedTwentyTimesLeavesOneOutput() {
        JsonArray outputs = outputsOf("updates");
        assertEquals(1, outputs.size(), "one output, not one per update: " + outputs);
        assertEquals("<b>update 20</b>", data(outputs.get(0).getAsJsonObject(), "text/html"));
    }

    @Test
    void aLiveChartUpdatedTwentyTimesLeavesOneChart() {
        JsonArray outputs = outputsOf("live");
        assertEquals(1, outputs.size(), "one chart, not one per update (plotly.js came with the chart before)");
        String html = data(outputs.get(0).getAsJsonObject(), "text/html");
        assertTrue(html.contains("Plotly.newPlot") && html.contains("Loss after 21 steps"), "the last update: " + html);
        assertTrue(!html.contains("Loss after 20 steps"), "and only the last one");
    }

    @Test
    void streamsKeepTheirNames() {
        List<String> streams = new ArrayList<>();
        for (JsonElement e : outputsOf("streams")) {
            JsonObject o = e.getAsJsonObject();
            streams.add(o.get("name").getAsString() + ": " + Nbconvert.text(o.get("text")));
        }
        assertEquals(List.of("stdout: to stdout\n", "stderr: to stderr\n"), streams);
    }

    @Test
    void javascriptAndImagesAreRichOutputs() {
        JsonArray js = outputsOf("javascript");
        assertEquals(1, js.size(), "the display alone; a closing semicolon shows no value: " + js);
        assertEquals("window.goldKernelCheck = 1;", data(js.get(0).getAsJsonObject(), "application/javascript"));
        JsonArray image = outputsOf("image");
        assertEquals(1, image.size());
        String png = data(image.get(0).getAsJsonObject(), "image/png");
        assertTrue(png != null && png.strip().startsWith("iVBORw0KGgo"), "a base64 PNG: " + image);
    }
}
