package ai.goldkd.offline;

import ai.goldkd.data.Example;
import ai.goldkd.metrics.Diversity;

import java.util.ArrayList;
import java.util.List;

/**
 * Health checks of generated reviews, judged by models fitted on real data and independent of any
 * teacher: a {@link SentimentJudge} trained on real TRAIN reviews, and judge topics of its own (spherical
 * k-means with {@value #JUDGE_TOPICS} topics and seed {@value #JUDGE_SEED}, not the teacher's k or seed),
 * with the real TEST reviews' topic histogram.
 *
 * <ul>
 *   <li>label consistency: the share of samples the judge labels as intended;</li>
 *   <li>distinct-2: {@link Diversity#distinctN} with n = 2;</li>
 *   <li>topic overlap: {@code sum_t min(h_test(t), h_gen(t))} = 1 - total variation between the judge-topic
 *       histograms of the real TEST reviews and of the samples (1: the same spread);</li>
 *   <li>test coverage: the share of TEST reviews whose judge topic receives at least
 *       {@value #HIT_SHARE} of the samples;</li>
 *   <li>steering: the mean tf-idf cosine (judge weights) between samples and the centroid of some examples,
 *       and the share of samples in the examples' judge topic.</li>
 * </ul>
 */
public final class TeacherHealth {

    /** The judge's number of topics. */
    public static final int JUDGE_TOPICS = 20;
    /** The judge's k-means seed. */
    public static final long JUDGE_SEED = 7;
    /** The share of samples a topic needs to count as hit by {@link #testCoverage}. */
    public static final double HIT_SHARE = 0.01;

    private final SentimentJudge judge;
    private final TopicModel topics;
    private final double[] testHistogram;
    private final double judgeAccuracy;

    private TeacherHealth(SentimentJudge judge, TopicModel topics, double[] testHistogram, double judgeAccuracy) {
        this.judge = judge;
        this.topics = topics;
        this.testHistogram = testHistogram;
        this.judgeAccuracy = judgeAccuracy;
    }

    /**
     * Fits the judges.
     *
     * @param train real training reviews ({@code text}, {@code label})
     * @param test real test reviews
     * @param labels the label names
     * @return the health checks
     */
    public static TeacherHealth fit(List<Example> train, List<Example> test, List<String> labels) {
        List<String> trainTexts = train.stream().map(e -> e.get("text")).toList();
        SentimentJudge judge = SentimentJudge.train(
                trainTexts, train.stream().map(e -> e.get("label")).toList(), labels);
        List<List<String>> tokens = trainTexts.stream().map(ReviewText::tokens).toList();
        TopicModel topics = TopicModel.fit(
                tokens, Math.min(JUDGE_TOPICS, train.size()), Math.min(5, train.size()), 0.3, 15, JUDGE_SEED);
        List<String> testTexts = test.stream().map(e -> e.get("text")).toList();
        double accuracy = judge.agreement(
                testTexts, test.stream().map(e -> e.get("label")).toList());
        TeacherHealth h = new TeacherHealth(judge, topics, null, accuracy);
        return new TeacherHealth(judge, topics, h.histogram(testTexts), accuracy);
    }

    /** The judge's accuracy on the real test reviews. */
    public double judgeAccuracy() {
        return judgeAccuracy;
    }

    /** The judge's topics. */
    public TopicModel topics() {
        return topics;
    }

    /**
     * The share of texts the judge labels as intended.
     *
     * @param texts generated texts
     * @param labels their intended labels
     * @return the label consistency
     */
    public double labelConsistency(List<String> texts, List<String> labels) {
        return judge.agreement(texts, labels);
    }

    /**
     * The judge-topic histogram of some texts.
     *
     * @param texts texts
     * @return the share of texts per judge topic
     */
    public double[] histogram(List<String> texts) {
        double[] h = new double[topics.size()];
        for (String t : texts) {
            h[topics.topic(ReviewText.tokens(t))] += 1.0 / texts.size();
        }
        return h;
    }

    /** 1 - total variation between the test reviews' and the texts' judge-topic histograms. */
    public double topicOverlap(List<String> texts) {
        double[] h = histogram(texts);
        double s = 0;
        for (int t = 0; t < h.length; t++) {
            s += Math.min(h[t], testHistogram[t]);
        }
        return s;
    }

    /** The share of test reviews whose judge topic holds at least {@value #HIT_SHARE} of the texts. */
    public double testCoverage(List<String> texts) {
        double[] h = histogram(texts);
        double s = 0;
        for (int t = 0; t < h.length; t++) {
            if (h[t] >= HIT_SHARE) {
                s += testHistogram[t];
            }
        }
        return s;
    }

    /**
     * The mean tf-idf cosine between texts and the normalised centroid of examples.
     *
     * @param texts generated texts
     * @param examples the examples
     * @return the mean cosine, in [0, 1]
     */
    public double cosineToExamples(List<String> texts, List<String> examples) {
        float[] centroid = new float[termCount()];
        for (String e : examples) {
            TopicModel.SparseVector v = topics.vector(ReviewText.tokens(e));
            for (int i = 0; i < v.ids().length; i++) {
                centroid[v.ids()[i]] += v.values()[i];
            }
        }
        double norm = 0;
        for (float x : centroid) {
            norm += x * x;
        }
        if (norm == 0 || texts.isEmpty()) {
            return 0;
        }
        double s = 0;
        for (String t : texts) {
            s += topics.vector(ReviewText.tokens(t)).dot(centroid) / Math.sqrt(norm);
        }
        return s / texts.size();
    }

    /**
     * The share of texts in a judge topic.
     *
     * @param texts texts
     * @param topic a judge topic
     * @return the share
     */
    public double shareInTopic(List<String> texts, int topic) {
        return histogram(texts)[topic];
    }

    /**
     * The judge topic most of some examples fall in (the first such topic on a tie).
     *
     * @param examples texts
     * @return the topic
     */
    public int topicOf(List<String> examples) {
        double[] h = histogram(examples);
        int best = 0;
        for (int t = 1; t < h.length; t++) {
            if (h[t] > h[best]) {
                best = t;
            }
        }
        return best;
    }

    private int termCount() {
        return topics.termCount();
    }

    /** Texts' judge topics, for grouping real reviews. */
    public List<Integer> topicsOf(List<String> texts) {
        List<Integer> out = new ArrayList<>(texts.size());
        for (String t : texts) {
            out.add(topics.topic(ReviewText.tokens(t)));
        }
        return out;
    }
}
