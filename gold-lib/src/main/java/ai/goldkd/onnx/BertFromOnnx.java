package ai.goldkd.onnx;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.goldkd.hf.DType;
import ai.goldkd.hf.HfWeights;
import ai.goldkd.hf.SafetensorsWriter;
import ai.goldkd.model.bert.BertConfig;
import ai.goldkd.model.bert.BertEncoder;
import ai.goldkd.model.bert.EncoderFamily;
import ai.goldkd.model.bert.Pooling;
import com.google.gson.GsonBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts a BERT encoder exported to ONNX by {@code torch.onnx.export} (as sentence-transformers'
 * encoders are, e.g. all-MiniLM-L6-v2) into a Hugging Face directory: {@code config.json},
 * {@code model.safetensors} with BertModel's tensor names, {@code tokenizer.json} and
 * {@code 1_Pooling/config.json}.
 *
 * <p>The export keeps BERT's names on embeddings, biases and LayerNorms, but each Linear's matrix
 * becomes an anonymous initializer ({@code onnx::MatMul_N}) that the graph multiplies as
 * {@code x · B} with B of shape (in, out). The converter follows the graph: the Add that consumes a
 * MatMul's output adds the bias {@code P.bias}, so B is {@code P.weight} transposed to Hugging Face's
 * (out, in). The head count comes from the attention's Reshape to (B, T, heads, headDim), the
 * LayerNorm epsilon from its decomposed {@code ReduceMean(Pow(x - mean)) + eps}, and the GELU must be
 * the erf form.
 */
public final class BertFromOnnx {

    private static final Pattern LAYER = Pattern.compile("^encoder\\.layer\\.(\\d+)\\.");

    private BertFromOnnx() {}

