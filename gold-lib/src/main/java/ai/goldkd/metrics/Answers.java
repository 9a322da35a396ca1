package ai.goldkd.metrics;

import java.util.List;

/**
 * Accuracy of numeric answers: the value of a predicted equation ({@link Equation}), or the last
 * number of a worked answer, against the reference's.
 */
public final class Answers {

    /** Values closer than this (relative to the reference, at least 1) count as equal. */
    public static final double TOLERANCE = 1e-4;

    private Answers() {}

    /**
     * Whether a predicted equation has the reference equation's value. A prediction that does not
     * parse is wrong; a reference that does not parse is an error in the data.
     *
     * @param prediction the predicted equation, such as {@code (3 + 4) * 2}
     * @param reference the true equation, or just its value
     * @return whether the values agree within {@link #TOLERANCE}
     * @throws EquationException when the reference is not an equation
     */
    public static boolean equationValueCorrect(String prediction, String reference) {
        double expected = Equation.evaluate(reference);
        double actual;
        try {
            actual = Equation.evaluate(prediction);
        } catch (EquationException e) {
            return false;
        }
        return close(actual, expected);
    }

    /**
     * Whether the last number in a worked answer equals the last number in the reference
     * ({@code "5 + 3 = 8. The answer is 8."} against {@code "8"}).
     *
     * @param prediction the generated answer
     * @param reference the true answer, or just its value
     * @return whether both have a last number and they agree within {@link #TOLERANCE}
     * @throws IllegalArgumentException when the reference holds no number
     */
    public static boolean finalNumberCorrect(String prediction, String reference) {
        Double expected = Text.lastNumber(reference);
        if (expected == null) {
            throw new IllegalArgumentException("reference '" + reference + "' holds no number; a numeric answer"
                    + " task needs one in every reference");
        }
        Double actual = Text.lastNumber(prediction);
        return actual != null && close(actual, expected);
    }

    /**
     * The fraction of predicted equations with the right value.
     *
     * @param predictions predicted equations
     * @param references true equations or values, as many as predictions
     * @return accuracy in [0, 1]
     */
    public static double equationValueAccuracy(List<String> predictions, List<String> references) {
        return Scores.fraction(predictions, references, Answers::equationValueCorrect);
    }

    /**
     * The fraction of worked answers whose last number is right.
     *
     * @param predictions generated answers
     * @param references true answers or values, as many as predictions
     * @return accuracy in [0, 1]
     */
    public static double finalNumberAccuracy(List<String> predictions, List<String> references) {
        return Scores.fraction(predictions, references, Answers::finalNumberCorrect);
    }

    private static boolean close(double actual, double expected) {
        return Math.abs(actual - expected) <= TOLERANCE * Math.max(1, Math.abs(expected));
    }
}
