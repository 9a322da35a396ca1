package ai.goldkd.offline;

import ai.goldkd.teacher.GenerationRequest;

import java.util.ArrayList;
import java.util.List;

/**
 * The baseline teacher: a class-conditional trigram model (the label's model of {@link TopicNgramModel},
 * no topics) whose prompt examples act through a cache model mixed in at a weight:
 * <pre>
 *   P(w | u v) = (1 - lambda) P_label(w | u v) + lambda P_cache(w | u v)
 * </pre>
 * where {@code P_cache} is an absolute-discount (D 0.5) interpolated trigram over the examples' words,
 * down to their unigram frequencies. A prompt without examples gives the plain class-conditional model
 * (ZeroGen's teacher). The cache copies the examples' word sequences rather than nudging the topic:
 * kept as the baseline that a prototype measured (OFFLINE-TEACHER.md), with its figures in
 * {@code docs/teachers.md}.
 */
public final class CacheTrigramTeacher extends OfflineTeacher {

    /** The default cache weight. */
    public static final double DEFAULT_CACHE_WEIGHT = 0.4;

    private static final double CACHE_DISCOUNT = 0.5;

    private final double cacheWeight;

    /**
     * Creates the teacher.
     *
     * @param model the built model
     * @param cacheWeight lambda, in [0, 1)
     */
    public CacheTrigramTeacher(TopicNgramModel model, double cacheWeight) {
        super(model);
        if (!(cacheWeight >= 0 && cacheWeight < 1)) {
            throw new IllegalArgumentException(
                    "cacheWeight must be in [0, 1), got " + cacheWeight + "; the default is " + DEFAULT_CACHE_WEIGHT);
        }
        this.cacheWeight = cacheWeight;
    }

    /** The cache weight lambda. */
    public double cacheWeight() {
        return cacheWeight;
    }

    @Override
    Plan plan(TeacherPrompt prompt, GenerationRequest request) {
        List<int[]> docs = new ArrayList<>();
        int tokens = 0;
        for (String content : prompt.contents()) {
            List<String> words = ReviewText.tokens(content);
            if (!words.isEmpty()) {
                int[] doc = model.vocabulary().document(words);
                docs.add(doc);
                tokens += doc.length - 2;
            }
        }
        if (docs.isEmpty() || cacheWeight == 0) {
            return (label, rng) -> (step, u, v) -> model.fill(step, label, -1, u, v, 1.0);
        }
        long[] tri = new long[tokens];
        long[] bi = new long[tokens];
        long[] uni = new long[tokens];
        int n = 0;
        for (int[] d : docs) {
            for (int j = 2; j < d.length; j++) {
                tri[n] = (NgramTable.pair(d[j - 2], d[j - 1]) << NgramTable.BITS) | d[j];
                bi[n] = ((long) d[j - 1] << NgramTable.BITS) | d[j];
                uni[n] = d[j];
                n++;
            }
        }
        NgramTable cacheTri = NgramTable.count(tri, n, 1, Integer.MAX_VALUE);
        NgramTable cacheBi = NgramTable.count(bi, n, 1, Integer.MAX_VALUE);
        NgramTable cacheUni = NgramTable.count(uni, n, 1, Integer.MAX_VALUE);
        double lambda = cacheWeight;
        return (label, rng) -> (step, u, v) -> {
            model.fill(step, label, -1, u, v, 1 - lambda);
            double w = cacheTri.add(step, NgramTable.pair(u, v), lambda, CACHE_DISCOUNT);
            w = cacheBi.add(step, v, w, CACHE_DISCOUNT);
            cacheUni.add(step, 0, w, 1e-9); // the unigram level keeps all its mass
        };
    }

    @Override
    public String toString() {
        return "CacheTrigramTeacher[cache weight " + cacheWeight + "]";
    }
}
