package ai.goldkd.gold;

import ai.goldkd.data.Example;
import ai.goldkd.data.Split;
import ai.goldkd.data.Task;
import ai.goldkd.data.TaskCatalog;
import ai.goldkd.data.TaskKind;
import ai.goldkd.generation.Parsing;
import ai.goldkd.metrics.Diversity;
import ai.goldkd.generation.PromptTemplates;
import ai.goldkd.generation.Prompts;
import ai.goldkd.ood.Candidates;
import ai.goldkd.ood.FeedbackSelector;
import ai.goldkd.student.BagOfNgramsStudent;
import ai.goldkd.student.Student;
import ai.goldkd.student.StudentConfig;
import ai.goldkd.student.SequenceStudent;
import ai.goldkd.student.SequenceStudentConfig;
import ai.goldkd.teacher.Completion;
import ai.goldkd.teacher.GenerationRequest;
import ai.goldkd.teacher.GenerationResult;
import ai.goldkd.teacher.Generator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The GOLD loop (Gholami et al., 2024, arXiv 2403.19754), one iteration at a time, as the paper's released code runs it:
 *
 * <pre>
 * for t in 0 .. T-1:
 *     F_t  = F if t % feedbackEvery == 0 else []
 *     X_tr = teacher(prompt(label ~ uniform, few-shot + F_t))            trainBatch prompts, one sample each
 *     if t % K == 0: the student takes updateEpochs passes over all data so far (one optimiser throughout)
 *     X_val = teacher(OOD prompt(few-shot + F_t, "clearly different"))    validationBatch prompts
 *     E     = energy(student, X_val);  F = selector(X_val, E)              (default: the 50-80% band)
 * </pre>
 *
 * then {@link #finish()}: a fresh student on everything generated, the top of the energy range dropped.
 * Each prompt shows the task's real few-shot examples and at most {@code feedbackPerPrompt} feedback
 * samples, drawn from F with the run's seed.
 *
 * <p>Metrics per iteration: {@code generated}, {@code accepted}, {@code rejected} and
 * {@code rejected_<reason>}, {@code energy_p10 .. energy_p90} of the validation batch, {@code ood_rate}
 * (share of the validation batch above a threshold fixed once: the 90th energy percentile of the
 * validation batch at iteration K, the first scored by a student with two updates behind it; at
 * iteration 0 the student has taken a few steps on one batch and scores everything alike; runs of at
 * most K iterations fix it at iteration 0), {@code feedback}, {@code feedback_shown}, {@code distinct2} (of the iteration's samples),
 * {@code spread} (mean cosine distance to their centroid in the student's feature space),
 * {@code seconds} (the iteration's wall time), {@code seconds_teacher} (in the teacher's calls) and
 * {@code seconds_student} (training and energy scoring), {@code seconds_evaluation} (scoring the real
 * test set, at updates), and after
 * each update {@code student_loss} and {@code student_accuracy} on the real test set (evaluation only:
 * nothing in the loop reads it), with {@code student_accuracy_<family>} per slice on seq2seq tasks.
 *
 * <p>The task's kind picks the student ({@link LoopStudent}): a bag-of-n-grams classifier for
 * classification; for seq2seq (arithmetic) a causal language model ({@link SequenceLoopStudent}) that
 * reads the input fields as its prompt, is scored by sequence energy over the answer's positions, and
 * is judged by the final number of its greedy answers, per family too; prompts ask for a whole sample
 * (no label), and two samples are the same when all their input fields are. One deviation there: each
 * update of the language model starts a fresh AdamW (a short warm-up, a cosine to a tenth) on the
 * continually trained weights, where the classifier keeps one optimiser; {@code spread} is not
 * reported (no feature space), and the influence selector is for classifiers only.
 *
 * <p>Everything is written to the {@link RunDirectory} as it is made; {@link #resume} continues a run
 * killed at any point.
 */
public final class GoldLoop {

    private final GoldConfig config;
    private final Task task;
    private final Generator teacher;
    private final RunDirectory dir;
    private final Prompts prompts;
    private final Parsing parsing;
    private final LoopStudent student;
    private final List<GeneratedSample> generated = new ArrayList<>();
    private final Set<String> texts = new HashSet<>();
    private final List<Iteration> iterations = new ArrayList<>();
    private final List<Example> test;
    private List<GeneratedSample> feedback = List.of();
    private float oodThreshold = Float.NaN;
    private long teacherNanos;
    private long studentNanos;
    private int next;

    private GoldLoop(GoldConfig config, Generator teacher, RunDirectory dir, Task task, List<Example> test) {
        if (task.kind() != TaskKind.CLASSIFICATION && task.kind() != TaskKind.SEQ2SEQ) {
            throw new IllegalArgumentException("task " + task.name() + " is " + task.kind() + "; the GOLD loop runs"
                    + " classification (imdb-sentiment) and seq2seq (arithmetic-answer) tasks");
        }
        this.config = config;
        this.task = task;
        this.teacher = teacher;
        this.dir = dir;
        this.prompts = new Prompts(task, config.templates() == null ? PromptTemplates.defaults()
                : PromptTemplates.load(java.nio.file.Path.of(config.templates())));
        this.parsing = new Parsing(task);
        this.student = newStudent(config, task, StudentConfig.defaults(), config.seed() * 31L + 17,
                dir.path().resolve("student"), null);
        this.test = test;
    }

    /**
     * Starts a run in a new or empty directory.
     *
     * @param config the run's settings
     * @param teacher the teacher that writes the samples
     * @param dir the run directory
     * @return the loop, before its first iteration
     */
    public static GoldLoop start(GoldConfig config, Generator teacher, java.nio.file.Path dir) {
        RunDirectory run = RunDirectory.create(dir, config);
        Task task = TaskCatalog.locate().task(config.task());
        GoldLoop loop = new GoldLoop(config, teacher, run, task, testSet(task, config.testSize()));
        loop.prompts.templates().write(dir.resolve("templates"));
        return loop;
    }

    /**
     * Continues a run from its directory: completed iterations are read back (never regenerated), the
     * student is brought to the same state by replaying its updates on the same data, and an iteration
     * that was cut off is done again from its start.
     *
     * @param dir the run directory
     * @param teacher the teacher (the same as the run's, for the same result)
     * @return the loop, at the first iteration not completed
     */
    public static GoldLoop resume(java.nio.file.Path dir, Generator teacher) {
        RunDirectory run = RunDirectory.open(dir);
        GoldConfig config = run.config();
        Task task = TaskCatalog.locate().task(config.task());
        GoldLoop loop = new GoldLoop(config, teacher, run, task, testSet(task, config.testSize()));
        for (Iteration done : run.completedIterations(task)) {
            loop.replay(done);
        }
        run.rewriteMetrics(loop.iterations);
        return loop;
    }

    private void replay(Iteration done) {
        int t = done.index();
        generated.addAll(done.train());
        done.train().forEach(s -> texts.add(key(s)));
        if (t % config.updateEvery() == 0) {
            update(t);
        }
        generated.addAll(done.validation());
        done.validation().forEach(s -> texts.add(key(s)));
        if (t == thresholdIteration() && !done.validation().isEmpty()) {
            oodThreshold = percentile(done.energies(), 0.9);
        }
        feedback = done.feedback();
        iterations.add(done);
        next = t + 1;
    }

    /** Whether iterations remain. */
    public boolean hasNext() {
        return next < config.iterations();
    }

    /**
     * Runs the next iteration and writes it to the run directory.
     *
     * @return what it produced
     */
    public Iteration next() {
        if (!hasNext()) {
            throw new IllegalStateException("all " + config.iterations() + " iterations are done; call finish()");
        }
        int t = next;
        long started = System.nanoTime();
        teacherNanos = 0;
        studentNanos = 0;
        dir.clearIteration(t);
        boolean showFeedback = t % config.feedbackEvery() == 0 && !feedback.isEmpty();
        List<GeneratedSample> shown = showFeedback ? feedback : List.of();
        Map<String, Double> metrics = new LinkedHashMap<>();
        List<Reject> rejects = new ArrayList<>();

        List<GeneratedSample> train = generate(t, "train", config.trainBatch(), shown, false, rejects);
        dir.writeSamples(t, "train", train);
        generated.addAll(train);
        if (t % config.updateEvery() == 0) {
            long s0 = System.nanoTime();
            double loss = update(t);
            studentNanos += System.nanoTime() - s0;
            metrics.put("student_loss", loss);
            long e0 = System.nanoTime();
            LoopStudent.Score score = student.evaluate(test);
            metrics.put("student_accuracy", score.accuracy());
            score.slices().forEach((slice, value) -> metrics.put("student_accuracy_" + slice, value));
            metrics.put("seconds_evaluation", (System.nanoTime() - e0) / 1e9);
        }

        List<GeneratedSample> validation = generate(t, "validation", config.validationBatch(), shown, true, rejects);
        long s1 = System.nanoTime();
        float[] energies = energies(validation);
        studentNanos += System.nanoTime() - s1;
        List<GeneratedSample> scored = new ArrayList<>();
        for (int i = 0; i < validation.size(); i++) {
            scored.add(validation.get(i).withEnergy(energies[i]));
        }
        dir.writeSamples(t, "validation", scored);
        generated.addAll(scored);
        dir.writeRejects(t, rejects);

        FeedbackSelector selector = FeedbackSelector.parse(config.selector(), config.bandLow(), config.bandHigh());
        List<Integer> chosen = selector.select(new Candidates(energies, () -> influence(scored)),
                new Random(seed(t, 3)));
        List<GeneratedSample> nextFeedback = new ArrayList<>();
        chosen.forEach(i -> nextFeedback.add(scored.get(i)));
        dir.writeSamples(t, "feedback", nextFeedback);

        if (t == thresholdIteration() && energies.length > 0) {
            oodThreshold = percentile(energies, 0.9);
        }
        int asked = config.trainBatch() + config.validationBatch();
        metrics.put("generated", (double) asked);
        metrics.put("accepted", (double) (train.size() + scored.size()));
        metrics.put("rejected", (double) rejects.size());
        Map<String, Integer> reasons = new java.util.TreeMap<>();
        rejects.forEach(r -> reasons.merge(r.reason(), 1, Integer::sum));
        reasons.forEach((reason, n) -> metrics.put("rejected_" + reason, (double) n));
        if (energies.length > 0) {
            for (double q : new double[] {0.1, 0.25, 0.5, 0.75, 0.8, 0.9}) {
                metrics.put(String.format(java.util.Locale.ROOT, "energy_p%02d", Math.round(q * 100)),
                        (double) percentile(energies, q));
            }
            if (!Float.isNaN(oodThreshold)) {
                int above = 0;
                for (float e : energies) {
                    above += e > oodThreshold ? 1 : 0;
                }
                metrics.put("ood_rate", above / (double) energies.length);
            }
        }
        metrics.put("feedback", (double) nextFeedback.size());
        metrics.put("feedback_shown", showFeedback ? 1.0 : 0.0);
        List<GeneratedSample> batch = new ArrayList<>(train);
        batch.addAll(scored);
        metrics.put("distinct2", Diversity.distinctN(batch.stream().map(this::key).toList(), 2));
        float[][] features = batch.isEmpty() ? null : student.features(examples(batch));
        if (features != null) {
            metrics.put("spread", Diversity.spread(features));
        }
        metrics.put("seconds", (System.nanoTime() - started) / 1e9);
        metrics.put("seconds_teacher", teacherNanos / 1e9);
        metrics.put("seconds_student", studentNanos / 1e9);

        Iteration iteration = new Iteration(t, train, scored, nextFeedback, rejects, showFeedback, metrics);
        dir.completeIteration(iteration);
        iterations.add(iteration);
        feedback = nextFeedback;
        next = t + 1;
        return iteration;
    }

    private List<GeneratedSample> generate(int t, String batch, int count, List<GeneratedSample> shown, boolean ood,
            List<Reject> rejects) {
        Random labels = new Random(seed(t, ood ? 2 : 1));
        Random draws = new Random(seed(t, ood ? 5 : 4));
        List<String> names = task.labelNames();
        List<GenerationRequest> requests = new ArrayList<>();
        List<String> requested = new ArrayList<>();
        List<List<String>> shownIds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String label = names.isEmpty() ? null : names.get(labels.nextInt(names.size())); // seq2seq: none
            List<GeneratedSample> pick = draw(shown, draws);
            List<Example> examples = new ArrayList<>(task.examples());
            pick.forEach(s -> examples.add(s.sample()));
            TeacherSpec spec = config.teacher();
            requests.add(new GenerationRequest(prompts.generation(label, examples, ood && config.oodPrompt()), 1,
                    spec.maxTokens(),
                    spec.temperature(), spec.topP(), spec.topK(), prompts.stops(), false, 0,
                    seed(t, ood ? 7 : 6) * 1_000L + i));
            requested.add(label);
            shownIds.add(pick.stream().map(GeneratedSample::id).toList());
        }
        long s0 = System.nanoTime();
        List<GenerationResult> results = teacher.generateAll(requests);
        teacherNanos += System.nanoTime() - s0;
        List<GeneratedSample> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = String.format(java.util.Locale.ROOT, "t%04d-%s-%03d", t, batch, i);
            GenerationResult result = results.get(i);
            if (!result.ok()) {
                rejects.add(new Reject(id, "request-failed", result.error(), ""));
                continue;
            }
            Completion completion = result.completions().get(0);
            Parsing.Outcome outcome = parsing.parse(prompts, requested.get(i), completion.text());
            if (!outcome.accepted()) {
                rejects.add(new Reject(id, outcome.reason(), outcome.detail(), outcome.raw()));
                continue;
            }
            String unfit = student.unfit(outcome.sample());
            if (unfit != null) {
                rejects.add(new Reject(id, "too-long", unfit, completion.text()));
                continue;
            }
            GeneratedSample sample = new GeneratedSample(id, t, batch, outcome.sample(), shownIds.get(i), Float.NaN);
            if (!texts.add(key(sample))) {
                rejects.add(new Reject(id, "duplicate", "the same text was generated before in this run",
                        completion.text()));
                continue;
            }
            out.add(sample);
        }
        return out;
    }

    private List<GeneratedSample> draw(List<GeneratedSample> shown, Random random) {
        if (shown.size() <= config.feedbackPerPrompt()) {
            return shown;
        }
        List<GeneratedSample> copy = new ArrayList<>(shown);
        java.util.Collections.shuffle(copy, random);
        return copy.subList(0, config.feedbackPerPrompt());
    }

    private double update(int t) {
        return student.train(examples(generated), config.updateEpochs(), seed(t, 8));
    }

    private float[] energies(List<GeneratedSample> samples) {
        return samples.isEmpty() ? new float[0] : student.energies(examples(samples));
    }

    private double[] influence(List<GeneratedSample> candidates) {
        return student.influence(examples(candidates), examples(generated));
    }

    /**
     * The final student: fresh weights, trained with symmetric cross-entropy on every accepted sample
     * of the run except the top {@code noiseDrop} of energy (scored by the loop's student), then scored
     * on the real test set. Writes {@code final/} (the student, the dropped samples, result.json).
     *
     * @return the run's result
     */
    public RunResult finish() {
        while (hasNext()) {
            next();
        }
        float[] energies = energies(generated);
        ai.goldkd.ood.NoiseFilter.Split split = new ai.goldkd.ood.NoiseFilter(config.noiseDrop()).apply(energies);
        List<GeneratedSample> kept = new ArrayList<>();
        List<GeneratedSample> dropped = new ArrayList<>();
        split.kept().forEach(i -> kept.add(generated.get(i).withEnergy(energies[i])));
        split.dropped().forEach(i -> dropped.add(generated.get(i).withEnergy(energies[i])));
        dir.writeFinalSamples("dropped", dropped);
        return trainFinal(config, task, examples(kept), dropped.size(), test, dir);
    }

    /**
     * Trains and scores a final student (also the {@code real-data} baseline's only step).
     *
     * @param config the run's settings
     * @param task the task
     * @param samples the training samples
     * @param dropped how many samples the noise filter dropped before (recorded in the result)
     * @param test the real test set
     * @param dir where the student and result go
     * @return the result
     */
    static RunResult trainFinal(GoldConfig config, Task task, List<Example> samples, int dropped, List<Example> test,
            RunDirectory dir) {
        if (samples.isEmpty()) {
            throw new IllegalStateException("no sample to train the final student on: every generation was rejected"
                    + " or dropped; see the rejects.jsonl files in " + dir.path() + " for the reasons");
        }
        try (LoopStudent fresh = newStudent(config, task, StudentConfig.defaults().withLoss(config.sceAlpha(),
                config.sceBeta()), config.seed() * 7919L + 1, dir.finalDir().resolve("updates"),
                config.whiteBoxTeacher())) {
            double loss = fresh.train(samples, config.finalEpochs(), config.seed() * 104_729L + 3);
            LoopStudent.Score score = fresh.evaluate(test);
            RunResult result = new RunResult(config.name(), config.seed(), samples.size(), dropped, score.accuracy(),
                    loss, score.slices());
            fresh.save(dir.finalDir());
            dir.writeResult(result);
            return result;
        }
    }

    /**
     * A student's accuracy on labelled samples.
     *
     * @param s the student
     * @param task the task (its first input field is read, its target compared)
     * @param test the samples
     * @return the share predicted right, NaN for no samples
     */
    public static double accuracyOf(Student s, Task task, List<Example> test) {
        if (test.isEmpty()) {
            return Double.NaN;
        }
        int[] gold = labelsOf(task, test);
        int[] predicted = s.predict(inputsOf(task, test));
        int correct = 0;
        for (int i = 0; i < gold.length; i++) {
            correct += predicted[i] == gold[i] ? 1 : 0;
        }
        return correct / (double) gold.length;
    }

    /**
     * The task's real test set, or a fixed subset of it (the same for every run and seed).
     *
     * @param task the task
     * @param size how many, 0 for all
     * @return the samples
     */
    public static List<Example> testSet(Task task, int size) {
        List<Example> all = new ArrayList<>(TaskCatalog.locate().examples(task, Split.TEST));
        if (size == 0 || size >= all.size()) {
            return all;
        }
        java.util.Collections.shuffle(all, new Random(20240319L));
        return List.copyOf(all.subList(0, size));
    }

    /** The iteration whose validation energies fix the OOD threshold. */
    private int thresholdIteration() {
        return config.iterations() > config.updateEvery() ? config.updateEvery() : 0;
    }

    private long seed(int iteration, int stream) {
        return config.seed() * 1_000_003L + iteration * 101L + stream;
    }

    /**
     * What a classification student reads: the task's first input field of each sample.
     *
     * @param task the task
     * @param samples the samples
     * @return one text per sample
     */
    public static List<String> inputsOf(Task task, List<Example> samples) {
        String field = task.inputs().get(0).name();
        return samples.stream().map(e -> e.fields().get(field)).toList();
    }

    /**
     * The class index of each sample's target field in the task's label order.
     *
     * @param task the task
     * @param samples the samples
     * @return one index per sample (-1 for a label the task does not have)
     */
    public static int[] labelsOf(Task task, List<Example> samples) {
        List<String> names = task.labelNames();
        String field = task.target().name();
        return samples.stream().mapToInt(e -> names.indexOf(e.fields().get(field))).toArray();
    }

    /** What makes two samples the same: their input fields (IMDB: the review; arithmetic: body and question). */
    private String key(GeneratedSample s) {
        StringBuilder out = new StringBuilder();
        for (ai.goldkd.data.TaskField field : task.inputs()) {
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(s.field(field.name()));
        }
        return out.toString();
    }

    private static List<Example> examples(List<GeneratedSample> samples) {
        return samples.stream().map(GeneratedSample::sample).toList();
    }

    /**
     * A fresh student for the task: a bag-of-n-grams classifier of the given settings, or for seq2seq a
     * causal language model from {@code config.studentInit()} (fresh weights when null).
     */
    private static LoopStudent newStudent(GoldConfig config, Task task, StudentConfig classifier, long seed,
            java.nio.file.Path updates, String whiteBoxTeacher) {
        if (task.kind() == TaskKind.SEQ2SEQ) {
            SequenceStudent lm = SequenceStudent.create(SequenceStudentConfig.defaults().withInit(config.studentInit()),
                    seed);
            try {
                return new SequenceLoopStudent(lm, task, config.energyTemperature(), updates, whiteBoxTeacher);
            } catch (RuntimeException e) {
                lm.close();
                throw e;
            }
        }
        return new ClassifierStudent(new BagOfNgramsStudent(classifier, task.labelNames().size(), seed), task,
                config.energyTemperature());
    }

    static float percentile(float[] values, double q) {
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return (float) (sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]));
    }

    /**
     * A generation prompt as this loop renders it: the task's few-shot examples, then the first
     * {@code feedbackPerPrompt} of the given feedback samples (the loop itself draws them at random).
     *
     * @param label the label asked for
     * @param feedback feedback samples to show, e.g. an iteration's {@link Iteration#feedback()}
     * @param ood whether to add the OOD-validation instruction
     * @return the prompt text, as sent
     */
    public String prompt(String label, List<GeneratedSample> feedback, boolean ood) {
        List<Example> examples = new ArrayList<>(task.examples());
        feedback.stream().limit(config.feedbackPerPrompt()).forEach(s -> examples.add(s.sample()));
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
        throw new IllegalStateException("task " + task.name() + " is seq2seq: its student is a language model;"
                + " use loopStudent()");
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
