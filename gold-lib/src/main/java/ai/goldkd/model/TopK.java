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
