package ai.goldkd.gold;

import ai.goldkd.config.Devices;
import ai.goldkd.data.Example;
import ai.goldkd.data.Task;
import ai.goldkd.data.TaskExamples;
import ai.goldkd.metrics.SliceScore;
import ai.goldkd.model.Checkpoint;
import ai.goldkd.student.SequenceStudent;
import ai.goldkd.teacher.LocalTeacher;
import ai.goldkd.train.distill.AnswerAccuracy;
import ai.goldkd.train.distill.PromptExample;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A seq2seq task's {@link LoopStudent}: a {@link SequenceStudent} reads the input fields as its prompt
 * and writes the target field; energy is the sequence energy over the answer's positions; accuracy is
 * its greedy answers by the task file's metric, per family too. Each update writes its metrics and
 * checkpoint under {@code updates/}.
 */
public final class SequenceLoopStudent implements LoopStudent {

    private final SequenceStudent student;
    private final Task task;
    private final Path updates;
    private final LocalTeacher teacher;
    private int update;

    /**
     * Wraps a student.
     *
     * @param student the language model student
     * @param task the seq2seq task
     * @param updates where each update's metrics and checkpoint go
     * @param whiteBoxTeacher a checkpoint directory of a teacher sharing the student's tokenizer, for
     *     token-level KD (forward KL on the answers); null trains on the answers (SFT)
     */
    public SequenceLoopStudent(SequenceStudent student, Task task, Path updates, String whiteBoxTeacher) {
        this.student = student;
        this.task = task;
        this.updates = updates;
        if (whiteBoxTeacher == null || whiteBoxTeacher.isBlank()) {
            this.teacher = null;
        } else {
            Path dir = Checkpoint.path(whiteBoxTeacher);
            if (!Checkpoint.exists(dir)) {
                throw new IllegalArgumentException("white-box teacher " + dir + " holds no checkpoint; build one with"
                        + " gold teacher build arithmetic, or leave whiteBoxTeacher empty to train on the answers");
            }
            this.teacher = LocalTeacher.load(dir, Devices.choose());
        }
    }

    @Override
    public double train(List<Example> samples, int epochs, long seed) {
        Path out = updates.resolve(String.format(Locale.ROOT, "update-%03d", update++));
        return student.train(PromptExample.of(task, samples), epochs, seed, teacher, out);
    }

    @Override
    public String unfit(Example sample) {
        return student.unfit(PromptExample.of(task, List.of(sample)).get(0));
    }

    @Override
    public float[] energies(List<Example> samples, float temperature) {
        return student.energies(PromptExample.of(task, samples), temperature);
    }

    @Override
    public Score evaluate(List<Example> test) {
        if (test.isEmpty()) {
            return new Score(Double.NaN, Map.of());
        }
        AnswerAccuracy acc = student.evaluate(PromptExample.of(task, test));
        Map<String, Double> slices = new LinkedHashMap<>();
        for (SliceScore s : acc.slices()) {
            if (!s.slice().isEmpty()) {
                slices.put(s.slice(), s.value());
            }
        }
        // The task file's metric scores the greedy answers (arithmetic-answer: the final number, as acc's own).
        return new Score(TaskExamples.score(task, test, acc.predictions()), slices);
    }

    @Override
    public float[][] features(List<Example> samples) {
        return null;
    }

    @Override
    public double[] influence(List<Example> candidates, List<Example> generated) {
        throw new IllegalArgumentException("the influence selector (progen) scores a classifier's last layer;"
                + " on the seq2seq task " + task.name() + " use selector band, random, top or none");
    }

    @Override
    public void save(Path dir) {
        student.save(dir.resolve("student"));
    }

    /** The language model student. */
    public SequenceStudent student() {
        return student;
    }

    @Override
    public void close() {
        student.close();
        if (teacher != null) {
            teacher.close();
        }
    }
}
