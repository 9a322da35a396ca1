package ai.goldkd.metrics;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How varied a set of generated texts is. distinct-n (Li et al., 2016) is the number of distinct word
 * n-grams over the total number of word n-grams, pooled over all texts (n-grams never cross texts);
 * words are {@link Text#words}. It falls as a set grows, so compare sets of the same size.
 */
public final class Diversity {

    private Diversity() {}

    /**
     * distinct-n of a set of texts.
     *
     * @param texts the texts
     * @param n the n-gram order, at least 1
     * @return distinct n-grams / all n-grams, in [0, 1]; 0 when the texts hold no n-gram
     */
    public static double distinctN(List<String> texts, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("distinct-n needs n >= 1, got " + n);
        }
        Set<List<String>> distinct = new HashSet<>();
        long total = 0;
        for (String text : texts) {
            List<String> words = Text.words(text);
            for (int i = 0; i + n <= words.size(); i++) {
                distinct.add(List.copyOf(words.subList(i, i + n)));
                total++;
            }
        }
        return total == 0 ? 0 : (double) distinct.size() / total;
    }

    /**
     * The share of the word n-grams of some texts that occur verbatim in reference texts: how much of a
     * generation is copied from, say, the examples of its prompt.
     *
     * @param texts the generated texts
     * @param references the texts they might copy
     * @param n the n-gram order, at least 1
     * @return copied n-grams / all n-grams of {@code texts}, in [0, 1]; 0 when they hold no n-gram
     */
    public static double copyRate(List<String> texts, List<String> references, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("copy rate needs n >= 1, got " + n);
        }
        Set<List<String>> known = new HashSet<>();
        for (String r : references) {
            List<String> words = Text.words(r);
            for (int i = 0; i + n <= words.size(); i++) {
                known.add(List.copyOf(words.subList(i, i + n)));
            }
        }
        long total = 0;
        long copied = 0;
        for (String text : texts) {
            List<String> words = Text.words(text);
            for (int i = 0; i + n <= words.size(); i++) {
                total++;
                if (known.contains(words.subList(i, i + n))) {
                    copied++;
                }
            }
        }
        return total == 0 ? 0 : (double) copied / total;
    }

    /**
     * Mean cosine distance of feature rows to their centroid.
     *
     * @param features one row per sample
     * @return in [0, 2]; 0 for fewer than two rows
     */
    public static double spread(float[][] features) {
        if (features.length < 2) {
            return 0;
        }
        int d = features[0].length;
        double[] centroid = new double[d];
        for (float[] row : features) {
            for (int j = 0; j < d; j++) {
                centroid[j] += row[j] / features.length;
            }
        }
        double sum = 0;
        for (float[] row : features) {
            double dot = 0;
            double a = 0;
            double b = 0;
            for (int j = 0; j < d; j++) {
                dot += row[j] * centroid[j];
                a += row[j] * row[j];
                b += centroid[j] * centroid[j];
            }
            sum += a == 0 || b == 0 ? 0 : 1 - dot / Math.sqrt(a * b);
        }
        return sum / features.length;
    }
}
