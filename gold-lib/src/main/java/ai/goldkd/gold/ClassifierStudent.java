package ai.goldkd.gold;

import ai.goldkd.data.Example;
import ai.goldkd.data.Task;
import ai.goldkd.ood.Energy;
import ai.goldkd.ood.Influence;
import ai.goldkd.student.Student;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A classification task's {@link LoopStudent}: a {@link Student} reads the task's first input field and
 * predicts the target's label index; energy is {@code -T logsumexp(f / T)} of its logits.
 *
 * @param student the classifier
 * @param task the task
 * @param temperature the energy temperature T
 */
public record ClassifierStudent(Student student, Task task, float temperature) implements LoopStudent {

    @Override
    public double train(List<Example> samples, int epochs, long seed) {
        return student.train(GoldLoop.inputsOf(task, samples), GoldLoop.labelsOf(task, samples), epochs, seed);
    }

    @Override
    public float[] energies(List<Example> samples) {
        return Energy.classifier(student.logits(GoldLoop.inputsOf(task, samples)), temperature);
    }

    @Override
    public Score evaluate(List<Example> test) {
        return new Score(GoldLoop.accuracyOf(student, task, test), Map.of());
    }

    @Override
    public float[][] features(List<Example> samples) {
        return student.features(GoldLoop.inputsOf(task, samples));
    }

    @Override
    public double[] influence(List<Example> candidates, List<Example> generated) {
        List<String> c = GoldLoop.inputsOf(task, candidates);
        List<String> r = GoldLoop.inputsOf(task, generated);
        return Influence.lastLayer(student.logits(c), student.features(c), GoldLoop.labelsOf(task, candidates),
                student.logits(r), student.features(r), GoldLoop.labelsOf(task, generated));
    }

    @Override
    public void save(Path dir) {
        student.save(dir.resolve("student.bin"));
    }

    @Override
    public void close() {
        student.close();
    }
}