    /**
     * Converts an export into a new directory, written under a temporary name and moved into place once
     * it loads as an encoder.
     *
     * @param onnx the {@code .onnx} file (float32, weights inside)
     * @param tokenizer the encoder's {@code tokenizer.json}
     * @param target the directory to create; it must not exist
     * @param pooling the pooling the embeddings use (sentence-transformers' Pooling module is not in the
     *     ONNX graph)
     * @return the encoder's config
     * @throws IllegalArgumentException when the target exists, or the graph is not a BERT export this
     *     converter understands (naming what it could not map)
     */
    public static BertConfig convert(Path onnx, Path tokenizer, Path target, Pooling pooling) {
        if (Files.exists(target)) {
            throw new IllegalArgumentException(
                    target + " exists already; delete it to convert again, or use it as it is");
        }
        if (!Files.isRegularFile(tokenizer)) {
            throw new IllegalArgumentException("tokenizer.json not found: " + tokenizer + "; pass the tokenizer that"
                    + " ships with the ONNX export");
        }
        OnnxGraph graph = OnnxGraph.read(onnx);
        Map<String, OnnxTensor> tensors = bertTensors(graph);
        BertConfig config = config(graph, tensors);
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try {
            deleteTree(partial);
            Files.createDirectories(partial);
            try (NDManager manager = NDManager.newBaseManager()) {
                List<SafetensorsWriter.Entry> entries = new ArrayList<>();
                for (OnnxTensor t : tensors.values()) {
                    entries.add(new SafetensorsWriter.Entry(
                            t.name(), manager.create(t.floats(), new Shape(t.dims())), DType.F32));
                }
                SafetensorsWriter.write(partial.resolve(HfWeights.SINGLE), entries, Map.of("format", "pt"));
            }
            Files.writeString(
                    partial.resolve(BertConfig.FILE),
                    new GsonBuilder().setPrettyPrinting().create().toJson(config.toJson("float32")),
                    StandardCharsets.UTF_8);
            Files.copy(tokenizer, partial.resolve("tokenizer.json"));
            pooling.write(partial, config.hiddenSize());
            try (NDManager manager = NDManager.newBaseManager()) {
                BertEncoder.load(partial, manager); // every tensor present, every shape right
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            try {
                deleteTree(partial);
            } catch (IOException ignored) {
                // the conversion failed already; its message is the one that matters
            }
            throw e;
        }
        return config;
    }

    /**
     * Every tensor of BertModel from the graph: named initializers as they are, and each MatMul's
     * anonymous matrix under the name of the bias added to its output, transposed.
     *
     * @param graph the export
     * @return the tensors by BertModel name, in name order
     */
    static Map<String, OnnxTensor> bertTensors(OnnxGraph graph) {
        Map<String, OnnxTensor> out = new LinkedHashMap<>();
        for (OnnxTensor t : graph.initializers().values()) {
            if (t.name().startsWith("embeddings.") && t.dataType() == OnnxTensor.FLOAT
                    || t.name().startsWith("encoder.layer.")) {
                out.put(t.name(), t);
            }
        }
        for (OnnxNode node : graph.nodes()) {
            if (!node.opType().equals("MatMul")
                    || graph.initializers().get(node.inputs().get(1)) == null) {
                continue;
            }
            OnnxTensor matrix = graph.initializers().get(node.inputs().get(1));
            String bias = biasAddedTo(graph, node.outputs().get(0));
            if (bias == null || !bias.endsWith(".bias")) {
                throw new IllegalArgumentException(graph.file() + ": MatMul " + node.name() + " multiplies by "
                        + matrix.name() + " but no Add of a named bias follows it; this is not a BERT export gold can"
                        + " map (each Linear should be MatMul then Add of P.bias)");
            }
            OnnxTensor b = graph.initializers().get(bias);
            if (matrix.dims().length != 2 || matrix.dims()[1] != b.size()) {
                throw new IllegalArgumentException(graph.file() + ": " + matrix.name() + " of shape " + matrix.shape()
                        + " feeds the Add of " + bias + " of " + b.size() + " values; a MatMul weight should be"
                        + " (in, out) with out = the bias length");
            }
            String weight = bias.substring(0, bias.length() - ".bias".length()) + ".weight";
            if (out.containsKey(weight)) {
                throw new IllegalArgumentException(graph.file() + ": two matrices map to " + weight + "; the graph is"
                        + " not a plain BERT export");
            }
            out.put(weight, transpose(weight, matrix));
        }
        Map<String, OnnxTensor> sorted = new LinkedHashMap<>();
        out.keySet().stream().sorted(Comparator.comparing(BertFromOnnx::order)).forEach(k -> sorted.put(k, out.get(k)));
        return sorted;
    }

    /** Sorts layer tensors by layer number (layer 10 after layer 9), the embeddings first. */
    private static String order(String name) {
        Matcher m = LAYER.matcher(name);
        return m.find() ? String.format("1-%05d-%s", Integer.parseInt(m.group(1)), name) : "0-" + name;
    }

    private static String biasAddedTo(OnnxGraph graph, String value) {
        for (OnnxNode consumer : graph.consumers(value)) {
            if (consumer.opType().equals("Add")) {
                for (String in : consumer.inputs()) {
                    if (!in.equals(value) && graph.initializers().containsKey(in)) {
                        return in;
                    }
                }
            }
        }
        return null;
    }

    private static OnnxTensor transpose(String name, OnnxTensor matrix) {
        int rows = (int) matrix.dims()[0];
        int cols = (int) matrix.dims()[1];
        float[] in = matrix.floats();
        ByteBuffer out = ByteBuffer.allocate(in.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < rows; r++) {
                out.putFloat(in[r * cols + c]); // (in, out) -> (out, in)
            }
        }
        out.flip();
        return new OnnxTensor(name, OnnxTensor.FLOAT, new long[] {cols, rows}, out);
    }

