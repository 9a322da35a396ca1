package ai.goldkd.offline;

import ai.goldkd.metrics.Text;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A sentiment classifier trained on real reviews, to judge whether generated reviews carry their label:
 * binarised multinomial naive Bayes on words and word bigrams ({@link Text#words}), features hashed
 * into 2^22 buckets, add-one smoothing. It is independent of the teachers' models.
 */
public final class SentimentJudge {

    private static final int BUCKETS = 1 << 22;

    private final List<String> labels;
    private final float[][] logLikelihood; // (labels, buckets)
    private final double[] logPrior;

    private SentimentJudge(List<String> labels, float[][] logLikelihood, double[] logPrior) {
        this.labels = List.copyOf(labels);
        this.logLikelihood = logLikelihood;
        this.logPrior = logPrior;
    }

    /**
     * Trains the judge.
     *
     * @param texts training texts
     * @param textLabels their labels
     * @param labels the label names
     * @return the judge
     */
    public static SentimentJudge train(List<String> texts, List<String> textLabels, List<String> labels) {
        int nl = labels.size();
        float[][] counts = new float[nl][BUCKETS];
        double[] totals = new double[nl];
        double[] docs = new double[nl];
        for (int i = 0; i < texts.size(); i++) {
            int l = labels.indexOf(textLabels.get(i));
            if (l < 0) {
                throw new IllegalArgumentException(
                        "text " + i + " has label '" + textLabels.get(i) + "', not one of " + labels);
            }
            docs[l]++;
            for (int f : features(texts.get(i))) {
                counts[l][f]++;
                totals[l]++;
            }
        }
        double[] logPrior = new double[nl];
        for (int l = 0; l < nl; l++) {
            logPrior[l] = Math.log(docs[l] / texts.size());
            double denominator = Math.log(totals[l] + BUCKETS);
            for (int f = 0; f < BUCKETS; f++) {
                counts[l][f] = (float) (Math.log(counts[l][f] + 1) - denominator);
            }
        }
        return new SentimentJudge(labels, counts, logPrior);
    }

    private static Set<Integer> features(String text) {
        List<String> words = Text.words(text);
        Set<Integer> out = new HashSet<>();
        for (int i = 0; i < words.size(); i++) {
            int h = words.get(i).hashCode();
            out.add(bucket(h));
            if (i + 1 < words.size()) {
                out.add(bucket(h * 0x9E3779B1 + words.get(i + 1).hashCode() + 0x7F4A7C15));
            }
        }
        return out;
    }

    private static int bucket(int h) {
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        return h & (BUCKETS - 1);
    }

    /**
     * The most likely label of a text.
     *
     * @param text a review
     * @return a label name
     */
    public String predict(String text) {
        Set<Integer> fs = features(text);
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int l = 0; l < labels.size(); l++) {
            double s = logPrior[l];
            for (int f : fs) {
                s += logLikelihood[l][f];
            }
            if (s > bestScore) {
                bestScore = s;
                best = l;
            }
        }
        return labels.get(best);
    }

    /**
     * The share of texts whose predicted label is the given one.
     *
     * @param texts texts
     * @param textLabels the labels they should have
     * @return the agreement, in [0, 1]; NaN for no texts
     */
    public double agreement(List<String> texts, List<String> textLabels) {
        if (texts.size() != textLabels.size()) {
            throw new IllegalArgumentException(texts.size() + " texts but " + textLabels.size() + " labels");
        }
        int agree = 0;
        for (int i = 0; i < texts.size(); i++) {
            agree += predict(texts.get(i)).equals(textLabels.get(i)) ? 1 : 0;
        }
        return texts.isEmpty() ? Double.NaN : (double) agree / texts.size();
    }
}
