package ai.goldkd.metrics;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Accuracy and macro-F1 of predicted labels against true labels (labels compared as exact strings). */
public final class Classification {

    private Classification() {}

    /**
     * The fraction of predictions equal to their reference.
     *
     * @param predictions predicted labels
     * @param references true labels, as many as predictions
     * @return accuracy in [0, 1]
     */
    public static double accuracy(List<String> predictions, List<String> references) {
        return Scores.fraction(predictions, references, String::equals);
    }

    /**
     * The unweighted mean over labels of each label's F1, over the labels that occur in the references
     * or the predictions (as scikit-learn's {@code f1_score(average="macro")}); a label with no true
     * positive scores 0.
     *
     * @param predictions predicted labels
     * @param references true labels, as many as predictions
     * @return macro-F1 in [0, 1]
     */
    public static double macroF1(List<String> predictions, List<String> references) {
        return perLabelF1(predictions, references).values().stream()
                .mapToDouble(Double::doubleValue)
                .average()
                .orElseThrow();
    }

    /**
     * Each label's F1 = 2 tp / (2 tp + fp + fn).
     *
     * @param predictions predicted labels
     * @param references true labels, as many as predictions
     * @return label to F1, sorted by label
     */
    public static Map<String, Double> perLabelF1(List<String> predictions, List<String> references) {
        Scores.checkPaired(predictions, references);
        TreeSet<String> labels = new TreeSet<>(references);
        labels.addAll(predictions);
        Map<String, Double> f1 = new TreeMap<>();
        for (String label : labels) {
            int tp = 0;
            int fp = 0;
            int fn = 0;
            for (int i = 0; i < predictions.size(); i++) {
                boolean predicted = predictions.get(i).equals(label);
                boolean actual = references.get(i).equals(label);
                if (predicted && actual) {
                    tp++;
                } else if (predicted) {
                    fp++;
                } else if (actual) {
                    fn++;
                }
            }
            f1.put(label, tp == 0 ? 0.0 : 2.0 * tp / (2.0 * tp + fp + fn));
        }
        return f1;
    }
}
