package ai.goldkd.offline;

import ai.goldkd.teacher.TokenLogprob;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * One decoding step's candidate words and their (unnormalised) probabilities, and the draw among them:
 * greedy at temperature 0, else temperature, then top-k, then top-p, as LLM samplers do. Only words
 * that some stored continuation list proposes are candidates, so a step costs a few hundred
 * operations instead of a pass over the vocabulary. Not thread-safe: one per generating thread.
 */
final class StepSampler {

    private final double[] mass;
    private final int[] stamp;
    private final boolean[] marks;
    private int epoch;
    private int[] touched = new int[256];
    private int size;
    private double[] work = new double[256];
    private int[] workIds = new int[256];
    private double lastLogprob;

    /**
     * Creates a sampler.
     *
     * @param vocab the vocabulary, to know its punctuation marks
     */
    StepSampler(Vocabulary vocab) {
        mass = new double[vocab.size()];
        stamp = new int[vocab.size()];
        marks = new boolean[vocab.size()];
        for (int w = 0; w < marks.length; w++) {
            marks[w] = ReviewText.isMark(vocab.word(w));
        }
    }

    /** Forgets the candidates of the previous step. */
    void reset() {
        epoch++;
        size = 0;
    }

    /** Adds probability mass to a word. */
    void add(int word, double value) {
        if (stamp[word] != epoch) {
            stamp[word] = epoch;
            mass[word] = 0;
            if (size == touched.length) {
                touched = Arrays.copyOf(touched, size * 2);
            }
            touched[size++] = word;
        }
        mass[word] += value;
    }

    /** How many candidates there are. */
    int size() {
        return size;
    }

    /** The i-th candidate. */
    int candidate(int i) {
        return touched[i];
    }

    /** Adds a floor, e.g. the unigram term of an interpolated model, to every candidate. */
    void addToCandidates(float[] floor, double weight) {
        for (int i = 0; i < size; i++) {
            mass[touched[i]] += weight * floor[touched[i]];
        }
    }

    /** Multiplies every candidate's mass by a per-word factor, except the words in a set. */
    void scale(float[] factor, BitSet except) {
        for (int i = 0; i < size; i++) {
            int w = touched[i];
            if (!except.get(w)) {
                mass[w] *= factor[w];
            }
        }
    }

    /**
     * Draws a word.
     *
     * @param rng the sample's random source
     * @param temperature 0 for the most likely word, else the softmax temperature
     * @param topK keep the k most likely candidates, 0 for all
     * @param topP keep the smallest most-likely set with this mass, 1 for all
     * @param allowEnd whether the end of review may be drawn
     * @param allowMark whether a punctuation mark may be drawn
     * @return the word id, or -1 when no candidate is allowed
     */
    int draw(SplittableRandom rng, float temperature, int topK, float topP, boolean allowEnd, boolean allowMark) {
        int m = 0;
        double sum = 0;
        double best = 0;
        if (work.length < size) {
            work = new double[size];
            workIds = new int[size];
        }
        for (int i = 0; i < size; i++) {
            int w = touched[i];
            if (!allowed(w, allowEnd, allowMark)) {
                continue;
            }
            double p = mass[w];
            if (p <= 0) {
                continue;
            }
            workIds[m] = w;
            work[m++] = p;
            sum += p;
            best = Math.max(best, p);
        }
        if (m == 0) {
            return -1;
        }
        int chosen;
        if (temperature == 0f) {
            int arg = 0;
            for (int i = 1; i < m; i++) {
                if (work[i] > work[arg]) {
                    arg = i;
                }
            }
            chosen = arg;
        } else {
            double invT = 1.0 / temperature;
            for (int i = 0; i < m; i++) {
                work[i] = invT == 1.0 ? work[i] / best : Math.exp(Math.log(work[i] / best) * invT);
            }
            int kept = m;
            if (topK > 0 && topK < m) {
                kept = keepLargest(m, topK);
            }
            if (topP < 1f) {
                kept = keepNucleus(kept, topP);
            }
            double total = 0;
            for (int i = 0; i < kept; i++) {
                total += work[i];
            }
            double r = rng.nextDouble() * total;
            chosen = kept - 1;
            for (int i = 0; i < kept; i++) {
                r -= work[i];
                if (r < 0) {
                    chosen = i;
                    break;
                }
            }
        }
        int word = workIds[chosen];
        lastLogprob = Math.log(mass[word] / sum);
        return word;
    }

