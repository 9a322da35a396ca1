package ai.goldkd.bench;

import ai.goldkd.data.Example;
import ai.goldkd.data.Task;
import ai.goldkd.data.TaskCatalog;
import ai.goldkd.data.TaskExamples;
import ai.goldkd.gold.ClassifierStudent;
import ai.goldkd.onnx.MiniLm;
import ai.goldkd.student.EncoderStudent;
import ai.goldkd.student.EncoderStudentConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Energy scoring throughput of the encoder student ({@code gold run --student minilm}): the frozen
 * all-MiniLM-L6-v2 with a two-class head scoring real IMDB test reviews it has not seen, through the
 * loop's own path ({@link ClassifierStudent#energies}: tokenise, encode, pool, head, {@code -logsumexp}).
 * Every text is scored once, so the frozen student's per-text cache never answers: this is the cost of
 * a validation batch of new samples, which is what each GOLD iteration scores.
 */
public final class EncoderScoringBench {

    private EncoderScoringBench() {}

    /**
     * Times scoring calls of {@code batch} new reviews each, after one untimed warm-up call.
     *
     * @param maxLength tokens per review (the student's default is 128)
     * @param batch reviews per call
     * @param calls timed calls per repetition
     * @param reps repetitions
     * @return samples per second of each repetition, or empty when the model is not installed
     */
    public static Optional<double[]> measure(int maxLength, int batch, int calls, int reps) {
        Path dir = MiniLm.dir();
        if (!MiniLm.installed(dir)) {
            return Optional.empty();
        }
        Task task = TaskCatalog.locate().task("imdb-sentiment");
        List<Example> reviews = TaskExamples.testSet(task, 0);
        int needed = batch * (1 + calls * reps);
        if (reviews.size() < needed) {
            throw new IllegalArgumentException("the bench needs " + needed + " distinct test reviews, the task has "
                    + reviews.size() + "; use fewer calls or repetitions");
        }
        EncoderStudentConfig config = EncoderStudentConfig.defaults().withMaxLength(maxLength);
        double[] out = new double[reps];
        try (EncoderStudent encoder =
                EncoderStudent.open(dir, config, task.labelNames().size(), 1)) {
            ClassifierStudent student = new ClassifierStudent(encoder, task);
            score(student, reviews.subList(0, batch), batch);
            int next = batch;
            for (int r = 0; r < reps; r++) {
                long start = System.nanoTime();
                for (int c = 0; c < calls; c++) {
                    score(student, reviews.subList(next, next + batch), batch);
                    next += batch;
                }
                out[r] = (double) calls * batch / ((System.nanoTime() - start) / 1e9);
            }
        }
        return Optional.of(out);
    }

    private static void score(ClassifierStudent student, List<Example> reviews, int batch) {
        float[] energies = student.energies(reviews, 1f);
        if (energies.length != batch || !Float.isFinite(energies[0])) {
            throw new IllegalStateException("expected " + batch + " finite energies, got " + energies.length);
        }
    }

    /** The median of a measurement, or empty. */
    static OptionalDouble median(Optional<double[]> values) {
        return values.map(v -> OptionalDouble.of(Benchmarks.median(v))).orElse(OptionalDouble.empty());
    }
}
