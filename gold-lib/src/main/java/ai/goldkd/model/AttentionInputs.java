package ai.goldkd.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.goldkd.nd.Scalars;

/**
 * The position ids and the additive attention mask a causal decoder needs, shared by our
 * {@link CausalLm} and the Hugging Face families: for teacher forcing (with left padding) and for cached
 * decoding. A row's first real token is at position 0 whatever its padding, as transformers' generate does.
 *
 * @param positions (B, T) or (1, T) position ids, int64
 * @param mask the additive mask ({@link #MASKED} where a key is hidden), or null when none is needed
 */
public record AttentionInputs(NDArray positions, NDArray mask) {

    /** Added to the scores of masked keys; finite, so a row with every key masked stays a number. */
    public static final float MASKED = -1e9f;

    /**
     * The (T, T) causal mask: {@link #MASKED} above the diagonal.
     *
     * @param manager where it lives
     * @param t the length
     * @return the mask, float32
     */
    public static NDArray causal(NDManager manager, long t) {
        float[] values = new float[(int) (t * t)];
        for (int i = 0; i < t; i++) {
            for (int j = i + 1; j < t; j++) {
                values[(int) (i * t + j)] = MASKED;
            }
        }
        return manager.create(values, new Shape(t, t));
    }

    /**
     * Teacher forcing over whole sequences.
     *
     * @param ids (B, T) token ids
     * @param padding (B, T) 1 for real tokens and 0 for padding, or null when nothing is padded
     * @param causal the (T, T) causal mask on the ids' device
     * @return positions and the mask: (T, T) without padding, (B, 1, T, T) with it
     */
    public static AttentionInputs teacherForcing(NDArray ids, NDArray padding, NDArray causal) {
        long t = ids.getShape().get(1);
        if (padding == null) {
            return new AttentionInputs(
                    ids.getManager()
                            .arange(0, (int) t, 1, DataType.INT64, ids.getDevice())
                            .expandDims(0),
                    causal); // (1, T)
        }
        NDArray m = padding.toType(DataType.INT64, false);
        NDArray positions = Scalars.maximum(m.cumSum(1).sub(1), 0).mul(m); // (B, T)
        NDArray keyMask = Scalars.mul(padding.toType(DataType.FLOAT32, false).sub(1f), -MASKED)
                .reshape(padding.getShape().get(0), 1, 1, t); // (B, 1, 1, T)
        return new AttentionInputs(positions, keyMask.add(causal)); // (B, 1, T, T)
    }

    /**
     * One step of cached decoding: advances the cache by the new tokens and gives their positions and,
     * when some row is padded or several tokens come at once, the mask over the cache and them.
     *
     * @param ids (B, T) new token ids
     * @param real per row and new token, whether it is a real token (false for left padding)
     * @param cache the cache, advanced by this call
     * @return positions (B, T) and the (B, 1, T, start + T) mask or null
     */
    public static AttentionInputs decoding(NDArray ids, boolean[][] real, KvCache cache) {
        NDManager manager = ids.getManager();
        int b = (int) ids.getShape().get(0);
        int t = (int) ids.getShape().get(1);
        int start = cache.length();
        int[][] positionIds = cache.advance(real);
        int[] flat = new int[b * t];
        for (int i = 0; i < b; i++) {
            System.arraycopy(positionIds[i], 0, flat, i * t, t);
        }
        NDArray positions = manager.create(flat, new Shape(b, t)).toType(DataType.INT64, false);
        if (!cache.padded() && t == 1) {
            return new AttentionInputs(positions, null);
        }
        int total = start + t;
        float[] additive = new float[b * t * total];
        for (int row = 0; row < b; row++) {
            for (int i = 0; i < t; i++) {
                for (int j = 0; j < total; j++) {
                    boolean visible = j <= start + i && cache.valid(row, j);
                    additive[(row * t + i) * total + j] = visible ? 0f : MASKED;
                }
            }
        }
        return new AttentionInputs(positions, manager.create(additive, new Shape(b, 1, t, total)));
    }
}
