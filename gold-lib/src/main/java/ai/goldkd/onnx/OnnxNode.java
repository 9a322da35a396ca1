package ai.goldkd.onnx;

import java.util.List;
import java.util.Map;

/**
 * A node of an ONNX graph.
 *
 * @param opType the operator, e.g. {@code MatMul}
 * @param name the node's name (may be empty)
 * @param inputs the names of its inputs, in order
 * @param outputs the names of its outputs
 * @param tensors its tensor attributes by name (a Constant's {@code value})
 * @param floats its float attributes by name (a LayerNormalization's {@code epsilon})
 */
public record OnnxNode(
        String opType,
        String name,
        List<String> inputs,
        List<String> outputs,
        Map<String, OnnxTensor> tensors,
        Map<String, Float> floats) {}
