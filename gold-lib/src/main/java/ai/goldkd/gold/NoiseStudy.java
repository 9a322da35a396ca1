package ai.goldkd.gold;

import ai.goldkd.data.Example;
import ai.goldkd.data.Task;
import ai.goldkd.data.TaskExamples;
import ai.goldkd.ood.NoiseAudit;
import ai.goldkd.ood.NoiseFilter;
import ai.goldkd.report.Charts;
import ai.goldkd.student.BagOfNgramsStudent;
import ai.goldkd.student.Student;
import ai.goldkd.student.StudentConfig;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Figure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A planted-noise study of a loop's generated samples (notebook 03): plant known noise into what the
 * teacher wrote, see where the student's energy ranks it, how well the energy filter finds it, and
 * whether dropping the top of the energy range helps the final student.
 *
 * <pre>{@code
 * NoiseStudy study = NoiseStudy.plant(loop.runIterations(), NoiseAudit.Plan.flips(0.10).withSalads(0.05));
 * Table audit = study.filterAudit(energies, 0.05, 0.10, 0.20);
 * Report.show(study.finalStudents(energies, 0.10));
 * }</pre>
 *
 * @param task the task the samples are for
 * @param test the real test set the final students are scored on
 * @param planted the samples with the planted noise
 */
public record NoiseStudy(Task task, List<Example> test, NoiseAudit.Planted planted) {

    /** Epochs and seed of each final student, as the notebook has always trained them. */
    private static final int EPOCHS = 5;

    private static final long SEED = 3;

    /**
     * Plants noise into every sample a loop has generated so far.
     *
     * @param loop the loop (its task, its samples and its test set are read)
     * @param plan what to plant
     * @return the study
     */
    public static NoiseStudy plant(GoldLoop loop, NoiseAudit.Plan plan) {
        Task task = loop.prompts().task();
        List<Example> samples =
                loop.samples().stream().map(GeneratedSample::sample).toList();
        if (samples.isEmpty()) {
            throw new IllegalArgumentException(
                    "the loop has generated nothing yet; run its iterations first" + " (loop.runIterations())");
        }
        NoiseAudit.Planted planted = NoiseAudit.plant(
                TaskExamples.inputsOf(task, samples),
                TaskExamples.labelsOf(task, samples),
                task.labelNames().size(),
                plan);
        return new NoiseStudy(task, loop.testSet(), planted);
    }

    /**
     * The filter's precision and recall at each cut-off, for all the noise and for each kind.
     *
     * @param energies one energy per planted sample
     * @param cutoffs the top shares of energy dropped
     * @return the long table of {@link NoiseAudit#filterAudit}
     */
    public Table filterAudit(float[] energies, double... cutoffs) {
        return NoiseAudit.filterAudit(energies, planted, cutoffs);
    }

    /**
     * The filter audit as lines over the cut-off: the precision on all noise, the recall of each.
     *
     * @param audit a table from {@link #filterAudit}
     * @return the figure
     */
    public static Figure filterChart(Table audit) {
        Table all = audit.where(audit.stringColumn("noise").isEqualTo("all noise"));
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("precision, all noise", all.doubleColumn("precision").asDoubleArray());
        for (String noise : audit.stringColumn("noise").unique().asList()) {
            Table t = audit.where(audit.stringColumn("noise").isEqualTo(noise));
            series.put("recall, " + noise, t.doubleColumn("recall").asDoubleArray());
        }
        return Charts.lines(
                "The energy filter against planted noise",
                "share of the set dropped (top energy)",
                "share",
                all.doubleColumn("cutoff").asDoubleArray(),
                series);
    }

    /**
     * The mean energy rank of each kind of sample as bars.
     *
     * @param byKind a table from {@link NoiseAudit#meanRankByKind}
     * @return the figure
     */
    public static Figure rankChart(Table byKind) {
        return Charts.groupedBars(
                "Mean energy rank of each kind of sample",
                "energy rank (0 = most familiar, 1 = most OOD)",
                byKind,
                "kind",
                "mean energy rank");
    }

    /**
     * Three final students scored on the real test set: trained on everything (noise included), on
     * what the energy filter keeps at a cut-off, and on the clean samples only (an oracle).
     *
     * @param energies one energy per planted sample
     * @param cutoff the top share of energy the filter drops
     * @return a table: training data, samples, accuracy %
     */
    public Table finalStudents(float[] energies, double cutoff) {
        NoiseAudit.Planted kept =
                planted.subset(new NoiseFilter(cutoff).apply(energies).kept());
        NoiseAudit.Planted clean = planted.subset(planted.indexesOf("clean"));
        List<NoiseAudit.Planted> sets = List.of(planted, kept, clean);
        double[] accuracy = sets.stream().mapToDouble(this::accuracy).toArray();
        return Table.create(
                "Final student on real test reviews",
                StringColumn.create(
                        "training data",
                        List.of(
                                "everything, noise included",
                                "top " + Math.round(100 * cutoff) + "% of energy dropped",
                                "clean only (oracle)")),
                IntColumn.create(
                        "samples", sets.stream().mapToInt(p -> p.texts().size()).toArray()),
                DoubleColumn.create("accuracy %", accuracy));
    }

    private double accuracy(NoiseAudit.Planted data) {
        try (Student s = new BagOfNgramsStudent(
                StudentConfig.defaults(), task.labelNames().size(), SEED)) {
            s.train(data.texts(), data.labels(), EPOCHS, SEED);
            return 100 * ClassifierStudent.score(s, task, test);
        }
    }
}
