package ai.goldkd.onnx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The graph of an ONNX model file, read from the protobuf wire format without generated classes: its
 * nodes, its initializers and the values of its Constant nodes. Field numbers are those of ONNX's
 * {@code onnx.proto} (ModelProto.graph 7; GraphProto.node 1, initializer 5; NodeProto.input 1, output 2,
 * name 3, op_type 4, attribute 5; AttributeProto.name 1, f 2, t 5; TensorProto.dims 1, data_type 2,
 * float_data 4, int32_data 5, int64_data 7, name 8, raw_data 9, data_location 14). The file is mapped,
 * not copied: initializers are views of it.
 */
public final class OnnxGraph {

    private final Path file;
    private final List<OnnxNode> nodes;
    private final Map<String, OnnxTensor> initializers;
    private final Map<String, OnnxTensor> constants;
    private final Map<String, OnnxNode> producers = new HashMap<>();
    private final Map<String, List<OnnxNode>> consumers = new HashMap<>();

    private OnnxGraph(Path file, List<OnnxNode> nodes, Map<String, OnnxTensor> initializers) {
        this.file = file;
        this.nodes = List.copyOf(nodes);
        this.initializers = Collections.unmodifiableMap(initializers);
        Map<String, OnnxTensor> values = new LinkedHashMap<>(initializers);
        for (OnnxNode node : nodes) {
            for (String out : node.outputs()) {
                producers.put(out, node);
            }
            for (String in : node.inputs()) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(node);
            }
            if (node.opType().equals("Constant") && node.tensors().containsKey("value")) {
                values.put(node.outputs().get(0), node.tensors().get("value"));
            }
        }
        this.constants = Collections.unmodifiableMap(values);
    }

    /**
     * Reads an ONNX model file.
     *
     * @param file the {@code .onnx} file
     * @return its graph
     * @throws IllegalArgumentException when the file is missing, not ONNX, or keeps its weights outside
     */
    public static OnnxGraph read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(
                    "ONNX file not found: " + file.toAbsolutePath() + "; pass the path of an" + " .onnx model");
        }
        ByteBuffer mapped;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(file + " is over 2 GB; gold reads ONNX files of one mapping only");
            }
            mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size())
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        String where = file.toString();
        Protobuf model = new Protobuf(mapped, where);
        Protobuf graph = null;
        while (model.next()) {
            if (model.field() == 7 && model.type() == Protobuf.BYTES) {
                graph = model.message();
            } else {
                model.skip();
            }
        }
        if (graph == null) {
            throw new IllegalArgumentException(file + " holds no ONNX graph (ModelProto field 7); it is not an ONNX"
                    + " model: pass the .onnx file itself");
        }
        List<OnnxNode> nodes = new ArrayList<>();
        Map<String, OnnxTensor> initializers = new LinkedHashMap<>();
        while (graph.next()) {
            if (graph.field() == 1 && graph.type() == Protobuf.BYTES) {
                nodes.add(node(graph.message(), where));
            } else if (graph.field() == 5 && graph.type() == Protobuf.BYTES) {
                OnnxTensor t = tensor(graph.message(), where);
                initializers.put(t.name(), t);
            } else {
                graph.skip();
            }
        }
        return new OnnxGraph(file, nodes, initializers);
    }

    private static OnnxNode node(Protobuf p, String where) {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String name = "";
        String op = "";
        Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
        Map<String, Float> floats = new LinkedHashMap<>();
        while (p.next()) {
            switch (p.field()) {
                case 1 -> inputs.add(p.string());
                case 2 -> outputs.add(p.string());
                case 3 -> name = p.string();
                case 4 -> op = p.string();
                case 5 -> attribute(p.message(), where, tensors, floats);
                default -> p.skip();
            }
        }
        return new OnnxNode(op, name, List.copyOf(inputs), List.copyOf(outputs), tensors, floats);
    }

    private static void attribute(
            Protobuf p, String where, Map<String, OnnxTensor> tensors, Map<String, Float> floats) {
        String name = null;
        OnnxTensor tensor = null;
        Float f = null;
        while (p.next()) {
            if (p.field() == 1 && p.type() == Protobuf.BYTES) {
                name = p.string();
            } else if (p.field() == 2 && p.type() == Protobuf.FIXED32) {
                f = p.fixed32Float();
            } else if (p.field() == 5 && p.type() == Protobuf.BYTES) {
                tensor = tensor(p.message(), where);
            } else {
                p.skip();
            }
        }
        if (name != null && tensor != null) {
            tensors.put(name, tensor);
        }
        if (name != null && f != null) {
            floats.put(name, f);
        }
    }

    private static OnnxTensor tensor(Protobuf p, String where) {
        List<Long> dims = new ArrayList<>();
        int type = 0;
        String name = "";
        ByteBuffer raw = null;
        ByteArrayOutputStream typed = new ByteArrayOutputStream();
        List<Long> ints = new ArrayList<>();
        while (p.next()) {
            switch (p.field()) {
                case 1 -> p.int64s(dims);
                case 2 -> type = (int) p.varint();
                case 4 -> {
                    // float_data: packed fixed32, or one per key
                    if (p.type() == Protobuf.BYTES) {
                        ByteBuffer b = p.bytes();
                        while (b.hasRemaining()) {
                            typed.write(b.get());
                        }
                    } else {
                        int bits = Float.floatToRawIntBits(p.fixed32Float());
                        for (int i = 0; i < 4; i++) {
                            typed.write(bits >>> (8 * i));
                        }
                    }
                }
                case 5, 7 -> p.int64s(ints);
                case 8 -> name = p.string();
                case 9 -> raw = p.bytes();
                case 14 -> {
                    if (p.varint() == 1) {
                        throw new IllegalArgumentException(where + " keeps tensor weights in external files; convert"
                                + " a self-contained export (all weights inside the .onnx file)");
                    }
                }
                default -> p.skip();
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        ByteBuffer data;
        if (raw != null) {
            data = raw;
        } else if (typed.size() > 0) {
            data = ByteBuffer.wrap(typed.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        } else {
            // int32_data / int64_data: widened to int64, stored as such
            data = ByteBuffer.allocate(ints.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
            ints.forEach(data::putLong);
            data.flip();
            if (type == OnnxTensor.INT32) {
                type = OnnxTensor.INT64;
            }
        }
        OnnxTensor t = new OnnxTensor(name, type, shape, data);
        long bytesPer = switch (t.dataType()) {
            case OnnxTensor.FLOAT, OnnxTensor.INT32 -> 4;
            case OnnxTensor.INT64 -> 8;
            default -> -1;
        };
        if (bytesPer > 0 && data.remaining() != t.size() * bytesPer) {
            throw new IllegalArgumentException(
                    where + ": tensor " + name + " of shape " + t.shape() + " holds " + data.remaining()
                            + " bytes, not " + t.size() * bytesPer + "; the file is damaged: fetch it again");
        }
        return t;
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** The nodes, in graph order. */
    public List<OnnxNode> nodes() {
        return nodes;
    }

    /** The initializers by name. */
    public Map<String, OnnxTensor> initializers() {
        return initializers;
    }

    /**
     * The value a name holds when it is fixed: an initializer, or a Constant node's output.
     *
     * @param name a value's name
     * @return the tensor, or null when the value is computed
     */
    public OnnxTensor constant(String name) {
        return constants.get(name);
    }

    /**
     * The node that computes a value.
     *
     * @param name a value's name
     * @return the node, or null for graph inputs and initializers
     */
    public OnnxNode producer(String name) {
        return producers.get(name);
    }

    /**
     * The nodes that read a value.
     *
     * @param name a value's name
     * @return them, in graph order (empty when none)
     */
    public List<OnnxNode> consumers(String name) {
        return consumers.getOrDefault(name, List.of());
    }
}
