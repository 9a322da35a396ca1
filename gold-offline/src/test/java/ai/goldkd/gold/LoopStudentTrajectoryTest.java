package ai.goldkd.gold;

import ai.goldkd.config.Budget;
import ai.goldkd.data.Task;
import ai.goldkd.data.TaskCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoopStudentTrajectoryTest {

    private static GoldConfig smoke(String preset, long seed) {
        return GoldConfig.preset(preset, Budget.SMOKE)
                .withTestSize(200)
                .withSeed(seed)
                .withTeacher(TeacherSpec.endpoint("http://127.0.0.1:1/v1", "test"));
    }

    /** The q-quantile by linear interpolation, written out again here (not the loop's helper). */
    private static double quantile(float[] values, double q) {
        double[] s = new double[values.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = values[i];
        }
        Arrays.sort(s);
        double pos = q * (s.length - 1);
        int lo = (int) pos;
        return lo + 1 < s.length ? s[lo] + (pos - lo) * (s[lo + 1] - s[lo]) : s[lo];
    }

    @Test
    void showsTheLoopStudentsAccuracyAndEnergySpreadFromIterationZero(@TempDir Path dir) {
        Path a = dir.resolve("gold-s1");
        Path b = dir.resolve("gold-s2");
        Gold.run(smoke("gold", 1), new GoldLoopTest.WordTeacher(), a, it -> {});
        Gold.run(smoke("gold", 2), new GoldLoopTest.WordTeacher(), b, it -> {});
        Task task = TaskCatalog.locate().task("imdb-sentiment");
        List<Iteration> ia = RunDirectory.open(a).completedIterations(task);
        List<Iteration> ib = RunDirectory.open(b).completedIterations(task);
        int every = smoke("gold", 1).loop().updateEvery();

        Table t = LoopStudentTrajectory.table(List.of(a, b));
        assertEquals(ia.size(), t.rowCount(), "one row per iteration, both seeds in each");
        for (int row = 0; row < t.rowCount(); row++) {
            int it = t.intColumn("iteration").get(row);
            assertEquals(row, it, "rows from iteration 0, in order");
            assertEquals("gold", t.stringColumn("method").get(row));
            assertEquals(2, t.intColumn("seeds").get(row));
            assertEquals(it % every == 0 ? 1.0 : 0.0, t.doubleColumn("updated").get(row), "updates at 0, K, 2K");
            // the accuracy of the student that scored this iteration: the last update's
            int last = it - it % every;
            double accuracy = (ia.get(last).metric(GoldMetrics.STUDENT_ACCURACY)
                            + ib.get(last).metric(GoldMetrics.STUDENT_ACCURACY))
                    / 2;
            assertFalse(Double.isNaN(accuracy), "the loop measures its student at iteration " + last);
            assertEquals(accuracy, t.doubleColumn("student accuracy").get(row), 1e-4);
            double spread = (quantile(ia.get(it).energies(), 0.9)
                            - quantile(ia.get(it).energies(), 0.1)
                            + quantile(ib.get(it).energies(), 0.9)
                            - quantile(ib.get(it).energies(), 0.1))
                    / 2;
            assertEquals(spread, t.doubleColumn("energy spread").get(row), 1e-4);
            assertTrue(t.doubleColumn("energy sd").get(row) >= 0);
            assertEquals(
                    t.doubleColumn("energy p90").get(row)
                            - t.doubleColumn("energy p10").get(row),
                    t.doubleColumn("energy spread").get(row),
                    2e-4);
            // the loop logs the same spread in its metrics (and so in metrics.csv and the report's chart)
            assertEquals(
                    quantile(ia.get(it).energies(), 0.9) - quantile(ia.get(it).energies(), 0.1),
                    ia.get(it).metric(GoldMetrics.ENERGY_SPREAD),
                    1e-5);
            assertTrue(t.doubleColumn("seconds").get(row) > 0);
        }
        assertTrue(
                t.doubleColumn("energy spread").get(t.rowCount() - 1) > 0,
                "a student trained on the run so far tells samples apart");
    }

    @Test
    void aRunWithoutIterationsGivesNoRows(@TempDir Path dir) {
        Path real = dir.resolve("real-data-s1");
        Gold.run(smoke("real-data", 1), new GoldLoopTest.WordTeacher(), real, it -> {});
        assertTrue(LoopStudentTrajectory.table(List.of(real)).isEmpty());
    }
}