    private static BertConfig config(OnnxGraph graph, Map<String, OnnxTensor> t) {
        OnnxTensor words = require(graph, t, "embeddings.word_embeddings.weight");
        int hidden = (int) words.dims()[1];
        TreeSet<Integer> layers = new TreeSet<>();
        for (String name : t.keySet()) {
            Matcher m = LAYER.matcher(name);
            if (m.find()) {
                layers.add(Integer.parseInt(m.group(1)));
            }
        }
        if (layers.isEmpty() || layers.last() != layers.size() - 1) {
            throw new IllegalArgumentException(
                    graph.file() + ": encoder layers " + layers + " are not 0..N-1; the" + " export is incomplete");
        }
        boolean erf = graph.nodes().stream().anyMatch(n -> n.opType().equals("Erf"));
        if (!erf) {
            throw new IllegalArgumentException(graph.file() + " has no Erf node: its GELU is not the erf form (a tanh"
                    + " approximation?); gold's BERT implements hidden_act gelu only");
        }
        return new BertConfig(
                EncoderFamily.BERT,
                (int) words.dims()[0],
                hidden,
                layers.size(),
                heads(graph, hidden),
                (int) require(graph, t, "encoder.layer.0.intermediate.dense.bias")
                        .size(),
                (int) require(graph, t, "embeddings.position_embeddings.weight").dims()[0],
                (int) require(graph, t, "embeddings.token_type_embeddings.weight")
                        .dims()[0],
                epsilon(graph),
                0.1f,
                0.1f,
                0);
    }

    private static OnnxTensor require(OnnxGraph graph, Map<String, OnnxTensor> t, String name) {
        OnnxTensor tensor = t.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException(graph.file() + " has no initializer " + name + "; it is not a BERT"
                    + " export with BertModel's names");
        }
        return tensor;
    }

    /** The head count: the last two entries of the shape the query is reshaped to are (heads, headDim). */
    private static int heads(OnnxGraph graph, int hidden) {
        String queryOut = null;
        for (OnnxNode n : graph.consumers("encoder.layer.0.attention.self.query.bias")) {
            queryOut = n.outputs().get(0);
        }
        for (OnnxNode reshape : queryOut == null ? List.<OnnxNode>of() : graph.consumers(queryOut)) {
            if (!reshape.opType().equals("Reshape")) {
                continue;
            }
            String shape = reshape.inputs().get(1);
            long[] dims = null;
            if (graph.constant(shape) != null) {
                dims = graph.constant(shape).longs();
            } else if (graph.producer(shape) != null
                    && graph.producer(shape).opType().equals("Concat")) {
                List<String> parts = graph.producer(shape).inputs();
                OnnxTensor h = graph.constant(parts.get(parts.size() - 2));
                OnnxTensor d = graph.constant(parts.get(parts.size() - 1));
                if (h != null && d != null && h.size() == 1 && d.size() == 1) {
                    dims = new long[] {h.longs()[0], d.longs()[0]};
                }
            }
            if (dims != null && dims.length >= 2) {
                long heads = dims[dims.length - 2];
                long headDim = dims[dims.length - 1];
                if (heads > 0 && heads * headDim == hidden) {
                    return (int) heads;
                }
            }
        }
        throw new IllegalArgumentException(graph.file() + ": cannot find the number of attention heads (the Reshape"
                + " of layer 0's query to (batch, tokens, heads, headDim)); the export is not one gold can map");
    }

    /** The LayerNorm epsilon: a LayerNormalization's attribute, or the constant added to the variance. */
    private static float epsilon(OnnxGraph graph) {
        for (OnnxNode n : graph.nodes()) {
            if (n.opType().equals("LayerNormalization")) {
                return n.floats().getOrDefault("epsilon", 1e-5f);
            }
            if (!n.opType().equals("Add")) {
                continue;
            }
            OnnxNode mean = graph.producer(n.inputs().get(0));
            OnnxTensor c = graph.constant(n.inputs().get(1));
            if (mean != null
                    && mean.opType().equals("ReduceMean")
                    && graph.producer(mean.inputs().get(0)) != null
                    && graph.producer(mean.inputs().get(0)).opType().equals("Pow")
                    && c != null
                    && c.size() == 1) {
                return c.floats()[0];
            }
        }
        throw new IllegalArgumentException(graph.file() + ": cannot find the LayerNorm epsilon (a LayerNormalization"
                + " node or ReduceMean(Pow(x - mean)) + eps); the export is not one gold can map");
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
