package ai.goldkd.offline;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Latent topics of a corpus: spherical k-means on tf-idf vectors. A text's vector has, per known word,
 * {@code (1 + log tf) * idf}, scaled to length 1; a topic is the normalised mean of its texts' vectors.
 *
 * <p>Words are those of {@link ReviewText#tokens} without marks, of 3 or more characters, found in
 * at least {@code minDf} texts and in at most {@code maxDfShare} of them (so "the", "movie" or "film"
 * name no topic); a text's topic posterior is {@code softmax(kappa * cosine(text, topic))}, a von
 * Mises-Fisher mixture with equal weights and concentration kappa.
 */
public final class TopicModel {

    private final List<String> terms;
    private final Map<String, Integer> termIds;
    private final float[] idf;
    private final float[][] centroids; // (K, terms)
    private final double[] frequency; // share of the fitted texts in each topic

    private TopicModel(List<String> terms, float[] idf, float[][] centroids, double[] frequency) {
        this.terms = List.copyOf(terms);
        this.idf = idf;
        this.centroids = centroids;
        this.frequency = frequency;
        this.termIds = new HashMap<>(terms.size() * 2);
        for (int i = 0; i < terms.size(); i++) {
            termIds.put(terms.get(i), i);
        }
    }

    /**
     * Fits topics.
     *
     * @param texts the corpus, tokenised by {@link ReviewText#tokens}
     * @param k how many topics, at least 2
     * @param minDf the fewest texts a word must occur in
     * @param maxDfShare the largest share of texts a word may occur in
     * @param iterations k-means iterations after k-means++ seeding
     * @param seed the seed of the seeding
     * @return the model
     */
    public static TopicModel fit(
            List<List<String>> texts, int k, int minDf, double maxDfShare, int iterations, long seed) {
        if (k < 2 || k > texts.size()) {
            throw new IllegalArgumentException(
                    "topics k = " + k + " must be in [2, " + texts.size() + " texts]; pick e.g. 30");
        }
        Map<String, int[]> df = new HashMap<>();
        for (List<String> doc : texts) {
            for (String w : new HashSet<>(doc)) {
                if (w.length() >= 3 && !ReviewText.isMark(w)) {
                    df.computeIfAbsent(w, x -> new int[1])[0]++;
                }
            }
        }
        int maxDf = (int) Math.floor(maxDfShare * texts.size());
        List<String> terms = new ArrayList<>();
        df.forEach((w, c) -> {
            if (c[0] >= minDf && c[0] <= maxDf) {
                terms.add(w);
            }
        });
        terms.sort(null);
        float[] idf = new float[terms.size()];
        for (int i = 0; i < idf.length; i++) {
            idf[i] = (float) Math.log((double) texts.size() / df.get(terms.get(i))[0]);
        }
        TopicModel empty = new TopicModel(terms, idf, new float[0][], new double[0]);
        List<SparseVector> vectors = new ArrayList<>(texts.size());
        for (List<String> doc : texts) {
            vectors.add(empty.vector(doc));
        }
        float[][] centroids = seedCentroids(vectors, k, terms.size(), new SplittableRandom(seed));
        int[] assignment = new int[vectors.size()];
        for (int it = 0; it < iterations; it++) {
            boolean changed = false;
            for (int d = 0; d < vectors.size(); d++) {
                int best = nearest(vectors.get(d), centroids);
                changed |= best != assignment[d] || it == 0;
                assignment[d] = best;
            }
            centroids = means(vectors, assignment, k, terms.size(), centroids);
            if (!changed) {
                break;
            }
        }
        double[] frequency = new double[k];
        for (int d = 0; d < vectors.size(); d++) {
            frequency[nearest(vectors.get(d), centroids)] += 1.0 / vectors.size();
        }
        return new TopicModel(terms, idf, centroids, frequency);
    }

    private static float[][] seedCentroids(List<SparseVector> vectors, int k, int dim, SplittableRandom rng) {
        // k-means++ on cosine distance (1 - cos), over the non-empty vectors.
        List<SparseVector> pool = vectors.stream().filter(v -> v.ids.length > 0).toList();
        float[][] centroids = new float[k][];
        centroids[0] = pool.get(rng.nextInt(pool.size())).dense(dim);
        double[] distance = new double[pool.size()];
        Arrays.fill(distance, Double.MAX_VALUE);
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (int d = 0; d < pool.size(); d++) {
                distance[d] = Math.min(distance[d], Math.max(0, 1 - pool.get(d).dot(centroids[c - 1])));
                total += distance[d] * distance[d];
            }
            double r = rng.nextDouble() * total;
            int pick = pool.size() - 1;
            for (int d = 0; d < pool.size(); d++) {
                r -= distance[d] * distance[d];
                if (r < 0) {
                    pick = d;
                    break;
                }
            }
            centroids[c] = pool.get(pick).dense(dim);
        }
        return centroids;
    }

    private static float[][] means(List<SparseVector> vectors, int[] assignment, int k, int dim, float[][] previous) {
        float[][] sums = new float[k][dim];
        int[] sizes = new int[k];
        for (int d = 0; d < vectors.size(); d++) {
            SparseVector v = vectors.get(d);
            float[] s = sums[assignment[d]];
            sizes[assignment[d]]++;
            for (int i = 0; i < v.ids.length; i++) {
                s[v.ids[i]] += v.values[i];
            }
        }
        for (int c = 0; c < k; c++) {
            if (sizes[c] == 0 || !normalise(sums[c])) {
                sums[c] = previous[c]; // an emptied topic keeps its centre
            }
        }
        return sums;
    }

    private static boolean normalise(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        if (norm == 0) {
            return false;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < v.length; i++) {
            v[i] *= scale;
        }
        return true;
    }

    private static int nearest(SparseVector v, float[][] centroids) {
        int best = 0;
        double bestCos = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < centroids.length; c++) {
            double cos = v.dot(centroids[c]);
            if (cos > bestCos) {
                bestCos = cos;
                best = c;
            }
        }
        return best;
    }

    /** How many topics there are. */
    public int size() {
        return centroids.length;
    }

    /** How many words the tf-idf vectors have. */
    public int termCount() {
        return terms.size();
    }

    /** Each topic's share of the texts it was fitted on (by nearest topic), summing to 1. */
    public double[] frequency() {
        return frequency.clone();
    }

    /**
     * A text's tf-idf vector, of length 1 (or empty when it has no known word).
     *
     * @param tokens the text's tokens
     * @return the vector
     */
    public SparseVector vector(List<String> tokens) {
        Map<Integer, Integer> tf = new HashMap<>();
        for (String w : tokens) {
            Integer id = termIds.get(w);
            if (id != null) {
                tf.merge(id, 1, Integer::sum);
            }
        }
        int[] ids = tf.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
        float[] values = new float[ids.length];
        double norm = 0;
        for (int i = 0; i < ids.length; i++) {
            values[i] = (float) ((1 + Math.log(tf.get(ids[i]))) * idf[ids[i]]);
            norm += values[i] * values[i];
        }
        for (int i = 0; i < ids.length; i++) {
            values[i] /= (float) Math.sqrt(norm);
        }
        return new SparseVector(ids, values);
    }

    /**
     * The nearest topic of a text.
     *
     * @param tokens the text's tokens
     * @return the topic with the largest cosine (topic 0 for a text without known words)
     */
    public int topic(List<String> tokens) {
        return nearest(vector(tokens), centroids);
    }

    /**
     * A text's posterior over topics: {@code softmax(kappa * cos(text, topic))}; uniform for a text
     * without known words.
     *
     * @param tokens the text's tokens
     * @param kappa the concentration, larger for sharper posteriors
     * @return probabilities, one per topic
     */
    public double[] posterior(List<String> tokens, double kappa) {
        SparseVector v = vector(tokens);
        double[] p = new double[size()];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < p.length; c++) {
            p[c] = kappa * v.dot(centroids[c]);
            max = Math.max(max, p[c]);
        }
        double sum = 0;
        for (int c = 0; c < p.length; c++) {
            p[c] = Math.exp(p[c] - max);
            sum += p[c];
        }
        for (int c = 0; c < p.length; c++) {
            p[c] /= sum;
        }
        return p;
    }

    /**
     * A topic's most characteristic words, for reading what it is about.
     *
     * @param topic the topic
     * @param n how many words
     * @return the words with the largest centroid weights
     */
    public List<String> topWords(int topic, int n) {
        float[] c = centroids[topic];
        Integer[] order = new Integer[c.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(c[b], c[a]));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.min(n, order.length); i++) {
            out.add(terms.get(order[i]));
        }
        return out;
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(terms.size());
        out.writeInt(centroids.length);
        for (int i = 0; i < terms.size(); i++) {
            out.writeUTF(terms.get(i));
            out.writeFloat(idf[i]);
        }
        for (int c = 0; c < centroids.length; c++) {
            out.writeDouble(frequency[c]);
            for (float x : centroids[c]) {
                out.writeFloat(x);
            }
        }
    }

    static TopicModel read(DataInputStream in) throws IOException {
        int n = in.readInt();
        int k = in.readInt();
        List<String> terms = new ArrayList<>(n);
        float[] idf = new float[n];
        for (int i = 0; i < n; i++) {
            terms.add(in.readUTF());
            idf[i] = in.readFloat();
        }
        float[][] centroids = new float[k][n];
        double[] frequency = new double[k];
        for (int c = 0; c < k; c++) {
            frequency[c] = in.readDouble();
            for (int i = 0; i < n; i++) {
                centroids[c][i] = in.readFloat();
            }
        }
        return new TopicModel(terms, idf, centroids, frequency);
    }

    /**
     * A sparse vector: sorted ids and their values.
     *
     * @param ids term ids, ascending
     * @param values their values
     */
    public record SparseVector(int[] ids, float[] values) {

        /** The dot product with a dense vector. */
        public double dot(float[] dense) {
            double s = 0;
            for (int i = 0; i < ids.length; i++) {
                s += values[i] * dense[ids[i]];
            }
            return s;
        }

        /** The dot product with another sparse vector. */
        public double dot(SparseVector other) {
            double s = 0;
            int i = 0;
            int j = 0;
            while (i < ids.length && j < other.ids.length) {
                if (ids[i] == other.ids[j]) {
                    s += values[i++] * other.values[j++];
                } else if (ids[i] < other.ids[j]) {
                    i++;
                } else {
                    j++;
                }
            }
            return s;
        }

        float[] dense(int dim) {
            float[] out = new float[dim];
            for (int i = 0; i < ids.length; i++) {
                out[ids[i]] = values[i];
            }
            return out;
        }
    }
}
