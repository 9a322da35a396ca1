package ai.goldkd.gold;

import ai.goldkd.data.Example;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The student of a GOLD run, whatever the task's kind: it trains on generated samples, scores them by
 * energy and is judged on the real test set. {@link ClassifierStudent} serves classification tasks
 * (a bag-of-n-grams classifier), {@link SequenceLoopStudent} seq2seq tasks (a causal language model);
 * {@link LoopStudents} builds the one a config names.
 */
public interface LoopStudent extends AutoCloseable {

    /**
     * Trains on samples, continuing from the current weights.
     *
     * @param samples the task's samples (inputs and target)
     * @param epochs passes over them, at least 1
     * @param seed the order's seed
     * @return the training loss at the end
     */
    double train(List<Example> samples, int epochs, long seed);

    /**
     * Energy scores of the student's outputs (higher: less familiar to the student).
     *
     * @param samples the samples
     * @param temperature the energy's temperature T
     * @return one energy per sample
     */
    float[] energies(List<Example> samples, float temperature);

    /**
     * The score on labelled samples by the task file's metric, overall and per slice (an arithmetic
     * family; none for IMDB).
     *
     * @param test the samples
     * @return the score
     */
    Score evaluate(List<Example> test);

    /**
     * The representation the student's last layer reads, for embedding-space diversity.
     *
     * @param samples the samples
     * @return one row per sample, or null when the student has none to offer
     */
    float[][] features(List<Example> samples);

    /**
     * ProGen-style influence of each candidate on the loss over everything generated so far.
     *
     * @param candidates the candidates
     * @param generated the samples so far
     * @return one score per candidate
     */
    double[] influence(List<Example> candidates, List<Example> generated);

    /**
     * Why the student cannot take a sample at all (e.g. longer than its context), or null when it can.
     * The loop rejects such samples with reason {@code too-long} and keeps them in the rejects.
     *
     * @param sample a parsed sample
     * @return the reason, or null
     */
    default String unfit(Example sample) {
        return null;
    }

    /**
     * Writes the student.
     *
     * @param dir the directory it goes into
     */
    void save(Path dir);

    @Override
    void close();

    /**
     * An accuracy, overall and per slice.
     *
     * @param accuracy the share right, NaN without samples
     * @param slices the share right per slice, in slice order; empty when the samples have no slices
     */
    record Score(double accuracy, Map<String, Double> slices) {}
}
