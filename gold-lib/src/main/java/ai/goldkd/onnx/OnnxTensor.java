package ai.goldkd.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor of an ONNX graph (an initializer or a Constant node's value): its name, element type, shape
 * and little-endian data.
 *
 * @param name its name in the graph
 * @param dataType ONNX's element type code ({@link #FLOAT} 1, {@link #INT64} 7, ...)
 * @param dims the shape
 * @param data the raw little-endian values (a view of the file for {@code raw_data})
 */
public record OnnxTensor(String name, int dataType, long[] dims, ByteBuffer data) {

    /** ONNX's code for float32. */
    public static final int FLOAT = 1;
    /** ONNX's code for int32. */
    public static final int INT32 = 6;
    /** ONNX's code for int64. */
    public static final int INT64 = 7;

    /** The number of elements. */
    public long size() {
        return Arrays.stream(dims).reduce(1, (a, b) -> a * b);
    }

    /**
     * The values of a float32 tensor.
     *
     * @return them in row-major order
     */
    public float[] floats() {
        if (dataType != FLOAT) {
            throw new IllegalArgumentException("ONNX tensor " + name + " has element type " + dataType
                    + ", not float32 (1); gold converts float32 exports only (not quantized ones)");
        }
        ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[Math.toIntExact(size())];
        b.asFloatBuffer().get(out);
        return out;
    }

    /**
     * The values of an integer tensor (int64 or int32).
     *
     * @return them in row-major order
     */
    public long[] longs() {
        ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long[] out = new long[Math.toIntExact(size())];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (dataType) {
                case INT64 -> b.getLong(i * 8);
                case INT32 -> b.getInt(i * 4);
                default ->
                    throw new IllegalArgumentException(
                            "ONNX tensor " + name + " has element type " + dataType + ", not an integer type");
            };
        }
        return out;
    }

    /** The shape as text, e.g. {@code [384, 1536]}. */
    public String shape() {
        return Arrays.toString(dims);
    }
}
