package ai.goldkd.student;

import java.nio.file.Path;
import java.util.List;

/**
 * A text classifier that the GOLD loop trains on generated samples and asks for logits. Labels are
 * class indexes in the task's label order.
 */
public interface Student extends AutoCloseable {

    /**
     * Trains on labelled texts, continuing from the current weights and optimiser state.
     *
     * @param texts the inputs
     * @param labels their class indexes, one per text
     * @param epochs passes over the data, at least 1
     * @param seed the shuffling seed
     * @return the mean training loss of the last epoch
     */
    double train(List<String> texts, int[] labels, int epochs, long seed);

    /**
     * The class logits.
     *
     * @param texts the inputs
     * @return one row of K logits per text
     */
    float[][] logits(List<String> texts);

    /**
     * The representation the last layer reads (for embedding-space diversity and influence scores).
     *
     * @param texts the inputs
     * @return one feature row per text
     */
    float[][] features(List<String> texts);

    /**
     * The last layer: {@code logits = features · W^T + b}.
     *
     * @return W as K rows of feature length
     */
    float[][] headWeights();

    /** The number of classes. */
    int numClasses();

    /**
     * Writes the weights.
     *
     * @param file the file to write
     */
    void save(Path file);

    @Override
    void close();

    /**
     * Predicts the class of each text.
     *
     * @param texts the inputs
     * @return the argmax class index per text
     */
    default int[] predict(List<String> texts) {
        float[][] logits = logits(texts);
        int[] out = new int[logits.length];
        for (int i = 0; i < logits.length; i++) {
            int best = 0;
            for (int k = 1; k < logits[i].length; k++) {
                if (logits[i][k] > logits[i][best]) {
                    best = k;
                }
            }
            out[i] = best;
        }
        return out;
    }
}
