package ai.goldkd.gold;

import ai.goldkd.config.ConfigJson;
import ai.goldkd.data.Example;
import ai.goldkd.data.Split;
import ai.goldkd.data.Task;
import ai.goldkd.data.TaskCatalog;
import ai.goldkd.data.TaskExamples;
import ai.goldkd.data.TaskKind;
import ai.goldkd.io.OutputDirectory;
import ai.goldkd.io.RunLock;
import ai.goldkd.prompt.Prompts;
import ai.goldkd.teacher.GenerationRequest;
import ai.goldkd.teacher.GenerationResult;
import ai.goldkd.teacher.Generator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

/**
 * One call runs a whole experiment: the GOLD loop or one of its baselines, as the config says.
 *
 * <pre>{@code
 * RunResult r = Gold.run(GoldConfig.preset("gold", Budget.SMALL), Path.of("runs/gold-1"));
 * }</pre>
 *
 * For step-by-step work use {@link GoldLoop} directly.
 */
public final class Gold {

    private Gold() {}

    /**
     * Runs an experiment with the teacher its config names, in a new run directory, or continues the
     * run there when the directory already holds one with the same settings.
     *
     * @param config the settings
     * @param dir the run directory
     * @return the result
     */
    public static RunResult run(GoldConfig config, Path dir) {
        try (GoldTeachers.Opened teacher =
                GoldTeachers.open(config.teacher(), !config.method().needsTeacher())) {
            return run(config, teacher.generator(), dir, it -> {});
        }
    }

    /**
     * Runs an experiment with a given teacher; resumes when {@code dir} holds a run with the same settings.
     *
     * @param config the settings
     * @param teacher the teacher (unused by {@code real-data})
     * @param dir the run directory
     * @param onIteration called after each iteration (progress tables, charts)
     * @return the result
     */
    public static RunResult run(GoldConfig config, Generator teacher, Path dir, Consumer<Iteration> onIteration) {
        // one writer per run directory: a second process is refused with the holder's pid
        try (RunLock lock = RunLock.acquire(dir)) {
            return runLocked(config, teacher, dir, onIteration);
        }
    }

    private static RunResult runLocked(
            GoldConfig config, Generator teacher, Path dir, Consumer<Iteration> onIteration) {
        if (Files.exists(dir.resolve("config.json"))) {
            OutputDirectory.removeTemporaries(dir); // what a kill or a full disk cut off
            RunDirectory existing = RunDirectory.open(dir);
            List<String> changed =
                    ConfigJson.changedKeys(GoldConfig.CODEC.tree(existing.config()), GoldConfig.CODEC.tree(config));
            if (!changed.isEmpty()) {
                throw new IllegalArgumentException(
                        dir + " holds a run with other settings (" + String.join(", ", changed)
                                + "); resume it with --resume " + dir + " or give another directory");
            }
            RunResult done = existing.result();
            if (done != null) {
                return done;
            }
            if (config.method() == Method.LOOP) {
                return drive(GoldLoop.resume(dir, teacher), onIteration);
            }
            return baseline(config, teacher, existing);
        }
        if (config.method() != Method.LOOP) {
            TaskCatalog.locate().task(config.task()); // an unknown task fails before the directory is made
            return baseline(config, teacher, RunDirectory.create(dir, config));
        }
        return drive(GoldLoop.start(config, teacher, dir), onIteration);
    }

    /**
     * Continues a run from its directory with the teacher its config names.
     *
     * @param dir the run directory
     * @return the result
     */
    public static RunResult resume(Path dir) {
        GoldConfig config = RunDirectory.open(dir).config();
        try (GoldTeachers.Opened teacher =
                GoldTeachers.open(config.teacher(), !config.method().needsTeacher())) {
            return run(config, teacher.generator(), dir, it -> {});
        }
    }

    private static RunResult drive(GoldLoop loop, Consumer<Iteration> onIteration) {
        return loop.finish(onIteration);
    }

    private static RunResult baseline(GoldConfig config, Generator teacher, RunDirectory dir) {
        Task task = TaskCatalog.locate().task(config.task());
        List<Example> test = TaskExamples.testSet(task, config.testSize());
        if (config.method() == Method.TEACHER_FEWSHOT) {
            return teacherFewshot(config, task, teacher, test, dir);
        }
        List<Example> train = new ArrayList<>(TaskCatalog.locate().examples(task, Split.TRAIN));
        Collections.shuffle(train, new Random(config.seed()));
        List<Example> chosen = train.subList(0, Math.min(train.size(), config.sampleBudget()));
        return FinalStudent.train(config, task, chosen, 0, test, dir);
    }

    /** The teacher labels each test sample from the few-shot prompt; an answer naming no label counts as wrong. */
    private static RunResult teacherFewshot(
            GoldConfig config, Task task, Generator teacher, List<Example> test, RunDirectory dir) {
        if (task.kind() != TaskKind.CLASSIFICATION) {
            throw new IllegalArgumentException("teacher-fewshot asks the teacher for a label (templates/answer.txt);"
                    + " task " + task.name() + " is " + task.kind() + ": compare with the real-data preset instead");
        }
        Prompts prompts = GoldLoop.prompts(config, task);
        List<GenerationRequest> requests = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            requests.add(new GenerationRequest(
                    prompts.answer(task.examples(), test.get(i)),
                    1,
                    8,
                    0f,
                    1f,
                    0,
                    List.of("\n"),
                    false,
                    0,
                    config.seed() * 1_000_003L + i));
        }
        List<GenerationResult> answers = teacher.generateAll(requests);
        int correct = 0;
        for (int i = 0; i < test.size(); i++) {
            String said = answers.get(i).ok()
                    ? label(answers.get(i).completions().get(0).text(), task)
                    : null;
            correct += test.get(i).fields().get(task.target().name()).equals(said) ? 1 : 0;
        }
        RunResult result = new RunResult(
                config.name(),
                config.seed(),
                0,
                0,
                test.isEmpty() ? Double.NaN : correct / (double) test.size(),
                Double.NaN,
                null);
        dir.writeResult(result);
        return result;
    }

    private static String label(String answer, Task task) {
        String lower = answer.toLowerCase(Locale.ROOT);
        int best = Integer.MAX_VALUE;
        String found = null;
        for (String name : task.labelNames()) {
            int at = lower.indexOf(name.toLowerCase(Locale.ROOT));
            if (at >= 0 && at < best) {
                best = at;
                found = name;
            }
        }
        return found;
    }
}
