package ai.goldkd.hf;

import ai.djl.ndarray.types.DataType;

import java.util.Locale;

/**
 * The element types of a safetensors file that gold reads and writes, with their names in the header
 * ({@code "F32"}, {@code "F16"}, {@code "BF16"}) and their size in bytes.
 */
public enum DType {
    /** IEEE 754 single precision. */
    F32(4, DataType.FLOAT32),
    /** IEEE 754 half precision. */
    F16(2, DataType.FLOAT16),
    /** bfloat16: the upper half of an F32. */
    BF16(2, DataType.BFLOAT16),
    /** 64-bit signed integers (position ids, buffers some checkpoints keep). */
    I64(8, DataType.INT64);

    private final int bytes;
    private final DataType djl;

    DType(int bytes, DataType djl) {
        this.bytes = bytes;
        this.djl = djl;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The DJL data type of the same layout. */
    public DataType djl() {
        return djl;
    }

    /**
     * The type a header names.
     *
     * @param name the header's {@code dtype}, e.g. {@code "BF16"}
     * @param where the file, for the message
     * @return the type
     */
    public static DType parse(String name, String where) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": tensor dtype " + name + " is not supported; gold reads F32,"
                    + " F16, BF16 and I64 (convert the checkpoint to one of them)");
        }
    }

    /**
     * The type that {@code --dtype} or a config's {@code torch_dtype} names.
     *
     * @param name {@code float32}/{@code fp32}, {@code float16}/{@code fp16}, {@code bfloat16}/{@code bf16}
     * @return the type
     */
    public static DType ofTorchName(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "float32", "fp32", "f32" -> F32;
            case "float16", "fp16", "f16", "half" -> F16;
            case "bfloat16", "bf16" -> BF16;
            default -> throw new IllegalArgumentException("dtype '" + name + "' is unknown; use fp32, fp16 or bf16");
        };
    }

    /** The name {@code config.json}'s {@code torch_dtype} uses. */
    public String torchName() {
        return switch (this) {
            case F32 -> "float32";
            case F16 -> "float16";
            case BF16 -> "bfloat16";
            case I64 -> "int64";
        };
    }
}
