package ai.goldkd.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class LiveCurvesTest {

    @Test
    void eachPointRedrawsOneChartWithALinePerSeries(@TempDir Path dir) throws Exception {
        assumeTrue(!Notebook.active());
        LiveCurves loss =
                LiveCurves.of(Report.live(dir.resolve("loss.html")), "Training loss", "step", "loss (nats/token)");
        loss.add("SFT", 0, 2.5);
        loss.add("SFT", 10, 1.5);
        loss.add("GKD", 0, 2.4);
        loss.add("GKD", 10, Double.NaN);
        assertEquals(3, loss.chart().updates(), "a point that is not finite is skipped, with no redraw");
        JsonArray traces = loss.figure().data();
        assertEquals(2, traces.size(), "one line per series");
        JsonObject sft = traces.get(0).getAsJsonObject();
        assertEquals("SFT", sft.get("name").getAsString());
        assertEquals(2.5, sft.getAsJsonArray("y").get(0).getAsDouble());
        assertEquals(1.5, sft.getAsJsonArray("y").get(1).getAsDouble());
        assertEquals(1, traces.get(1).getAsJsonObject().getAsJsonArray("y").size());
        assertEquals(3, loss.table().rowCount());

        String page = Files.readString(dir.resolve("loss.html"));
        assertEquals(1, page.split("class=\"gold-plot\"", -1).length - 1, "the page holds one chart, the last drawn");
        assertTrue(page.contains("\"name\":\"GKD\""));
        assertFalse(Files.exists(dir.resolve("loss.html.partial")), "no half-written page left");

        Map<String, Double> both = new LinkedHashMap<>();
        both.put("SFT", 1.0);
        both.put("GKD", 1.1);
        loss.add(20, both);
        assertEquals(4, loss.chart().updates(), "several series at one x: one redraw");
        assertEquals(5, loss.table().rowCount());
    }

    @Test
    void aChartWithoutAxisTitlesIsRefusedBeforeTheFirstPoint(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> LiveCurves.of(Report.live(dir.resolve("x.html")), "Loss", "step", ""));
        assertTrue(e.getMessage().contains("both axis titles"), e.getMessage());
    }
}
