package ai.goldkd.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Exact match (raw and SQuAD-normalised) and SQuAD's token F1 of answers against references. */
public final class TextMatch {

    private TextMatch() {}

    /**
     * Whether the strings are identical, character for character.
     *
     * @param prediction the answer
     * @param reference the true answer
     * @return 1 or 0
     */
    public static double exactMatch(String prediction, String reference) {
        return prediction.equals(reference) ? 1 : 0;
    }

    /**
     * Whether the answers are equal after {@link Text#squadNormalize(String)}.
     *
     * @param prediction the answer
     * @param reference the true answer
     * @return 1 or 0
     */
    public static double squadExactMatch(String prediction, String reference) {
        return Text.squadNormalize(prediction).equals(Text.squadNormalize(reference)) ? 1 : 0;
    }

    /**
     * SQuAD's token F1: the harmonic mean of precision and recall of the normalised tokens, counted as
     * multisets. Two empty answers score 1, one empty answer scores 0.
     *
     * @param prediction the answer
     * @param reference the true answer
     * @return F1 in [0, 1]
     */
    public static double tokenF1(String prediction, String reference) {
        List<String> p = Text.whitespaceTokens(Text.squadNormalize(prediction));
        List<String> r = Text.whitespaceTokens(Text.squadNormalize(reference));
        if (p.isEmpty() || r.isEmpty()) {
            return p.isEmpty() && r.isEmpty() ? 1 : 0;
        }
        Map<String, Integer> counts = new HashMap<>();
        for (String token : r) {
            counts.merge(token, 1, Integer::sum);
        }
        int common = 0;
        for (String token : p) {
            Integer left = counts.get(token);
            if (left != null && left > 0) {
                common++;
                counts.put(token, left - 1);
            }
        }
        if (common == 0) {
            return 0;
        }
        double precision = (double) common / p.size();
        double recall = (double) common / r.size();
        return 2 * precision * recall / (precision + recall);
    }

    /**
     * The mean raw exact match.
     *
     * @param predictions answers
     * @param references true answers, as many as predictions
     * @return the fraction identical
     */
    public static double exactMatch(List<String> predictions, List<String> references) {
        return Scores.mean(predictions, references, TextMatch::exactMatch);
    }

    /**
     * The mean SQuAD-normalised exact match.
     *
     * @param predictions answers
     * @param references true answers, as many as predictions
     * @return the fraction equal after normalisation
     */
    public static double squadExactMatch(List<String> predictions, List<String> references) {
        return Scores.mean(predictions, references, TextMatch::squadExactMatch);
    }

    /**
     * The mean token F1.
     *
     * @param predictions answers
     * @param references true answers, as many as predictions
     * @return the mean F1
     */
    public static double tokenF1(List<String> predictions, List<String> references) {
        return Scores.mean(predictions, references, TextMatch::tokenF1);
    }
}
