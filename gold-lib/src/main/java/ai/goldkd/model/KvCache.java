package ai.goldkd.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;

/**
 * Keys and values of every attention layer for the tokens decoded so far, preallocated to the
 * longest sequence, so each decoding step computes attention for its new token only.
 *
 * <p>Rows of a batch share one length: prompts of different lengths are left-padded, and the pad
 * positions are masked out of attention with {@link #valid(int, int)}. Each row keeps its own
 * position counter, so a row's first real token sits at position 0 whatever its padding.
 */
public final class KvCache {

    private final NDArray[] keys;
    private final NDArray[] values;
    private final int batch;
    private final int capacity;
    private final boolean[][] valid;
    private final int[] nextPosition;
    private boolean padded;
    private int length;

    KvCache(NDManager manager, TransformerConfig config, int batch, int capacity) {
        this(manager, new Layout(config.layers(), config.heads(), config.headDim(), config.context()), batch, capacity);
    }

    /**
     * The shape of a model's cache: grouped-query attention caches only its key/value heads.
     *
     * @param layers the attention layers
     * @param kvHeads the key/value heads per layer (fewer than the query heads under GQA)
     * @param headDim the head width
     * @param context the model's context, the most positions a cache may hold
     */
    public record Layout(int layers, int kvHeads, int headDim, int context) {

        /** Checks that every size is positive. */
        public Layout {
            if (layers < 1 || kvHeads < 1 || headDim < 1 || context < 1) {
                throw new IllegalArgumentException("a KV cache needs positive sizes, got layers=" + layers + " kvHeads="
                        + kvHeads + " headDim=" + headDim + " context=" + context);
            }
        }
    }

    /**
     * Creates an empty cache.
     *
     * @param manager where the cache lives; close it to free the cache
     * @param layout the model's layers, key/value heads, head width and context
     * @param batch the batch size
     * @param capacity the most tokens (prompt and new) it will hold
     */
    public KvCache(NDManager manager, Layout layout, int batch, int capacity) {
        if (capacity > layout.context()) {
            throw new IllegalArgumentException("a cache of " + capacity + " tokens exceeds the model's context "
                    + layout.context() + "; shorten the prompt or max new tokens");
        }
        this.batch = batch;
        this.capacity = capacity;
        this.keys = new NDArray[layout.layers()];
        this.values = new NDArray[layout.layers()];
        Shape shape = new Shape(batch, layout.kvHeads(), capacity, layout.headDim());
        for (int layer = 0; layer < layout.layers(); layer++) {
            keys[layer] = manager.zeros(shape, DataType.FLOAT32);
            values[layer] = manager.zeros(shape, DataType.FLOAT32);
        }
        this.valid = new boolean[batch][capacity];
        this.nextPosition = new int[batch];
    }

    /** The number of positions filled, padding included. */
    public int length() {
        return length;
    }

    /** The number of positions the cache holds. */
    public int capacity() {
        return capacity;
    }

    /** The batch size. */
    public int batch() {
        return batch;
    }

    /** Whether any row has padding, so attention needs a mask. */
    public boolean padded() {
        return padded;
    }

    /** Whether position {@code t} of row {@code row} holds a real token. */
    public boolean valid(int row, int t) {
        return valid[row][t];
    }

    /**
     * Reserves the next {@code mask[0].length} positions and returns each new token's position id.
     *
     * @param mask per row and new token, whether it is real (true) or padding
     * @return (B, T) position ids; padding gets the position of the next real token
     */
    public int[][] advance(boolean[][] mask) {
        int steps = mask[0].length;
        if (length + steps > capacity) {
            throw new IllegalStateException("the KV cache holds " + capacity + " positions; " + length
                    + " are used and " + steps + " more were asked for");
        }
        int[][] positions = new int[batch][steps];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                positions[b][t] = nextPosition[b];
                valid[b][length + t] = mask[b][t];
                if (mask[b][t]) {
                    nextPosition[b]++;
                } else {
                    padded = true;
                }
            }
        }
        length += steps;
        return positions;
    }

    /**
     * Writes one layer's new keys and values at the positions just reserved and returns the keys and
     * values of every position so far, as views attached to {@code scope}.
     *
     * @param layer the layer index
     * @param k (B, KV, T, hd) new keys
     * @param v (B, KV, T, hd) new values
     * @param scope the manager the returned views belong to
     * @return keys and values, each (B, KV, length, hd)
     */
    public NDArray[] append(int layer, NDArray k, NDArray v, NDManager scope) {
        int steps = (int) k.getShape().get(2);
        NDIndex write = new NDIndex().addAllDim().addAllDim().addSliceDim(length - steps, length);
        keys[layer].set(write, k);
        values[layer].set(write, v);
        NDIndex read = new NDIndex().addAllDim().addAllDim().addSliceDim(0, length);
        NDArray kAll = keys[layer].get(read);
        NDArray vAll = values[layer].get(read);
        kAll.attach(scope);
        vAll.attach(scope);
        return new NDArray[] {kAll, vAll};
    }

    /** The next position id of each row: the number of real tokens it holds. */
    public int[] nextPositions() {
        return Arrays.copyOf(nextPosition, batch);
    }
}
