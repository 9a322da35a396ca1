package ai.goldkd.gold;

import ai.goldkd.data.Example;
import ai.goldkd.data.Task;
import ai.goldkd.data.TaskCatalog;
import ai.goldkd.data.TaskExamples;
import ai.goldkd.data.TaskKind;
import ai.goldkd.ood.Candidates;
import ai.goldkd.ood.FeedbackSelector;
import ai.goldkd.ood.NoiseFilter;
import ai.goldkd.prompt.PromptTemplates;
import ai.goldkd.prompt.Prompts;
import ai.goldkd.student.Student;
import ai.goldkd.teacher.Generator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The GOLD loop (Gholami et al., 2024, arXiv 2403.19754), one iteration at a time, as the paper's released code runs it:
 *
 * <pre>
 * for t in 0 .. T-1:
 *     F_t  = F if t % feedback.every == 0 else []
 *     X_tr = teacher(prompt(label ~ uniform, few-shot + F_t))            trainBatch prompts, one sample each
 *     if t % K == 0: the student takes updateEpochs passes over all data so far (one optimiser throughout)
 *     X_val = teacher(OOD prompt(few-shot + F_t, "clearly different"))    validationBatch prompts
 *     E     = score(student, X_val);  F = selector(X_val, E)               (default: energy, the 50-80% band)
 * </pre>
 *
 * then {@link #finish()}: a fresh student on everything generated, the top of the score's range dropped.
 * Each prompt shows the task's real few-shot examples and at most {@code feedback.perPrompt} feedback
 * samples, drawn from F with the run's seed. The config chooses the student ({@link LoopStudents}),
 * the OOD scorer ({@link ScorerKind}) and the selector ({@link ai.goldkd.ood.SelectorKind}); the
 * requests are built and their answers parsed and deduplicated by {@link LoopRequests}.
 *
 * <p>Metrics per iteration ({@link GoldMetrics}): {@code generated}, {@code accepted}, {@code rejected}
 * and {@code rejected_<reason>}, {@code energy_p10 .. energy_p90} of the validation batch and
 * {@code energy_spread} (its p90 - p10: near 0 while the student scores everything alike),
 * {@code ood_rate} (share of the validation batch above a threshold fixed once: the 90th energy
 * percentile of the validation batch at iteration K, the first scored by a student with two updates
 * behind it; at iteration 0 the student has taken a few steps on one batch and scores everything
 * alike; runs of at most K iterations fix it at iteration 0), {@code feedback}, {@code feedback_shown},
 * {@code distinct2} (of the iteration's samples), {@code spread} (mean cosine distance to their
 * centroid in the student's feature space), {@code seconds}, {@code seconds_teacher},
 * {@code seconds_student}, {@code seconds_evaluation}, the teacher's cost and health
 * ({@code teacher_calls}, {@code teacher_prompt_tokens}, {@code teacher_completion_tokens},
 * {@code teacher_seconds}, {@code teacher_retries}, {@code teacher_failures}), and after each update
 * {@code student_loss} and {@code student_accuracy} on the real test set by the task file's metric
 * (evaluation only: nothing in the loop reads it), with {@code student_accuracy_<family>} per slice on
 * seq2seq tasks.
 *
 * <p>A seq2seq task's student is a causal language model ({@link SequenceLoopStudent}): prompts ask
 * for a whole sample (no label), two samples are the same when all their input fields are, each update
 * starts a fresh AdamW on the continually trained weights, {@code spread} is not reported (no feature
 * space), and the influence selector is for classifiers only.
 *
 * <p>Everything is written to the {@link RunDirectory} as it is made; {@link #resume} continues a run
 * killed at any point.
 */
public final class GoldLoop {

    private final GoldConfig config;
    private final Task task;
    private final RunDirectory dir;
    private final Prompts prompts;
    private final TeacherMeter teacher;
    private final LoopRequests requests;
    private final LoopStudent student;
    private final OodScorer scorer;
    private final FeedbackSelector selector;
    private final List<GeneratedSample> generated = new ArrayList<>();
    private final List<Iteration> iterations = new ArrayList<>();
    private final List<Example> test;
    private List<GeneratedSample> feedback = List.of();
    private float oodThreshold = Float.NaN;
    private int next;

    private GoldLoop(GoldConfig config, Generator teacher, RunDirectory dir, Task task) {
        if (task.kind() != TaskKind.CLASSIFICATION && task.kind() != TaskKind.SEQ2SEQ) {
            throw new IllegalArgumentException("task " + task.name() + " is " + task.kind() + "; the GOLD loop runs"
                    + " classification (imdb-sentiment) and seq2seq (arithmetic-answer) tasks");
        }
        this.config = config;
        this.task = task;
        this.dir = dir;
        this.prompts = prompts(config, task);
        this.teacher = new TeacherMeter(teacher);
        this.requests = new LoopRequests(config, task, prompts, this.teacher);
        this.scorer = config.scorer().create();
        this.selector = config.feedback().create();
        this.test = TaskExamples.testSet(task, config.testSize());
        this.student = LoopStudents.loop(config, task, dir.path().resolve("student"));
    }

    /** The prompts a config's templates give for a task. */
    static Prompts prompts(GoldConfig config, Task task) {
        return new Prompts(
                task,
                config.templates() == null
                        ? PromptTemplates.defaults()
                        : PromptTemplates.load(Path.of(config.templates())));
    }

    /**
     * Starts a run in a new or empty directory.
     *
     * @param config the run's settings
     * @param teacher the teacher that writes the samples
     * @param dir the run directory
     * @return the loop, before its first iteration
     */
    public static GoldLoop start(GoldConfig config, Generator teacher, Path dir) {
        Task task = TaskCatalog.locate().task(config.task());
        RunDirectory run = RunDirectory.create(dir, config);
        GoldLoop loop = new GoldLoop(config, teacher, run, task);
        loop.prompts.templates().write(dir.resolve("templates"));
        return loop;
    }

    /**
     * Continues a run from its directory: completed iterations are read back (never regenerated), the
     * student is brought to the same state by replaying its updates on the same data, and an iteration
     * that was cut off is done again from its start. A directory whose config.json no longer matches
     * the settings it started with is refused ({@link RunDirectory#open}).
     *
     * @param dir the run directory
     * @param teacher the teacher (the same as the run's, for the same result)
     * @return the loop, at the first iteration not completed
     */
    public static GoldLoop resume(Path dir, Generator teacher) {
        RunDirectory run = RunDirectory.open(dir);
        GoldConfig config = run.config();
        Task task = TaskCatalog.locate().task(config.task());
        GoldLoop loop = new GoldLoop(config, teacher, run, task);
        for (Iteration done : run.completedIterations(task)) {
            loop.replay(done);
        }
        run.rewriteMetrics(loop.iterations);
        return loop;
    }

    private void replay(Iteration done) {
        int t = done.index();
        generated.addAll(done.train());
        requests.remember(done.train());
        if (t % config.loop().updateEvery() == 0) {
            update(t);
        }
        generated.addAll(done.validation());
        requests.remember(done.validation());
        if (t == thresholdIteration() && !done.validation().isEmpty()) {
            oodThreshold = IterationMetrics.percentile(done.energies(), 0.9);
        }
        feedback = done.feedback();
        iterations.add(done);
        next = t + 1;
    }

    /** Whether iterations remain. */
    public boolean hasNext() {
        return next < config.loop().iterations();
    }

    /**
     * Runs the next iteration and writes it to the run directory.
     *
     * @return what it produced
     */
    public Iteration next() {
        if (!hasNext()) {
            throw new IllegalStateException(
                    "all " + config.loop().iterations() + " iterations are done; call finish()");
        }
        int t = next;
        long started = System.nanoTime();
        long studentNanos = 0;
        teacher.reset();
        dir.clearIteration(t);
        boolean showFeedback = t % config.feedback().every() == 0 && !feedback.isEmpty();
        List<GeneratedSample> shown = showFeedback ? feedback : List.of();
        IterationMetrics metrics = new IterationMetrics();
        List<Reject> rejects = new ArrayList<>();

        List<GeneratedSample> train =
                requests.generate(t, "train", config.loop().trainBatch(), shown, false, student, rejects);
        dir.writeSamples(t, "train", train);
        generated.addAll(train);
        if (t % config.loop().updateEvery() == 0) {
            long s0 = System.nanoTime();
            double loss = update(t);
            studentNanos += System.nanoTime() - s0;
            long e0 = System.nanoTime();
            LoopStudent.Score score = student.evaluate(test);
            metrics.update(loss, score, (System.nanoTime() - e0) / 1e9);
        }

        List<GeneratedSample> validation =
                requests.generate(t, "validation", config.loop().validationBatch(), shown, true, student, rejects);
        long s1 = System.nanoTime();
        float[] energies = scorer.score(student, examples(validation));
        studentNanos += System.nanoTime() - s1;
        List<GeneratedSample> scored = new ArrayList<>();
        for (int i = 0; i < validation.size(); i++) {
            scored.add(validation.get(i).withEnergy(energies[i]));
        }
        dir.writeSamples(t, "validation", scored);
        generated.addAll(scored);
        dir.writeRejects(t, rejects);

        List<Integer> chosen = selector.select(
                new Candidates(energies, () -> influence(scored)), new Random(LoopRequests.seed(config, t, 3)));
        List<GeneratedSample> nextFeedback = new ArrayList<>();
        chosen.forEach(i -> nextFeedback.add(scored.get(i)));
        dir.writeSamples(t, "feedback", nextFeedback);

        if (t == thresholdIteration() && energies.length > 0) {
            oodThreshold = IterationMetrics.percentile(energies, 0.9);
        }
        metrics.batch(
                config.loop().trainBatch() + config.loop().validationBatch(), train.size() + scored.size(), rejects);
        metrics.energies(energies, oodThreshold);
        metrics.feedback(nextFeedback.size(), showFeedback);
        List<GeneratedSample> batch = new ArrayList<>(train);
        batch.addAll(scored);
        metrics.diversity(
                batch.stream().map(requests::key).toList(), batch.isEmpty() ? null : student.features(examples(batch)));
        metrics.timing(started, studentNanos, teacher);

        Iteration iteration = new Iteration(t, train, scored, nextFeedback, rejects, showFeedback, metrics.values());
        dir.completeIteration(iteration);
        iterations.add(iteration);
        feedback = nextFeedback;
        next = t + 1;
        return iteration;
    }

    private double update(int t) {
        return student.train(examples(generated), config.loop().updateEpochs(), LoopRequests.seed(config, t, 8));
    }

    private double[] influence(List<GeneratedSample> candidates) {
        return student.influence(examples(candidates), examples(generated));
    }

    /**
     * Runs every iteration that is left; the final student is not trained (that is {@link #finish}).
     *
     * @return this loop
     */
    public GoldLoop runIterations() {
        return runIterations(it -> {});
    }

    /**
     * Runs every iteration that is left, telling a listener after each (a live chart, a progress
     * table); the final student is not trained (that is {@link #finish}).
     *
     * @param onIteration told about each iteration as it ends
     * @return this loop
     */
    public GoldLoop runIterations(Consumer<Iteration> onIteration) {
        while (hasNext()) {
            onIteration.accept(next());
        }
        return this;
    }

    /**
     * Runs every iteration that is left, telling a listener after each, then {@link #finish()}.
     *
     * @param onIteration told about each iteration as it ends
     * @return the run's result
     */
    public RunResult finish(Consumer<Iteration> onIteration) {
        return runIterations(onIteration).finish();
    }

    /**
     * The final student: fresh weights, trained on every accepted sample of the run except the top
     * {@code finalStudent.noiseDrop} of the OOD score (scored by the loop's student), then scored on
     * the real test set. Writes {@code final/} (the student, the dropped samples, result.json).
     *
     * @return the run's result
     */
    public RunResult finish() {
        while (hasNext()) {
            next();
        }
        float[] energies = scorer.score(student, examples(generated));
        NoiseFilter.Split split = new NoiseFilter(config.finalStudent().noiseDrop()).apply(energies);
        List<GeneratedSample> kept = new ArrayList<>();
        List<GeneratedSample> dropped = new ArrayList<>();
        split.kept().forEach(i -> kept.add(generated.get(i).withEnergy(energies[i])));
        split.dropped().forEach(i -> dropped.add(generated.get(i).withEnergy(energies[i])));
        dir.writeFinalSamples("dropped", dropped);
        return FinalStudent.train(config, task, examples(kept), dropped.size(), test, dir);
    }

    /** The iteration whose validation energies fix the OOD threshold. */
    private int thresholdIteration() {
        return config.loop().iterations() > config.loop().updateEvery()
                ? config.loop().updateEvery()
                : 0;
    }

    private static List<Example> examples(List<GeneratedSample> samples) {
        return samples.stream().map(GeneratedSample::sample).toList();
    }

    /**
     * A generation prompt as this loop renders it: the task's few-shot examples, then the first
     * {@code feedback.perPrompt} of the given feedback samples (the loop itself draws them at random).
     *
     * @param label the label asked for
     * @param shown feedback samples to show, e.g. an iteration's {@link Iteration#feedback()}
     * @param ood whether to add the OOD-validation instruction
     * @return the prompt text, as sent
     */
    public String prompt(String label, List<GeneratedSample> shown, boolean ood) {
        List<Example> examples = new ArrayList<>(task.examples());
        shown.stream().limit(config.feedback().perPrompt()).forEach(s -> examples.add(s.sample()));
        return prompts.generation(label, examples, ood);
    }

    /** The run's settings. */
    public GoldConfig config() {
        return config;
    }

    /** The iterations so far. */
    public List<Iteration> iterations() {
        return List.copyOf(iterations);
    }

    /** Every accepted sample so far, in the order generated. */
    public List<GeneratedSample> samples() {
        return List.copyOf(generated);
    }

    /** The loop's classifier (continually updated); for a seq2seq task use {@link #loopStudent()}. */
    public Student student() {
        if (student instanceof ClassifierStudent c) {
            return c.student();
        }
        throw new IllegalStateException(
                "task " + task.name() + " is seq2seq: its student is a language model;" + " use loopStudent()");
    }

    /** The loop's student, whatever the task (continually updated). */
    public LoopStudent loopStudent() {
        return student;
    }

    /** The prompts the loop renders. */
    public Prompts prompts() {
        return prompts;
    }

    /** The run directory. */
    public RunDirectory directory() {
        return dir;
    }

    /** The real test set the students are scored on. */
    public List<Example> testSet() {
        return test;
    }
}
