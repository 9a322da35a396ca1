package ai.goldkd.model.hf;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;

import java.util.Locale;

/** The type of a loaded model's weights and compute: {@code --dtype fp32|fp16|bf16}. */
public enum Precision {
    /** float32: every device. */
    FP32,
    /** float16: GPUs only. */
    FP16,
    /** bfloat16: refused, since DJL 0.35.1's PyTorch engine aborts the JVM on a bfloat16 tensor. */
    BF16;

    /**
     * Parses a {@code --dtype} value.
     *
     * @param name fp32, fp16 or bf16 (or float32, float16, bfloat16)
     * @return the precision
     */
    public static Precision parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "fp32", "float32", "f32" -> FP32;
            case "fp16", "float16", "f16" -> FP16;
            case "bf16", "bfloat16" -> BF16;
            default ->
                throw new IllegalArgumentException("--dtype " + name + " is not a precision; pass fp32, fp16 or bf16");
        };
    }

    /**
     * The DJL type for a device, or a one-line refusal.
     *
     * @param device where the model will run
     * @return FLOAT32 or FLOAT16
     */
    public DataType on(Device device) {
        return switch (this) {
            case FP32 -> DataType.FLOAT32;
            case FP16 -> {
                if (!device.isGpu()) {
                    throw new IllegalArgumentException("--dtype fp16 needs a GPU; on " + device + " pass --dtype fp32");
                }
                yield DataType.FLOAT16;
            }
            case BF16 ->
                throw new IllegalArgumentException("--dtype bf16 is not available: DJL 0.35.1's PyTorch"
                        + " engine aborts on bfloat16 tensors; pass --dtype fp16 (GPU) or fp32 (bf16 checkpoints load"
                        + " widened to fp32 exactly)");
        };
    }
}
