package ai.goldkd.gold;

import ai.goldkd.config.Budget;
import ai.goldkd.report.Notebook;
import ai.goldkd.report.Report;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PresetRunsTest {

    @Test
    void eachPresetRunsOverItsSeedsAndAnEndpointKeepsEachPresetsSampling() {
        PresetRuns runs = PresetRuns.of(Budget.SMOKE, Path.of("runs"), "gold", "zerogen-hot")
                .withSeeds(2);
        List<GoldConfig> configs = runs.configs();
        assertEquals(
                List.of("gold:1", "gold:2", "zerogen-hot:1", "zerogen-hot:2"),
                configs.stream().map(c -> c.name() + ":" + c.seed()).toList());
        TeacherSpec llm = TeacherSpec.endpoint("http://127.0.0.1:8000/v1", "m");
        List<GoldConfig> asked = runs.withTeacher(llm).configs();
        for (int i = 0; i < configs.size(); i++) {
            TeacherSpec own = configs.get(i).teacher();
            TeacherSpec t = asked.get(i).teacher();
            assertEquals(TeacherKind.ENDPOINT, t.kind());
            assertEquals(own.temperature(), t.temperature(), "the preset's temperature is kept");
            assertEquals(own.topK(), t.topK());
        }
        assertTrue(
                asked.get(2).teacher().temperature() != asked.get(0).teacher().temperature(),
                "zerogen-hot samples hotter than gold");
        IllegalArgumentException typo = assertThrows(
                IllegalArgumentException.class,
                () -> PresetRuns.of(Budget.SMOKE, Path.of("runs"), "gold", "zerogn")
                        .configs());
        assertTrue(typo.getMessage().contains("zerogn"), typo.getMessage());
        assertThrows(IllegalArgumentException.class, () -> runs.withSeeds(0));
    }

    @Test
    void theSmokeBudgetSkipsWorkItIsTooSmallFor() {
        assertEquals(
                "skipped at smoke budget: the judge (set GOLD_BUDGET=small)",
                Budget.SMOKE.unlessSmoke(
                        () -> {
                            throw new AssertionError("ran");
                        },
                        "the judge"));
        assertEquals(42, Budget.SMALL.unlessSmoke(() -> 42, "the judge"));
    }

    @Test
    void liveIterationsDrawTheIterationsSoFarThenOneRedrawPerIteration(@TempDir Path dir) throws Exception {
        assumeTrue(!Notebook.active());
        List<Iteration> done = List.of(iteration(0, 0.55), iteration(1, 0.60));
        LiveIterations live = LiveIterations.of(Report.live(dir.resolve("iterations.html")), done);
        assertEquals(2, live.curves().chart().updates());
        live.accept(iteration(2, 0.65));
        assertEquals(3, live.curves().chart().updates(), "one redraw per iteration, not one per metric");
        assertEquals(3 * 3, live.curves().table().rowCount(), "three metrics at three iterations");
        assertEquals(3, live.curves().figure().data().size(), "one line per metric");
        assertTrue(Files.readString(dir.resolve("iterations.html")).contains("0.65"), "the page shows the last");
    }

    private static Iteration iteration(int t, double accuracy) {
        return new Iteration(
                t,
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                false,
                Map.of(GoldMetrics.STUDENT_ACCURACY, accuracy, GoldMetrics.OOD_RATE, 0.1, GoldMetrics.DISTINCT2, 0.7));
    }
}
