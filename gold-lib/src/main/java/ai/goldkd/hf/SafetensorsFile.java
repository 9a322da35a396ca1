package ai.goldkd.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A safetensors file, read without pickle: an 8-byte little-endian header length, a JSON header
 * mapping each tensor's name to its {@code dtype}, {@code shape} and {@code data_offsets}, then the
 * raw little-endian data. The header is checked whole when the file opens (every tensor inside the
 * file, its byte count matching its shape); a tensor's bytes are mapped from the file only when it is
 * loaded, so loading a model needs little more memory than the model.
 */
public final class SafetensorsFile implements AutoCloseable {

    /** A header longer than this is not a safetensors header (the format's own limit is 100 MB). */
    private static final long MAX_HEADER = 100L << 20;

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(
            Path file,
            FileChannel channel,
            long dataStart,
            Map<String, TensorInfo> tensors,
            Map<String, String> metadata) {
        this.file = file;
        this.channel = channel;
        this.dataStart = dataStart;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /**
     * Opens a file and checks its header.
     *
     * @param file the {@code .safetensors} file
     * @return the open file; close it when done
     */
    public static SafetensorsFile open(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " does not exist; pass the model directory that holds it");
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            long size = channel.size();
            if (size < 8) {
                throw truncated(file, "it has " + size + " bytes, fewer than the 8 of the header length");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0);
            long headerLength = lengthBytes.getLong(0);
            if (headerLength <= 0 || headerLength > MAX_HEADER) {
                throw new IllegalArgumentException(file + " is not a safetensors file (header length " + headerLength
                        + "); gold reads safetensors checkpoints, never pickled .bin files: save the model with"
                        + " safe_serialization=True");
            }
            if (8 + headerLength > size) {
                throw truncated(file, "its header needs " + headerLength + " bytes but the file has " + (size - 8));
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            readFully(channel, header, 8);
            String json = new String(header.array(), StandardCharsets.UTF_8);
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, TensorInfo> tensors = parseHeader(file, json, size - 8 - headerLength, metadata);
            SafetensorsFile opened = new SafetensorsFile(
                    file,
                    channel,
                    8 + headerLength,
                    Collections.unmodifiableMap(tensors),
                    Collections.unmodifiableMap(metadata));
            channel = null;
            return opened;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } finally {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // the open failed already; its message is the one that matters
                }
            }
        }
    }

    private static Map<String, TensorInfo> parseHeader(
            Path file, String json, long dataBytes, Map<String, String> metadata) {
        JsonObject root;
        try {
            root = JsonParser.parseString(json).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException(file + ": the safetensors header is not a JSON object; the file is"
                    + " damaged: copy or convert the checkpoint again");
        }
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> entry : root.entrySet()) {
            String name = entry.getKey();
            if (name.equals("__metadata__")) {
                for (Map.Entry<String, JsonElement> m :
                        entry.getValue().getAsJsonObject().entrySet()) {
                    metadata.put(m.getKey(), m.getValue().getAsString());
                }
                continue;
            }
            JsonObject t = entry.getValue().getAsJsonObject();
            DType dtype = DType.parse(t.get("dtype").getAsString(), file + " tensor " + name);
            var dims = t.getAsJsonArray("shape");
            long[] shape = new long[dims.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = dims.get(i).getAsLong();
            }
            var offsets = t.getAsJsonArray("data_offsets");
            long begin = offsets.get(0).getAsLong();
            long end = offsets.get(1).getAsLong();
            TensorInfo info = new TensorInfo(name, dtype, new Shape(shape), begin, end);
            if (end - begin != info.size() * dtype.bytes()) {
                throw new IllegalArgumentException(file + ": tensor " + name + " of shape " + info.shape() + " and "
                        + dtype + " needs " + info.size() * dtype.bytes() + " bytes but its offsets span "
                        + (end - begin) + "; the file is damaged: copy or convert the checkpoint again");
            }
            if (begin < 0 || end > dataBytes) {
                throw truncated(
                        file,
                        "tensor " + name + " ends at byte " + end + " of the data but the file holds " + dataBytes);
            }
            tensors.put(name, info);
        }
        return tensors;
    }

    private static IllegalArgumentException truncated(Path file, String why) {
        return new IllegalArgumentException(
                file + " is truncated: " + why + "; the download or copy was cut short: copy the file again");
    }

    private static void readFully(FileChannel channel, ByteBuffer into, long position) throws IOException {
        while (into.hasRemaining()) {
            int n = channel.read(into, position + into.position());
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** Every tensor's entry, in the header's order. */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /** The header's {@code __metadata__} (e.g. {@code {"format": "pt"}}). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * A tensor's entry.
     *
     * @param name the tensor's name
     * @return its entry
     */
    public TensorInfo info(String name) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new IllegalArgumentException(file + " has no tensor " + name + "; the checkpoint does not match"
                    + " its config.json (or is another architecture)");
        }
        return info;
    }

    /**
     * A tensor's raw little-endian bytes, mapped from the file.
     *
     * @param name the tensor's name
     * @return a read-only buffer of exactly its bytes
     */
    public ByteBuffer bytes(String name) {
        TensorInfo info = info(name);
        try {
            MappedByteBuffer mapped =
                    channel.map(FileChannel.MapMode.READ_ONLY, dataStart + info.begin(), info.end() - info.begin());
            return mapped.order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tensor " + name + " from " + file, e);
        }
    }

    /**
     * Loads a tensor.
     *
     * @param name the tensor's name
     * @param manager where the tensor lives
     * @param type the type to convert it to ({@link DataType#FLOAT32} on a CPU, or {@link DataType#FLOAT16}), or
     *     null to keep its own (bfloat16 tensors come as fp32: DJL's engine cannot hold bfloat16)
     * @return the tensor, attached to {@code manager}
     */
    public NDArray load(String name, NDManager manager, DataType type) {
        TensorInfo info = info(name);
        if (type == DataType.BFLOAT16) {
            throw new IllegalArgumentException("bfloat16 tensors are not supported by DJL 0.35.1's PyTorch engine"
                    + " (it aborts on them); load " + name + " as fp32 or fp16");
        }
        // DJL hands a direct buffer to libtorch as it is, and libtorch aborts on a read-only file mapping:
        // the tensor's bytes go into memory of the manager's own first (one tensor at a time).
        ByteBuffer owned;
        DataType storedType;
        if (info.dtype() == DType.BF16) {
            // DJL's engine cannot hold bfloat16 at all: widen to fp32 here (exact: bf16 is fp32's upper half).
            ByteBuffer mapped = bytes(name);
            owned = manager.allocateDirect(mapped.remaining() * 2).order(ByteOrder.LITTLE_ENDIAN);
            while (mapped.hasRemaining()) {
                owned.putInt((mapped.getShort() & 0xffff) << 16);
            }
            storedType = DataType.FLOAT32;
        } else {
            // Read, not mapped: a mapping's pages stay resident in this process until a garbage collection
            // unmaps it, which made loading peak at about twice the weights (docs/benchmarks.md, session 25).
            owned = manager.allocateDirect(Math.toIntExact(info.end() - info.begin()))
                    .order(ByteOrder.LITTLE_ENDIAN);
            try {
                readFully(channel, owned, dataStart + info.begin());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read tensor " + name + " from " + file, e);
            }
            storedType = info.dtype().djl();
        }
        owned.flip();
        NDArray stored = manager.create(owned, info.shape(), storedType);
        if (type == null || type == stored.getDataType()) {
            return stored;
        }
        NDArray converted = stored.toType(type, false);
        stored.close();
        return converted;
    }

    /**
     * A tensor's values as floats, whatever its stored type (for tests and small tensors).
     *
     * @param name the tensor's name
     * @return its values in row-major order
     */
    public float[] floats(String name) {
        TensorInfo info = info(name);
        ByteBuffer data = bytes(name);
        float[] out = new float[Math.toIntExact(info.size())];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (info.dtype()) {
                case F32 -> data.getFloat(i * 4);
                case F16 -> Half.toFloat(data.getShort(i * 2));
                case BF16 -> Float.intBitsToFloat((data.getShort(i * 2) & 0xffff) << 16);
                case I64 -> data.getLong(i * 8);
            };
        }
        return out;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file, e);
        }
    }
}
