package ai.goldkd.offline;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * The continuation counts of one n-gram order of one corpus: for each context (the previous word, or
 * the previous two), how often it was seen, how many distinct words followed it, and its most frequent
 * continuations with their counts. Contexts and words are packed into longs of 20 bits per id.
 *
 * <p>Two cuts keep the table small and the writing fresh: a continuation seen fewer than
 * {@code minCount} times is not stored (its mass goes to the lower order), and at most
 * {@code maxContinuations} continuations are stored per context. Totals and distinct counts are those
 * before the cuts, so the interpolation weights stay right.
 */
final class NgramTable {

    /** Bits per word id in packed keys. */
    static final int BITS = 20;
    /** One more than the largest word id that packs. */
    static final int MAX_IDS = 1 << BITS;

    private final LongIntMap index;
    private final long[] contexts;
    private final int[] start;
    private final int[] total;
    private final int[] types;
    private final int[] words;
    private final int[] counts;

    private NgramTable(long[] contexts, int[] start, int[] total, int[] types, int[] words, int[] counts) {
        this.contexts = contexts;
        this.start = start;
        this.total = total;
        this.types = types;
        this.words = words;
        this.counts = counts;
        this.index = new LongIntMap(contexts.length);
        for (int i = 0; i < contexts.length; i++) {
            index.put(contexts[i], i);
        }
    }

    /** The packed context of a pair of words. */
    static long pair(int u, int v) {
        return ((long) u << BITS) | v;
    }

    /**
     * Counts n-grams given as packed keys {@code (context << 20) | word}.
     *
     * @param keys the keys, sorted in place; only the first {@code n} are read
     * @param n how many keys there are
     * @param minCount the least count a stored continuation needs
     * @param maxContinuations the most continuations stored per context
     * @return the table
     */
    static NgramTable count(long[] keys, int n, int minCount, int maxContinuations) {
        Arrays.sort(keys, 0, n);
        GrowingInts starts = new GrowingInts();
        GrowingInts totals = new GrowingInts();
        GrowingInts typeCounts = new GrowingInts();
        GrowingInts ws = new GrowingInts();
        GrowingInts cs = new GrowingInts();
        long[] ctx = new long[16];
        int contextsSeen = 0;
        long[] group = new long[16]; // (count << 20 | word) of one context, for sorting by count
        int i = 0;
        while (i < n) {
            long context = keys[i] >>> BITS;
            int groupSize = 0;
            int sum = 0;
            int distinct = 0;
            while (i < n && keys[i] >>> BITS == context) {
                long key = keys[i];
                int c = 0;
                while (i < n && keys[i] == key) {
                    c++;
                    i++;
                }
                sum += c;
                distinct++;
                if (c >= minCount) {
                    if (groupSize == group.length) {
                        group = Arrays.copyOf(group, groupSize * 2);
                    }
                    // Sorted ascending, read from the end: the highest count first, ties by the smaller id.
                    group[groupSize++] = ((long) c << BITS) | (MAX_IDS - 1 - (int) (key & (MAX_IDS - 1)));
                }
            }
            if (contextsSeen == ctx.length) {
                ctx = Arrays.copyOf(ctx, contextsSeen * 2);
            }
            ctx[contextsSeen++] = context;
            starts.add(ws.size());
            totals.add(sum);
            typeCounts.add(distinct);
            Arrays.sort(group, 0, groupSize);
            for (int g = groupSize - 1; g >= Math.max(0, groupSize - maxContinuations); g--) {
                ws.add(MAX_IDS - 1 - (int) (group[g] & (MAX_IDS - 1)));
                cs.add((int) (group[g] >>> BITS));
            }
        }
        starts.add(ws.size());
        return new NgramTable(
                Arrays.copyOf(ctx, contextsSeen),
                starts.toArray(),
                totals.toArray(),
                typeCounts.toArray(),
                ws.toArray(),
                cs.toArray());
    }

    /**
     * Adds a context's discounted continuation masses, times a weight, to a step's candidates.
     *
     * @param step the candidates
     * @param context the packed context
     * @param weight what the mass of this order is worth
     * @param discount the absolute discount D in (0, 1)
     * @return the weight left for the lower orders: {@code weight * D * distinct / total}, or all of it
     *     when the context was never seen
     */
    double add(StepSampler step, long context, double weight, double discount) {
        int slot = index.get(context);
        if (slot < 0) {
            return weight;
        }
        double scale = weight / total[slot];
        for (int j = start[slot]; j < start[slot + 1]; j++) {
            step.add(words[j], scale * (counts[j] - discount));
        }
        return scale * discount * types[slot];
    }

    /** How many contexts there are. */
    int contexts() {
        return contexts.length;
    }

    /** How many continuations are stored. */
    int entries() {
        return words.length;
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(contexts.length);
        out.writeInt(words.length);
        for (int i = 0; i < contexts.length; i++) {
            out.writeLong(contexts[i]);
            out.writeInt(start[i + 1] - start[i]);
            out.writeInt(total[i]);
            out.writeInt(types[i]);
        }
        for (int j = 0; j < words.length; j++) {
            out.writeInt(words[j]);
            out.writeInt(counts[j]);
        }
    }

    static NgramTable read(DataInputStream in) throws IOException {
        int n = in.readInt();
        int entries = in.readInt();
        long[] contexts = new long[n];
        int[] start = new int[n + 1];
        int[] total = new int[n];
        int[] types = new int[n];
        for (int i = 0; i < n; i++) {
            contexts[i] = in.readLong();
            start[i + 1] = start[i] + in.readInt();
            total[i] = in.readInt();
            types[i] = in.readInt();
        }
        if (start[n] != entries) {
            throw new IOException("table lists " + start[n] + " continuations but declares " + entries);
        }
        int[] words = new int[entries];
        int[] counts = new int[entries];
        for (int j = 0; j < entries; j++) {
            words[j] = in.readInt();
            counts[j] = in.readInt();
        }
        return new NgramTable(contexts, start, total, types, words, counts);
    }

    /** A growable int array. */
    static final class GrowingInts {
        private int[] data = new int[1024];
        private int size;

        void add(int v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, size * 2);
            }
            data[size++] = v;
        }

        int size() {
            return size;
        }

        int[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
