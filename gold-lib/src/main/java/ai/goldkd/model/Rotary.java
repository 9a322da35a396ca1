package ai.goldkd.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;

/**
 * Rotary position embeddings (Su et al., 2021), in the GPT-NeoX layout: the head is split into two
 * halves (x1, x2) and rotated by angle {@code pos * base^(-2i/hd)}:
 * {@code (x1 cos - x2 sin, x2 cos + x1 sin)}.
 */
final class Rotary {

    private static final double BASE = 10_000.0;

    private Rotary() {}

    /**
     * Builds the (context, hd/2) cosine and sine tables.
     *
     * @param manager where the tables live
     * @param context the number of positions
     * @param headDim the head width (even)
     * @return cos and sin
     */
    static NDArray[] tables(NDManager manager, int context, int headDim) {
        int half = headDim / 2;
        float[] cos = new float[context * half];
        float[] sin = new float[context * half];
        for (int p = 0; p < context; p++) {
            for (int i = 0; i < half; i++) {
                double angle = p * Math.pow(BASE, -2.0 * i / headDim);
                cos[p * half + i] = (float) Math.cos(angle);
                sin[p * half + i] = (float) Math.sin(angle);
            }
        }
        Shape shape = new Shape(context, half);
        return new NDArray[] {manager.create(cos, shape), manager.create(sin, shape)};
    }

    /**
     * Looks up the tables at the given positions.
     *
     * @param positions (B, T) position ids
     * @param tables cos and sin from {@link #tables}
     * @return cos and sin, each (B, 1, T, hd/2)
     */
    static NDArray[] at(NDArray positions, NDArray[] tables) {
        NDArray cos = Embedding.embedding(positions, tables[0], SparseFormat.DENSE)
                .singletonOrThrow()
                .expandDims(1);
        NDArray sin = Embedding.embedding(positions, tables[1], SparseFormat.DENSE)
                .singletonOrThrow()
                .expandDims(1);
        return new NDArray[] {cos, sin};
    }

    /**
     * Rotates queries or keys.
     *
     * @param x (B, H, T, hd)
     * @param cos (B, 1, T, hd/2)
     * @param sin (B, 1, T, hd/2)
     * @return (B, H, T, hd)
     */
    static NDArray apply(NDArray x, NDArray cos, NDArray sin) {
        NDList halves = x.split(2, 3);
        NDArray x1 = halves.get(0);
        NDArray x2 = halves.get(1);
        return NDArrays.concat(
                new NDList(x1.mul(cos).sub(x2.mul(sin)), x2.mul(cos).add(x1.mul(sin))), 3);
    }
}
