package ai.goldkd.metrics;

import java.util.List;

/**
 * ROUGE-L: the F1 of the longest common subsequence of words ({@link Text#words(String)}), as
 * {@code rouge_score}'s {@code rougeL} without stemming.
 */
public final class RougeL {

    private RougeL() {}

    /**
     * ROUGE-L F1 of one prediction: LCS/|prediction| is the precision, LCS/|reference| the recall.
     *
     * @param prediction the generated text
     * @param reference the reference text
     * @return F1 in [0, 1]; 0 when either side has no words
     */
    public static double score(String prediction, String reference) {
        List<String> p = Text.words(prediction);
        List<String> r = Text.words(reference);
        if (p.isEmpty() || r.isEmpty()) {
            return 0;
        }
        int lcs = lcs(p, r);
        if (lcs == 0) {
            return 0;
        }
        double precision = (double) lcs / p.size();
        double recall = (double) lcs / r.size();
        return 2 * precision * recall / (precision + recall);
    }

    /**
     * The mean ROUGE-L F1.
     *
     * @param predictions generated texts
     * @param references reference texts, as many as predictions
     * @return the mean
     */
    public static double mean(List<String> predictions, List<String> references) {
        return Scores.mean(predictions, references, RougeL::score);
    }

    /** The length of the longest common subsequence, in O(|a| |b|) time and O(|b|) memory. */
    static int lcs(List<String> a, List<String> b) {
        int[] previous = new int[b.size() + 1];
        int[] current = new int[b.size() + 1];
        for (String x : a) {
            for (int j = 1; j <= b.size(); j++) {
                current[j] = x.equals(b.get(j - 1)) ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.size()];
    }
}
