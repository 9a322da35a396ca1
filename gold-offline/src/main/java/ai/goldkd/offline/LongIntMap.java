package ai.goldkd.offline;

import java.util.Arrays;

/** An open-addressing map from non-negative long keys to int values, without boxing. */
final class LongIntMap {

    private static final long EMPTY = -1L;

    private final long[] keys;
    private final int[] values;
    private final int mask;
    private int size;

    /**
     * Creates a map.
     *
     * @param expected how many keys it will hold
     */
    LongIntMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        values = new int[capacity];
        Arrays.fill(keys, EMPTY);
        mask = capacity - 1;
    }

    void put(long key, int value) {
        if (key < 0) {
            throw new IllegalArgumentException("key " + key + " is negative; keys are packed non-negative ids");
        }
        if (size * 2 >= keys.length) {
            throw new IllegalStateException("map of capacity " + keys.length + " is full; size it for more keys");
        }
        int i = slot(key);
        if (keys[i] == EMPTY) {
            keys[i] = key;
            size++;
        }
        values[i] = value;
    }

    /** The value of a key, or -1 when absent. */
    int get(long key) {
        int i = slot(key);
        return keys[i] == EMPTY ? -1 : values[i];
    }

    int size() {
        return size;
    }

    private int slot(long key) {
        int i = (int) (mix(key) & mask);
        while (keys[i] != EMPTY && keys[i] != key) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
