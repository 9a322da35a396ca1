package ai.goldkd.train.distill;

import ai.goldkd.loss.Divergence;
import ai.goldkd.model.CausalLm;
import ai.goldkd.model.SamplingConfig;
import ai.goldkd.model.TransformerConfig;
import ai.goldkd.teacher.Teacher;
import ai.goldkd.tokenizer.Tokenizer;
import ai.goldkd.train.StepListener;
import ai.goldkd.train.TrainConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Regimes side by side: one teacher, one set of splits, one output directory, one batch size, and (after
 * {@link #from}) one starting student, so that each regime is one call:
 *
 * <pre>{@code
 * RegimeComparison compare = RegimeComparison.of(teacher, splits, runs).withBatch(32);
 * RegimeRun start = compare.start(400, 2e-3f, studentShape);
 * RegimeRun kd = compare.from(start).run("supervised KD", compare.regime(Regime.SUPERVISED_KD, 100, 1e-3f));
 * }</pre>
 *
 * @param teacher the teacher; its tokenizer is the students' too (token-level KD needs one vocabulary)
 * @param splits the prompts to train on, validate on and score
 * @param out the directory each run gets a folder in, named after the run
 * @param batch sequences per optimizer step, >= 1
 * @param maxNewTokens the longest answer, sampled or scored, >= 1
 * @param start the starting student's checkpoint directory, or null before {@link #from}
 * @param listener told about each logged step of every run (a live loss curve); {@link StepListener#none()}
 *     by default
 */
public record RegimeComparison(
        Teacher teacher,
        PromptSplits splits,
        Path out,
        int batch,
        int maxNewTokens,
        Path start,
        StepListener listener) {

    /** Checks the fields and names the bad one. */
    public RegimeComparison {
        if (teacher == null || splits == null || out == null) {
            throw new IllegalArgumentException("teacher, splits and out must not be null; obtain a teacher first"
                    + " (e.g. ArithmeticTeachers.obtain) and give PromptSplits.of(...) and a directory");
        }
        if (listener == null) {
            throw new IllegalArgumentException("listener must not be null; use StepListener.none()");
        }
        if (batch < 1 || maxNewTokens < 1) {
            throw new IllegalArgumentException(
                    "batch " + batch + " and maxNewTokens " + maxNewTokens + " must be >= 1");
        }
    }

    /**
     * A comparison with batch 32 and 48 new tokens (the longest arithmetic answer is 45 bytes).
     *
     * @param teacher the teacher
     * @param splits the prompts
     * @param out the runs' directory
     * @return the comparison, without a starting student yet
     */
    public static RegimeComparison of(Teacher teacher, PromptSplits splits, Path out) {
        return new RegimeComparison(teacher, splits, out, 32, 48, null, StepListener.none());
    }

    /** @return a copy with the given batch size */
    public RegimeComparison withBatch(int value) {
        return new RegimeComparison(teacher, splits, out, value, maxNewTokens, start, listener);
    }

    /** @return a copy with the given answer length */
    public RegimeComparison withMaxNewTokens(int value) {
        return new RegimeComparison(teacher, splits, out, batch, value, start, listener);
    }

    /**
     * The same comparison, telling a listener about each logged step of every later run, under the
     * run's label: a live loss curve of the regimes side by side.
     *
     * @param value the listener, e.g. {@code StepListener.curve(curves, "train_loss")}
     * @return the comparison
     */
    public RegimeComparison withListener(StepListener value) {
        return new RegimeComparison(teacher, splits, out, batch, maxNewTokens, start, value);
    }

    /**
     * The same comparison, every later run continuing from a trained student.
     *
     * @param run the starting run (its saved student is read, not changed)
     * @return the comparison
     */
    public RegimeComparison from(RegimeRun run) {
        return new RegimeComparison(teacher, splits, out, batch, maxNewTokens, run.out(), listener);
    }

    /** The students' tokenizer: the teacher's. */
    public Tokenizer tokenizer() {
        return teacher.tokenizer();
    }

    /**
     * A regime's settings, alike in everything else: a warm-up of a tenth of the steps, a cosine to a
     * tenth of the step size, the batch, seed 3, metrics logged every twentieth step (at most every 10th).
     *
     * @param regime the regime
     * @param steps optimizer steps
     * @param learningRate the peak step size
     * @return the settings; change the divergence or lambda with its withers
     */
    public DistillationConfig regime(Regime regime, int steps, float learningRate) {
        // about 20 logged points per run (every step of a short one), so that a loss curve has a shape
        TrainConfig train = TrainConfig.defaults()
                .withSteps(steps, Math.max(1, steps / 10))
                .withBatch(batch, 1)
                .withLogEvery(Math.max(1, Math.min(10, steps / 20)))
                .withLearningRate(learningRate, learningRate / 10)
                .withSeed(3);
        return DistillationConfig.defaults()
                .withRegime(regime)
                .withMaxNewTokens(maxNewTokens)
                .withTrain(train);
    }

    /**
     * Trains the shared starting student from scratch by SFT, in the folder {@code start}.
     *
     * @param steps SFT steps
     * @param learningRate the peak step size
     * @param shape the student's shape; its vocabulary must be the teacher tokenizer's
     * @return the run; pass it to {@link #from}
     */
    public RegimeRun start(int steps, float learningRate, TransformerConfig shape) {
        return RegimeRun.fromScratch(
                "student start (SFT)",
                regime(Regime.SFT, steps, learningRate),
                shape,
                null,
                tokenizer(),
                splits.train(),
                splits.validation(),
                splits.test(),
                out.resolve("start"),
                listener);
    }

    /**
     * Trains a copy of the starting student under one regime and scores it.
     *
     * @param name the run's label; its folder is the label in lower case, spaces as dashes
     * @param config the regime's settings, e.g. from {@link #regime}
     * @return the run
     * @throws IllegalStateException before {@link #from} has given a starting student
     */
    public RegimeRun run(String name, DistillationConfig config) {
        if (start == null) {
            throw new IllegalStateException("no starting student; call from(start(...)) first");
        }
        return RegimeRun.from(
                start,
                name,
                config,
                teacher,
                tokenizer(),
                splits.train(),
                splits.validation(),
                splits.test(),
                out.resolve(name.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")),
                listener);
    }

    /**
     * What an on-policy step sees: the student answers each prompt at temperature 1 (as GKD samples)
     * and the teacher scores the answer token by token.
     *
     * @param student the student
     * @param prompts the prompts (their references say whether an answer is right)
     * @param divergence the per-token divergence the loss would use
     * @param seed the sampling seed
     * @return one sample per prompt ({@link TeacherView#sample})
     */
    public List<TeacherView.Sample> onPolicyView(
            CausalLm student, List<PromptExample> prompts, Divergence divergence, long seed) {
        SamplingConfig sampling = SamplingConfig.defaults()
                .withTemperature(1f)
                .withMaxNewTokens(maxNewTokens)
                .withSeed(seed);
        return TeacherView.sample(student, teacher, tokenizer(), prompts, sampling, divergence);
    }

    /** The teacher itself, scored on the test problems, as a row of {@link RegimeRun#table}. */
    public RegimeRun teacherRow() {
        return RegimeRun.scored("teacher", teacher, splits.test(), maxNewTokens, null);
    }
}
