package ai.goldkd.gold;

import ai.goldkd.student.HashedNgrams;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Diversity of generated text: distinct-n and spread in a feature space. */
final class Diversity {

    private Diversity() {}

    /**
     * Distinct-n (Li et al., 2016): distinct word n-grams over all n-grams of the texts.
     *
     * @param texts the texts
     * @param n the n-gram length
     * @return in [0, 1]; 0 when there are no n-grams
     */
    static double distinctN(List<String> texts, int n) {
        Set<String> distinct = new HashSet<>();
        long total = 0;
        for (String text : texts) {
            List<String> words = HashedNgrams.words(text);
            for (int i = 0; i + n <= words.size(); i++) {
                distinct.add(String.join(" ", words.subList(i, i + n)));
                total++;
            }
        }
        return total == 0 ? 0 : distinct.size() / (double) total;
    }

    /**
     * Mean cosine distance of feature rows to their centroid.
     *
     * @param features one row per sample
     * @return in [0, 2]; 0 for fewer than two rows
     */
    static double spread(float[][] features) {
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
