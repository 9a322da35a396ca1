package ai.goldkd.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a safetensors file that {@link SafetensorsFile}, Hugging Face's {@code safetensors} and vLLM
 * read: the header (padded with spaces to a multiple of 8 bytes, as the format asks), then each
 * tensor's little-endian bytes in the order given. The file is written under a temporary name and
 * moved into place, so a crash leaves no half-written checkpoint.
 */
public final class SafetensorsWriter {

    /**
     * One tensor to write.
     *
     * @param name its name in the file
     * @param array its values
     * @param dtype the type to store it as
     */
    public record Entry(String name, NDArray array, DType dtype) {}

    private SafetensorsWriter() {}

    /**
     * Writes tensors to a file, replacing it.
     *
     * @param file the file
     * @param entries the tensors, written in this order; names must be distinct
     * @param metadata the header's {@code __metadata__} (string values), e.g. {@code {"format": "pt"}}
     * @return the file
     */
    public static Path write(Path file, List<Entry> entries, Map<String, String> metadata) {
        Set<String> names = new HashSet<>();
        JsonObject header = new JsonObject();
        if (!metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            metadata.forEach(meta::addProperty);
            header.add("__metadata__", meta);
        }
        long offset = 0;
        for (Entry e : entries) {
            if (!names.add(e.name())) {
                throw new IllegalArgumentException(
                        "tensor " + e.name() + " is given twice; names in a file are unique");
            }
            long bytes = e.array().size() * e.dtype().bytes();
            JsonObject t = new JsonObject();
            t.addProperty("dtype", e.dtype().name());
            JsonArray shape = new JsonArray();
            Arrays.stream(e.array().getShape().getShape()).forEach(shape::add);
            t.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offsets.add(offset + bytes);
            t.add("data_offsets", offsets);
            header.add(e.name(), t);
            offset += bytes;
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            try (FileChannel out = FileChannel.open(
                    tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(out, head);
                for (Entry e : entries) {
                    writeFully(out, bytesOf(e));
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the write failed already; its message is the one that matters
            }
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    private static ByteBuffer bytesOf(Entry e) {
        NDArray array = e.array();
        if (e.dtype() == DType.BF16) {
            // DJL's engine cannot hold bfloat16: round fp32 to bf16 here, to nearest even as PyTorch does.
            float[] values = array.toType(DataType.FLOAT32, false).toFloatArray();
            ByteBuffer out = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) {
                out.putShort(toBf16(v));
            }
            return out.flip();
        }
        DataType target = e.dtype().djl();
        if (array.getDataType() == target) {
            return array.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        }
        try (NDArray converted = array.toType(target, true)) {
            ByteBuffer copy = converted.toByteBuffer();
            ByteBuffer owned = ByteBuffer.allocate(copy.remaining()).order(ByteOrder.LITTLE_ENDIAN);
            owned.put(copy).flip();
            return owned;
        }
    }

    /**
     * A float rounded to bfloat16, to nearest with ties to even (NaN stays a quiet NaN).
     *
     * @param value the float
     * @return bfloat16's 16 bits
     */
    static short toBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounded = bits + 0x7fff + ((bits >>> 16) & 1);
        return (short) (rounded >>> 16);
    }

    private static void writeFully(FileChannel out, ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            out.write(data);
        }
    }
}
