package ai.goldkd.train.distill;

import ai.djl.Model;
import ai.goldkd.config.Devices;
import ai.goldkd.data.Split;
import ai.goldkd.data.Task;
import ai.goldkd.data.TaskCatalog;
import ai.goldkd.data.arithmetic.Family;
import ai.goldkd.model.CausalLm;
import ai.goldkd.model.Checkpoint;
import ai.goldkd.model.LanguageModel;
import ai.goldkd.model.hf.HfDecoder;
import ai.goldkd.teacher.CachedTopKTeacher;
import ai.goldkd.teacher.LocalTeacher;
import ai.goldkd.tokenizer.Tokenizer;
import ai.goldkd.train.MetricsLog;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One distillation run on a task, as a value: the task and its splits, the teacher checkpoint, the
 * student, the reward and the regime's {@link DistillationConfig}; {@link #run} trains the student and
 * scores its greedy answers on the test split. What {@code gold distill --config FILE} does, callable
 * from a notebook:
 *
 * <pre>{@code
 * DistillRun run = DistillRun.defaults().withTeacher("~/.cache/gold/teachers/arithmetic-sft2")
 *         .withConfig(DistillationConfig.defaults().withLambda(0.5f));
 * DistillRun.Outcome outcome = run.run(Path.of("runs/gkd"));
 * }</pre>
 *
 * <p>The run directory gets {@code config.json} (this whole record, in the {@code --config} file's format
 * of {@link DistillRunJson}: reading it back gives the same run), the trainer's {@code distillation.json},
 * {@code metrics.csv} and checkpoints (a Hugging Face student as a Hugging Face directory of its family in
 * {@code model/}: {@link DistillationTrainer#modelDir}), then {@code results.json} and {@code predictions.jsonl}. The
 * validation examples are the last {@code validation} of the (limited) train split and are not trained on.
 *
 * @param task the task's name in the catalogue ({@code datasets/})
 * @param teacher the teacher's checkpoint directory ({@code ~} expanded; gold's own or a Hugging Face one as
 *     {@code hf:DIR} or a path), or null for the regimes without one
 * @param teacherCache a teacher-logits cache ({@code gold teacher logits}) that supervised KD trains from
 *     instead of the teacher ({@code ~} expanded), or null; the student's tokenizer must be the cache's
 * @param student the student to train
 * @param validation train examples held out for the validation cross-entropy, >= 0
 * @param trainLimit the first train examples used (validation included), 0 for all
 * @param testLimit the first test examples scored, 0 for all
 * @param evalBatch prompts decoded together when scoring, >= 1
 * @param reward the reward of student samples (with {@link DistillationConfig#rewardWeight()} > 0)
 * @param config the regime's settings
 */
public record DistillRun(
        String task,
        String teacher,
        String teacherCache,
        StudentSpec student,
        int validation,
        int trainLimit,
        int testLimit,
        int evalBatch,
        RewardKind reward,
        DistillationConfig config) {

    /** Checks every field and names the bad value. */
    public DistillRun {
        if (task == null || task.isBlank()) {
            throw new IllegalArgumentException("task is empty; name one of datasets/*.json, e.g. arithmetic-answer");
        }
        if (teacher != null && teacher.isBlank()) {
            teacher = null;
        }
        if (teacherCache != null && teacherCache.isBlank()) {
            teacherCache = null;
        }
        if (teacherCache != null && config != null && config.regime() != Regime.SUPERVISED_KD) {
            throw new IllegalArgumentException("teacherCache is for regime supervised_kd (the cache holds the"
                    + " reference answers' positions), not " + config.regime() + "; remove it or set the regime");
        }
        if (teacherCache != null && teacher != null) {
            throw new IllegalArgumentException("both teacher " + teacher + " and teacherCache " + teacherCache
                    + "; supervised KD reads one of them: drop \"teacher\" to train from the cache");
        }
        if (student == null) {
            throw new IllegalArgumentException("student is null; use StudentSpec.defaults()");
        }
        if (validation < 0 || trainLimit < 0 || testLimit < 0) {
            throw new IllegalArgumentException("validation " + validation + ", trainLimit " + trainLimit
                    + ", testLimit " + testLimit + " must be >= 0 (a limit of 0 takes the whole split)");
        }
        if (evalBatch < 1) {
            throw new IllegalArgumentException("evalBatch must be >= 1, got " + evalBatch);
        }
        if (reward == null) {
            throw new IllegalArgumentException("reward is null; use RewardKind.NONE");
        }
        if (config == null) {
            throw new IllegalArgumentException("config is null; use DistillationConfig.defaults()");
        }
    }

    /**
     * What a run did.
     *
     * @param train the trainer's result
     * @param accuracy greedy answer accuracy on the test examples
     * @param trainExamples examples trained on
     * @param validationExamples examples held out for validation
     * @param trainSeconds wall time of loading the teacher and training
     */
    public record Outcome(
            DistillationTrainer.DistillationResult train,
            AnswerAccuracy accuracy,
            int trainExamples,
            int validationExamples,
            double trainSeconds) {

        /** The accuracy on the tail families (all but add and subtract). */
        public double tailAccuracy() {
            return accuracy.tailAccuracy(headFamilies());
        }
    }

    /** The arithmetic task, no teacher, {@link StudentSpec#defaults()}, 200 validation examples, no limits, no reward. */
    public static DistillRun defaults() {
        return new DistillRun(
                "arithmetic-answer",
                null,
                null,
                StudentSpec.defaults(),
                200,
                0,
                0,
                100,
                RewardKind.NONE,
                DistillationConfig.defaults());
    }

    /** @return a copy with the given teacher-logits cache (null: none) */
    public DistillRun withTeacherCache(String value) {
        return new DistillRun(
                task, teacher, value, student, validation, trainLimit, testLimit, evalBatch, reward, config);
    }

    /** @return a copy with the given task */
    public DistillRun withTask(String value) {
        return new DistillRun(
                value, teacher, teacherCache, student, validation, trainLimit, testLimit, evalBatch, reward, config);
    }

    /** @return a copy with the given teacher checkpoint directory (null: none) */
    public DistillRun withTeacher(String value) {
        return new DistillRun(
                task, value, teacherCache, student, validation, trainLimit, testLimit, evalBatch, reward, config);
    }

    /** @return a copy with the given student */
    public DistillRun withStudent(StudentSpec value) {
        return new DistillRun(
                task, teacher, teacherCache, value, validation, trainLimit, testLimit, evalBatch, reward, config);
    }

    /** @return a copy with the given number of validation examples */
    public DistillRun withValidation(int value) {
        return new DistillRun(
                task, teacher, teacherCache, student, value, trainLimit, testLimit, evalBatch, reward, config);
    }

    /** @return a copy with the given train and test limits (0: the whole split) */
    public DistillRun withLimits(int train, int test) {
        return new DistillRun(task, teacher, teacherCache, student, validation, train, test, evalBatch, reward, config);
    }

    /** @return a copy with the given scoring batch */
    public DistillRun withEvalBatch(int value) {
        return new DistillRun(
                task, teacher, teacherCache, student, validation, trainLimit, testLimit, value, reward, config);
    }

    /** @return a copy with the given reward */
    public DistillRun withReward(RewardKind value) {
        return new DistillRun(
                task, teacher, teacherCache, student, validation, trainLimit, testLimit, evalBatch, value, config);
    }

    /** @return a copy with the given regime settings */
    public DistillRun withConfig(DistillationConfig value) {
        return new DistillRun(
                task, teacher, teacherCache, student, validation, trainLimit, testLimit, evalBatch, reward, value);
    }

    /**
     * Trains the student and scores it; writes the run directory described above.
     *
     * @param out the run directory
     * @return what the run did
     * @throws IllegalArgumentException before anything is written, when the regime needs a teacher and
     *     none is given, or the validation share leaves nothing to train on
     */
    public Outcome run(Path out) {
        if (config.regime().needsTeacher() && teacher == null && teacherCache == null) {
            throw new IllegalArgumentException("regime " + config.regime() + " needs \"teacher\": a checkpoint"
                    + " directory (or, for supervised_kd, \"teacherCache\"); add it or use regime sft");
        }
        TaskCatalog catalog = TaskCatalog.locate();
        Task t = catalog.task(task);
        List<PromptExample> all = limit(PromptExample.of(t, catalog.examples(t, Split.TRAIN)), trainLimit);
        if (validation >= all.size()) {
            throw new IllegalArgumentException(
                    "validation " + validation + " >= " + all.size() + " training examples; hold out fewer");
        }
        List<PromptExample> train = all.subList(0, all.size() - validation);
        List<PromptExample> held = all.subList(all.size() - validation, all.size());
        List<PromptExample> test = limit(PromptExample.of(t, catalog.examples(t, Split.TEST)), testLimit);
        long started = System.nanoTime();
        LocalTeacher loaded =
                config.regime().needsTeacher() && teacher != null ? LocalTeacher.open(teacher, Devices.choose()) : null;
        CachedTopKTeacher cached = null;
        try (Model model = Model.newInstance("student", Devices.choose())) {
            Tokenizer tokenizer = student.build(model, loaded == null ? null : loaded.tokenizer());
            cached = teacherCache == null ? null : CachedTopKTeacher.open(Checkpoint.path(teacherCache), tokenizer);
            writeConfig(out); // after both models loaded: a bad teacher or student leaves nothing behind
            System.out.printf(
                    Locale.ROOT,
                    "%s: %d train, %d validation, %d test examples; student %s%n",
                    config.regime(),
                    train.size(),
                    held.size(),
                    test.size(),
                    describe((LanguageModel) model.getBlock()));
            DistillationTrainer.DistillationResult result = new DistillationTrainer(
                            config, tokenizer, cached != null ? cached : loaded, reward.function())
                    .train(model, train, held, out);
            double trainSeconds = (System.nanoTime() - started) / 1e9;
            AnswerAccuracy acc = AnswerAccuracy.evaluate(
                    (LanguageModel) model.getBlock(), tokenizer, test, config.maxNewTokens(), evalBatch);
            Outcome outcome = new Outcome(result, acc, train.size(), held.size(), trainSeconds);
            writeResults(out, outcome);
            return outcome;
        } finally {
            if (loaded != null) {
                loaded.close();
            }
            if (cached != null) {
                cached.close();
            }
        }
    }

    private static String describe(LanguageModel lm) {
        return lm instanceof CausalLm c
                ? c.config().toString()
                : lm instanceof HfDecoder hf
                        ? hf.config().family().modelType() + " (" + hf.config().layers() + " layers, width "
                                + hf.config().dim() + ", vocab " + hf.config().vocab() + ")"
                        : lm.getClass().getSimpleName();
    }

    private void writeConfig(Path out) {
        write(out, "config.json", gson().toJson(DistillRunJson.write(this)));
    }

    private void writeResults(Path out, Outcome o) {
        AnswerAccuracy acc = o.accuracy();
        JsonObject r = new JsonObject();
        r.addProperty("regime", config.regime().name().toLowerCase(Locale.ROOT));
        r.addProperty(
                "divergence", config.regime().tokenLevel() ? config.divergence().name() : "none");
        r.addProperty("lambda", config.lambda());
        r.addProperty("steps", o.train().train().steps());
        r.addProperty("test_examples", acc.predictions().size());
        r.addProperty("accuracy", acc.accuracy());
        r.addProperty("tail_accuracy", o.tailAccuracy());
        JsonObject slices = new JsonObject();
        acc.slices().forEach(s -> slices.addProperty(s.slice(), s.value()));
        r.add("slices", slices);
        r.addProperty("train_seconds", o.trainSeconds());
        r.addProperty("seqkd_generation_seconds", o.train().generationSeconds());
        r.addProperty("eval_seconds", acc.seconds());
        r.addProperty("on_policy_fraction", o.train().onPolicyFraction());
        r.addProperty("tokens_per_second", o.train().train().tokensPerSecond());
        try (MetricsLog log =
                MetricsLog.open(out.resolve("metrics.csv"), out.getFileName().toString())) {
            int step = o.train().train().steps();
            log.write(0, step, "test_accuracy", acc.accuracy());
            log.write(0, step, "test_accuracy_tail", o.tailAccuracy());
            log.write(0, step, "wall_seconds", o.trainSeconds());
        }
        write(out, "results.json", gson().toJson(r));
        StringBuilder predictions = new StringBuilder();
        for (int i = 0; i < acc.predictions().size(); i++) {
            JsonObject p = new JsonObject();
            p.addProperty("prediction", acc.predictions().get(i));
            p.addProperty("correct", acc.correct().get(i));
            predictions.append(p).append('\n');
        }
        write(out, "predictions.jsonl", predictions.toString());
    }

    private static void write(Path out, String name, String text) {
        try {
            Files.createDirectories(out);
            Files.writeString(out.resolve(name), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + name + " to " + out, e);
        }
    }

    private static Gson gson() {
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    }

    /** The head families' labels (add, subtract), for the tail accuracy. */
    static Set<String> headFamilies() {
        return Arrays.stream(Family.values())
                .filter(Family::head)
                .map(Family::label)
                .collect(Collectors.toSet());
    }

    private static List<PromptExample> limit(List<PromptExample> list, int limit) {
        return limit > 0 && limit < list.size() ? list.subList(0, limit) : list;
    }
}
