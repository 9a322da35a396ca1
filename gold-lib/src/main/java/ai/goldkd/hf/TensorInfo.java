package ai.goldkd.hf;

import ai.djl.ndarray.types.Shape;

/**
 * One tensor's entry in a safetensors header.
 *
 * @param name the tensor's name, e.g. {@code model.layers.0.self_attn.q_proj.weight}
 * @param dtype its element type
 * @param shape its shape
 * @param begin the first byte of its data, counted from the end of the header
 * @param end one past its last byte
 */
public record TensorInfo(String name, DType dtype, Shape shape, long begin, long end) {

    /** Elements in the tensor. */
    public long size() {
        return shape.size();
    }
}
