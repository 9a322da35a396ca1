package ai.goldkd.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** What a student reads of a task's samples and how its predictions are scored: the task file's metric. */
public final class TaskExamples {

    /** The seed of the fixed test subset, the same for every run and seed. */
    private static final long TEST_SUBSET_SEED = 20240319L;

    private TaskExamples() {}

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
        return samples.stream()
                .mapToInt(e -> names.indexOf(e.fields().get(field)))
                .toArray();
    }

    /**
     * Each sample's target field.
     *
     * @param task the task
     * @param samples the samples
     * @return one reference per sample
     */
    public static List<String> targetsOf(Task task, List<Example> samples) {
        String field = task.target().name();
        return samples.stream().map(e -> e.fields().get(field)).toList();
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
        Collections.shuffle(all, new Random(TEST_SUBSET_SEED));
        return List.copyOf(all.subList(0, size));
    }

    /**
     * Scores predictions of the target by the task file's metric.
     *
     * @param task the task
     * @param samples the labelled samples
     * @param predictions one predicted target per sample
     * @return the score, NaN for no samples
     */
    public static double score(Task task, List<Example> samples, List<String> predictions) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        return task.metric().score(predictions, targetsOf(task, samples));
    }

    /**
     * Class indexes as the task's label names.
     *
     * @param task a classification task
     * @param predicted label indexes
     * @return the names
     */
    public static List<String> labelNames(Task task, int[] predicted) {
        List<String> names = task.labelNames();
        List<String> out = new ArrayList<>(predicted.length);
        for (int p : predicted) {
            out.add(p >= 0 && p < names.size() ? names.get(p) : "");
        }
        return out;
    }
}
