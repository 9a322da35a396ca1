package ai.goldkd.model;

import java.util.Arrays;

/** The top k of a row of logits, for truncated sampling. */
final class TopK {

    private TopK() {}

    /**
     * The indices of the {@code k} largest values, largest first (ties: lower index first). Each value's
     * order-preserving bits and its index are packed into one long, so that ascending longs are
     * descending values; the k smallest keys are kept in a max-heap (one comparison rejects most of a
     * vocabulary), then sorted. A full sort when k is a large part of the values.
     *
     * @param values the values
     * @param k how many
     * @return k indices
     */
    static int[] descending(float[] values, int k) {
        int n = values.length;
        if ((long) k * 16 >= n) {
            long[] keys = new long[n];
            for (int i = 0; i < n; i++) {
                keys[i] = key(values[i], i);
            }
            Arrays.sort(keys);
            return indices(keys, k);
        }
        long[] heap = new long[k]; // max-heap of the k smallest keys
        for (int i = 0; i < k; i++) {
            heap[i] = key(values[i], i);
            siftUp(heap, i);
        }
        for (int i = k; i < n; i++) {
            long key = key(values[i], i);
            if (key < heap[0]) {
                heap[0] = key;
                siftDown(heap, k);
            }
        }
        Arrays.sort(heap);
        return indices(heap, k);
    }

    /**
     * Puts each row's candidates (the engine's top k, whose order among equal values is its own) in
     * {@link #descending}'s order: largest value first, ties by lower token id.
     *
     * @param values (B, k) the candidates' values, reordered in place
     * @param ids (B * k) their token ids, row by row
     * @return (B, k) the token ids in the same order as the values
     */
    static int[][] byValueThenId(float[][] values, long[] ids) {
        int[][] out = new int[values.length][];
        for (int b = 0; b < values.length; b++) {
            int k = values[b].length;
            long[] keys = new long[k];
            for (int i = 0; i < k; i++) {
                keys[i] = key(values[b][i], (int) ids[b * k + i]);
            }
            Arrays.sort(keys);
            out[b] = indices(keys, k);
            for (int i = 0; i < k; i++) {
                values[b][i] = value(keys[i]);
            }
        }
        return out;
    }

    /** The value a {@link #key} was made of. */
    private static float value(long key) {
        int ascending = ~(int) (key >>> 32);
        return Float.intBitsToFloat(ascending ^ ((ascending >> 31) & 0x7fffffff));
    }

    private static long key(float value, int index) {
        int bits = Float.floatToIntBits(value);
        int ascending = bits ^ ((bits >> 31) & 0x7fffffff); // ints now order like the floats
        return ((long) ~ascending << 32) | index; // ~ flips to descending
    }

    private static int[] indices(long[] sortedKeys, int k) {
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = (int) sortedKeys[i];
        }
        return out;
    }

    private static void siftUp(long[] heap, int at) {
        while (at > 0) {
            int parent = (at - 1) / 2;
            if (heap[parent] >= heap[at]) {
                return;
            }
            long t = heap[parent];
            heap[parent] = heap[at];
            heap[at] = t;
            at = parent;
        }
    }

    private static void siftDown(long[] heap, int size) {
        int at = 0;
        while (true) {
            int largest = at;
            int left = 2 * at + 1;
            int right = left + 1;
            if (left < size && heap[left] > heap[largest]) {
                largest = left;
            }
            if (right < size && heap[right] > heap[largest]) {
                largest = right;
            }
            if (largest == at) {
                return;
            }
            long t = heap[largest];
            heap[largest] = heap[at];
            heap[at] = t;
            at = largest;
        }
    }
}
