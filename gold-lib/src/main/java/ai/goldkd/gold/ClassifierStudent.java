package ai.goldkd.gold;

import ai.goldkd.data.Example;
import ai.goldkd.data.Task;
import ai.goldkd.data.TaskExamples;
import ai.goldkd.ood.Energy;
import ai.goldkd.ood.Influence;
import ai.goldkd.student.EncoderStudent;
import ai.goldkd.student.Student;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A classification task's {@link LoopStudent}: a {@link Student} reads the task's first input field and
 * predicts the target's label index; energy is {@code -T logsumexp(f / T)} of its logits; its
 * predictions are scored by the task file's metric.
 *
 * @param student the classifier
 * @param task the task
 */
public record ClassifierStudent(Student student, Task task) implements LoopStudent {

    @Override
    public double train(List<Example> samples, int epochs, long seed) {
        return student.train(TaskExamples.inputsOf(task, samples), TaskExamples.labelsOf(task, samples), epochs, seed);
    }

    @Override
    public float[] energies(List<Example> samples, float temperature) {
        return Energy.classifier(student.logits(TaskExamples.inputsOf(task, samples)), temperature);
    }

    @Override
    public Score evaluate(List<Example> test) {
        return new Score(score(student, task, test), Map.of());
    }

    /**
     * A classifier's score on labelled samples by the task file's metric (IMDB: accuracy).
     *
     * @param s the classifier
     * @param task the task (its first input field is read, its target compared)
     * @param test the samples
     * @return the score, NaN for no samples
     */
    public static double score(Student s, Task task, List<Example> test) {
        if (test.isEmpty()) {
            return Double.NaN;
        }
        int[] predicted = s.predict(TaskExamples.inputsOf(task, test));
        return TaskExamples.score(task, test, TaskExamples.labelNames(task, predicted));
    }

    @Override
    public float[][] features(List<Example> samples) {
        return student.features(TaskExamples.inputsOf(task, samples));
    }

    @Override
    public double[] influence(List<Example> candidates, List<Example> generated) {
        List<String> c = TaskExamples.inputsOf(task, candidates);
        List<String> r = TaskExamples.inputsOf(task, generated);
        return Influence.lastLayer(
                student.logits(c),
                student.features(c),
                TaskExamples.labelsOf(task, candidates),
                student.logits(r),
                student.features(r),
                TaskExamples.labelsOf(task, generated));
    }

    @Override
    public void save(Path dir) {
        // an encoder student is a Hugging Face directory; the bag-of-n-grams one a single file
        student.save(dir.resolve(student instanceof EncoderStudent ? "student" : "student.bin"));
    }

    @Override
    public void close() {
        student.close();
    }
}
