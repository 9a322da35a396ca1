package ai.goldkd.gold;

import ai.goldkd.data.Task;
import ai.goldkd.data.TaskCatalog;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The loop student from iteration 0, per method and iteration (mean over the seeds that reached it):
 * whether the energies it gives the teacher's OOD-validation samples can tell them apart, and how good
 * a classifier it is while it picks the feedback. Read from the run directories' samples and metrics:
 *
 * <ul>
 *   <li>{@code updated}: the share of seeds whose student was updated in this iteration (every
 *       {@code loop.updateEvery} iterations, from 0);
 *   <li>{@code student accuracy}: on the real test set, measured after each update and carried to the
 *       iterations until the next (the student does not change in between);
 *   <li>{@code energy p10}, {@code p50}, {@code p90} of the validation batch, {@code energy spread}
 *       = p90 - p10 and {@code energy sd} (population standard deviation), all in nats: a spread near 0
 *       means every sample scores alike and the band's feedback is a random pick;
 *   <li>{@code seconds}: the iteration's wall time.
 * </ul>
 *
 * Runs without iterations (real data, teacher few-shot) give no rows.
 */
public final class LoopStudentTrajectory {

    private static final String[] MEASURES = {
        "updated", "student accuracy", "energy p10", "energy p50", "energy p90", "energy spread", "energy sd", "seconds"
    };

    private LoopStudentTrajectory() {}

    /**
     * The table: method, seeds, iteration, then {@link #MEASURES}, rows in the order methods are first
     * seen, then by iteration.
     *
     * @param runs run directories (finished or not)
     * @return the table
     */
    public static Table table(List<Path> runs) {
        Map<String, TreeMap<Integer, List<double[]>>> rows = new LinkedHashMap<>();
        for (Path dir : runs) {
            RunDirectory run = RunDirectory.open(dir);
            Task task = TaskCatalog.locate().task(run.config().task());
            double accuracy = Double.NaN;
            for (Iteration it : run.completedIterations(task)) {
                boolean updated = it.metrics().containsKey(GoldMetrics.STUDENT_ACCURACY);
                if (updated) {
                    accuracy = it.metric(GoldMetrics.STUDENT_ACCURACY);
                }
                rows.computeIfAbsent(run.config().name(), k -> new TreeMap<>())
                        .computeIfAbsent(it.index(), k -> new ArrayList<>())
                        .add(measure(it.energies(), updated, accuracy, it.metric(GoldMetrics.SECONDS)));
            }
        }
        StringColumn method = StringColumn.create("method");
        IntColumn seeds = IntColumn.create("seeds");
        IntColumn iteration = IntColumn.create("iteration");
        DoubleColumn[] columns = new DoubleColumn[MEASURES.length];
        for (int c = 0; c < MEASURES.length; c++) {
            columns[c] = DoubleColumn.create(MEASURES[c]);
        }
        rows.forEach((name, byIteration) -> byIteration.forEach((t, values) -> {
            method.append(name);
            seeds.append(values.size());
            iteration.append(t);
            for (int c = 0; c < MEASURES.length; c++) {
                int col = c;
                double mean = values.stream()
                        .mapToDouble(v -> v[col])
                        .filter(x -> !Double.isNaN(x))
                        .average()
                        .orElse(Double.NaN);
                columns[c].append(Double.isNaN(mean) ? Double.NaN : Math.round(mean * 1e4) / 1e4);
            }
        }));
        Table out = Table.create(
                "Loop student per iteration (energies of the OOD-validation batch, nats; mean over" + " seeds)",
                method,
                seeds,
                iteration);
        out.addColumns(columns);
        return out;
    }

    /** One seed's row: {@link #MEASURES} in order. */
    static double[] measure(float[] energies, boolean updated, double accuracy, double seconds) {
        double p10 = Double.NaN;
        double p50 = Double.NaN;
        double p90 = Double.NaN;
        double sd = Double.NaN;
        if (energies.length > 0) {
            p10 = IterationMetrics.percentile(energies, 0.1);
            p50 = IterationMetrics.percentile(energies, 0.5);
            p90 = IterationMetrics.percentile(energies, 0.9);
            double mean = 0;
            for (float e : energies) {
                mean += e;
            }
            mean /= energies.length;
            double ss = 0;
            for (float e : energies) {
                ss += (e - mean) * (e - mean);
            }
            sd = Math.sqrt(ss / energies.length);
        }
        return new double[] {updated ? 1 : 0, accuracy, p10, p50, p90, p90 - p10, sd, seconds};
    }
}
