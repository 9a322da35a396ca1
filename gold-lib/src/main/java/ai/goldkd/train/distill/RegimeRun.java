package ai.goldkd.train.distill;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.goldkd.config.Devices;
import ai.goldkd.data.arithmetic.Family;
import ai.goldkd.metrics.SliceScore;
import ai.goldkd.model.CausalLm;
import ai.goldkd.model.Checkpoint;
import ai.goldkd.model.LanguageModel;
import ai.goldkd.model.TransformerConfig;
import ai.goldkd.report.Charts;
import ai.goldkd.teacher.LocalTeacher;
import ai.goldkd.teacher.Teacher;
import ai.goldkd.tokenizer.Tokenizer;
import ai.goldkd.train.StepListener;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Figure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One distillation run, trained and then scored by greedy answer accuracy on held-out problems: the unit
 * of a side-by-side comparison of regimes. The trained student is saved in {@code out} (its latest
 * state; {@link #load} reads it back).
 *
 * <pre>{@code
 * RegimeRun init = RegimeRun.fromScratch("student start", sft, shape, tokenizer, train, held, test, dir.resolve("init"));
 * RegimeRun kd = RegimeRun.from(init.out(), "supervised KD", skd, teacher, tokenizer, train, held, test, dir.resolve("kd"));
 * Report.show(RegimeRun.table(List.of(init, kd)));
 * }</pre>
 *
 * @param name a label for tables and charts
 * @param config the regime's settings
 * @param result what the training did
 * @param accuracy greedy accuracy on the test problems
 * @param out where the trained student is saved
 */
public record RegimeRun(
        String name,
        DistillationConfig config,
        DistillationTrainer.DistillationResult result,
        AnswerAccuracy accuracy,
        Path out) {

    /** Prompts decoded together when scoring. */
    private static final int EVAL_BATCH = 100;

    /**
     * Trains a fresh model of the given shape (SFT for a starting point or a teacher, or any regime).
     *
     * @param name the run's label
     * @param config the regime
     * @param shape the model's shape; its vocabulary must be the tokenizer's
     * @param teacher the teacher for the regimes that need one, else null
     * @param tokenizer the tokenizer (shared with the teacher)
     * @param train training prompts and answers
     * @param validation held-out examples for the validation cross-entropy; may be empty
     * @param test the problems to score
     * @param out the run directory
     * @return the run
     */
    public static RegimeRun fromScratch(
            String name,
            DistillationConfig config,
            TransformerConfig shape,
            Teacher teacher,
            Tokenizer tokenizer,
            List<PromptExample> train,
            List<PromptExample> validation,
            List<PromptExample> test,
            Path out) {
        return fromScratch(name, config, shape, teacher, tokenizer, train, validation, test, out, StepListener.none());
    }

    static RegimeRun fromScratch(
            String name,
            DistillationConfig config,
            TransformerConfig shape,
            Teacher teacher,
            Tokenizer tokenizer,
            List<PromptExample> train,
            List<PromptExample> validation,
            List<PromptExample> test,
            Path out,
            StepListener listener) {
        if (shape.vocab() != tokenizer.vocabSize()) {
            throw new IllegalArgumentException("shape vocab " + shape.vocab() + " != tokenizer vocab "
                    + tokenizer.vocabSize() + "; build the shape with .withVocab(tokenizer.vocabSize())");
        }
        try (Model model = Model.newInstance(name, Devices.choose())) {
            model.setBlock(new CausalLm(shape));
            return run(name, config, model, teacher, tokenizer, train, validation, test, out, listener);
        }
    }

    /**
     * Trains a copy of a saved student (the shared starting point of a comparison).
     *
     * @param start the starting checkpoint's directory; it is read, not changed
     * @param name the run's label
     * @param config the regime
     * @param teacher the teacher for the regimes that need one, else null
     * @param tokenizer the tokenizer (shared with the teacher)
     * @param train training prompts and answers
     * @param validation held-out examples for the validation cross-entropy; may be empty
     * @param test the problems to score
     * @param out the run directory
     * @return the run
     */
    public static RegimeRun from(
            Path start,
            String name,
            DistillationConfig config,
            Teacher teacher,
            Tokenizer tokenizer,
            List<PromptExample> train,
            List<PromptExample> validation,
            List<PromptExample> test,
            Path out) {
        return from(start, name, config, teacher, tokenizer, train, validation, test, out, StepListener.none());
    }

    static RegimeRun from(
            Path start,
            String name,
            DistillationConfig config,
            Teacher teacher,
            Tokenizer tokenizer,
            List<PromptExample> train,
            List<PromptExample> validation,
            List<PromptExample> test,
            Path out,
            StepListener listener) {
        try (Model model = Model.newInstance(name, Devices.choose())) {
            model.setBlock(Checkpoint.load(start, model.getNDManager()).languageModel());
            return run(name, config, model, teacher, tokenizer, train, validation, test, out, listener);
        }
    }

    /**
     * Scores a saved model without training it (a teacher, or the starting point), as a row of the table.
     *
     * @param name the row's label
     * @param model the model
     * @param tokenizer its tokenizer
     * @param test the problems
     * @param maxNewTokens the longest answer
     * @param dir where the model lives, or null
     * @return a run with zero steps
     */
    public static RegimeRun scored(
            String name, CausalLm model, Tokenizer tokenizer, List<PromptExample> test, int maxNewTokens, Path dir) {
        return scored(name, new LocalTeacher(model, tokenizer), test, maxNewTokens, dir);
    }

    /**
     * Scores a teacher without training anything, as a row of the table.
     *
     * @param name the row's label
     * @param teacher the teacher
     * @param test the problems
     * @param maxNewTokens the longest answer
     * @param dir where the teacher's model lives, or null
     * @return a run with zero steps
     */
    public static RegimeRun scored(String name, Teacher teacher, List<PromptExample> test, int maxNewTokens, Path dir) {
        AnswerAccuracy acc = AnswerAccuracy.evaluate(teacher, test, maxNewTokens, EVAL_BATCH);
        return new RegimeRun(
                name,
                DistillationConfig.defaults().withRegime(Regime.SFT).withMaxNewTokens(maxNewTokens),
                null,
                acc,
                dir);
    }

    private static RegimeRun run(
            String name,
            DistillationConfig config,
            Model model,
            Teacher teacher,
            Tokenizer tokenizer,
            List<PromptExample> train,
            List<PromptExample> validation,
            List<PromptExample> test,
            Path out,
            StepListener listener) {
        // the listener sees the run under its label ("supervised KD"), not its folder's name
        DistillationTrainer.DistillationResult result = new DistillationTrainer(
                        config, tokenizer, config.regime().needsTeacher() ? teacher : null)
                .withListener(listener.named(name))
                .train(model, train, validation, out);
        // no test problems (a white-box study scores its own way): no accuracy, NaN
        AnswerAccuracy acc = test.isEmpty()
                ? new AnswerAccuracy(Double.NaN, List.of(), List.of(), List.of(), 0)
                : AnswerAccuracy.evaluate(
                        (LanguageModel) model.getBlock(), tokenizer, test, config.maxNewTokens(), EVAL_BATCH);
        return new RegimeRun(name, config, result, acc, out);
    }

    /**
     * Loads the trained student.
     *
     * @param manager where its parameters go
     * @return the model
     */
    public CausalLm load(NDManager manager) {
        if (out == null) {
            throw new IllegalStateException("run '" + name + "' has no saved model; it was only scored");
        }
        return Checkpoint.load(out, manager).languageModel();
    }

    /** The accuracy on the tail families (all but add and subtract). */
    public double tailAccuracy() {
        return accuracy.tailAccuracy(head());
    }

    /** The training wall time in seconds (SeqKD's teacher answers included), 0 for a scored-only row. */
    public double seconds() {
        return result == null ? 0 : result.seconds();
    }

    /**
     * Runs side by side: accuracy overall, on the head and the tail families, per family, the share of
     * on-policy batches and the wall time. Accuracies in percent.
     *
     * @param runs the runs, one row each
     * @return the table
     */
    public static Table table(List<RegimeRun> runs) {
        Table t = Table.create(
                "Greedy answer accuracy on held-out problems (%)",
                StringColumn.create("run", runs.stream().map(RegimeRun::name).toList()),
                DoubleColumn.create(
                        "accuracy",
                        runs.stream().mapToDouble(r -> pct(r.accuracy().accuracy()))),
                DoubleColumn.create("tail", runs.stream().mapToDouble(r -> pct(r.tailAccuracy()))));
        for (Family f : Family.values()) {
            t.addColumns(DoubleColumn.create(f.label(), runs.stream().mapToDouble(r -> pct(slice(r, f.label())))));
        }
        t.addColumns(
                DoubleColumn.create(
                        "on-policy batches",
                        runs.stream()
                                .mapToDouble(r ->
                                        r.result() == null ? 0 : pct(r.result().onPolicyFraction()))),
                DoubleColumn.create("train seconds", runs.stream().mapToDouble(r -> Math.round(r.seconds()))));
        return t;
    }

    /**
     * Accuracy per family, one column per run, for a grouped bar chart (the family column is "family").
     *
     * @param runs the runs
     * @return the table, in percent
     */
    public static Table byFamily(List<RegimeRun> runs) {
        List<String> families = new ArrayList<>();
        families.add("all");
        families.add("tail");
        Arrays.stream(Family.values()).map(Family::label).forEach(families::add);
        Table t = Table.create("accuracy by family", StringColumn.create("family", families));
        for (RegimeRun r : runs) {
            double[] values = new double[families.size()];
            values[0] = pct(r.accuracy().accuracy());
            values[1] = pct(r.tailAccuracy());
            for (int i = 2; i < families.size(); i++) {
                values[i] = pct(slice(r, families.get(i)));
            }
            t.addColumns(DoubleColumn.create(r.name(), values));
        }
        return t;
    }

    /**
     * The accuracies of {@link #byFamily} as bars, runs side by side per family.
     *
     * @param runs the runs
     * @return the figure
     */
    public static Figure familyChart(List<RegimeRun> runs) {
        return Charts.groupedBars(
                "Greedy accuracy on held-out problems, by regime and family",
                "accuracy (%)",
                byFamily(runs),
                "family",
                runs.stream().map(RegimeRun::name).toArray(String[]::new));
    }

    private static double slice(RegimeRun r, String family) {
        return r.accuracy().slices().stream()
                .filter(s -> s.slice().equals(family))
                .mapToDouble(SliceScore::value)
                .findFirst()
                .orElse(Double.NaN);
    }

    private static Set<String> head() {
        return Arrays.stream(Family.values())
                .filter(Family::head)
                .map(Family::label)
                .collect(Collectors.toSet());
    }

    private static double pct(double x) {
        return Double.isNaN(x) ? Double.NaN : Math.round(1000 * x) / 10.0;
    }
}
