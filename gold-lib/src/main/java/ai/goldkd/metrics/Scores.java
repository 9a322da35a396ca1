package ai.goldkd.metrics;

import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.ToDoubleBiFunction;

/** Helpers that turn a per-pair score into a mean over lists, with the checks every metric needs. */
final class Scores {

    private Scores() {}

    static void checkPaired(List<?> predictions, List<?> references) {
        if (predictions.size() != references.size()) {
            throw new IllegalArgumentException(predictions.size() + " predictions for " + references.size()
                    + " references; pass one prediction per reference, in the same order");
        }
        if (predictions.isEmpty()) {
            throw new IllegalArgumentException("no predictions to score; pass at least one (an empty string is a"
                    + " valid prediction, an empty list is not)");
        }
        for (int i = 0; i < predictions.size(); i++) {
            if (predictions.get(i) == null || references.get(i) == null) {
                throw new IllegalArgumentException((predictions.get(i) == null ? "prediction " : "reference ") + i
                        + " is null; use \"\" for an empty answer");
            }
        }
    }

    static double mean(List<String> predictions, List<String> references, ToDoubleBiFunction<String, String> score) {
        checkPaired(predictions, references);
        double sum = 0;
        for (int i = 0; i < predictions.size(); i++) {
            sum += score.applyAsDouble(predictions.get(i), references.get(i));
        }
        return sum / predictions.size();
    }

    static double fraction(List<String> predictions, List<String> references, BiPredicate<String, String> correct) {
        return mean(predictions, references, (p, r) -> correct.test(p, r) ? 1 : 0);
    }
}