    /** The log-probability at temperature 1, among the allowed candidates, of the last drawn word. */
    double lastLogprob() {
        return lastLogprob;
    }

    /**
     * The most likely allowed candidates at temperature 1.
     *
     * @param k how many
     * @param name a word's text
     * @return up to k alternatives, most likely first
     */
    List<TokenLogprob> top(int k, boolean allowEnd, boolean allowMark, IntFunction<String> name) {
        double sum = 0;
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            int w = touched[i];
            if (!allowed(w, allowEnd, allowMark) || mass[w] <= 0) {
                continue;
            }
            ids.add(w);
            sum += mass[w];
        }
        ids.sort((a, b) -> Double.compare(mass[b], mass[a]));
        List<TokenLogprob> out = new ArrayList<>(k);
        for (int i = 0; i < Math.min(k, ids.size()); i++) {
            out.add(new TokenLogprob(name.apply(ids.get(i)), (float) Math.log(mass[ids.get(i)] / sum)));
        }
        return out;
    }

    private boolean allowed(int w, boolean allowEnd, boolean allowMark) {
        return w != Vocabulary.UNK
                && w != Vocabulary.BOS
                && (w != Vocabulary.EOS || allowEnd)
                && (allowMark || !marks[w]);
    }

    /** Moves the k largest of work[0..m) to the front (any order); returns k. */
    private int keepLargest(int m, int k) {
        int lo = 0;
        int hi = m - 1;
        // Quickselect for descending order: after it, work[0..k) holds the k largest.
        while (lo < hi) {
            double pivot = work[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (work[i] > pivot) {
                    i++;
                }
                while (work[j] < pivot) {
                    j--;
                }
                if (i <= j) {
                    swap(i++, j--);
                }
            }
            if (k - 1 <= j) {
                hi = j;
            } else if (k - 1 >= i) {
                lo = i;
            } else {
                break;
            }
        }
        return k;
    }

    /** Sorts work[0..kept) descending and keeps the shortest prefix whose share reaches topP. */
    private int keepNucleus(int kept, float topP) {
        // Insertion sort is fine for the usual top-k sizes; larger sets fall back to a packed sort.
        if (kept <= 64) {
            for (int i = 1; i < kept; i++) {
                for (int j = i; j > 0 && work[j] > work[j - 1]; j--) {
                    swap(j, j - 1);
                }
            }
        } else {
            long[] packed = new long[kept];
            for (int i = 0; i < kept; i++) {
                packed[i] = ((long) Float.floatToIntBits((float) work[i]) << 32) | i;
            }
            Arrays.sort(packed);
            double[] w = new double[kept];
            int[] ids = new int[kept];
            for (int i = 0; i < kept; i++) {
                int from = (int) packed[kept - 1 - i];
                w[i] = work[from];
                ids[i] = workIds[from];
            }
            System.arraycopy(w, 0, work, 0, kept);
            System.arraycopy(ids, 0, workIds, 0, kept);
        }
        double total = 0;
        for (int i = 0; i < kept; i++) {
            total += work[i];
        }
        double cumulative = 0;
        for (int i = 0; i < kept; i++) {
            cumulative += work[i];
            if (cumulative >= topP * total) {
                return i + 1;
            }
        }
        return kept;
    }

    private void swap(int a, int b) {
        double t = work[a];
        work[a] = work[b];
        work[b] = t;
        int id = workIds[a];
        workIds[a] = workIds[b];
        workIds[b] = id;
    }
}
