package ai.goldkd.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.goldkd.hf.DType;
import ai.goldkd.hf.HfWeights;
import ai.goldkd.hf.SafetensorsWriter;
import ai.goldkd.model.hf.HfConfig;
import ai.goldkd.model.hf.HfConfigReader;
import ai.goldkd.model.hf.HfDecoder;
import ai.goldkd.model.hf.HfLoader;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Llama-shaped checkpoints with random weights for the benchmarks of issues 16 and 22, written as a
 * Hugging Face directory (config.json and model.safetensors, F32) and read back through
 * {@code ai.goldkd.model.hf} like any checkpoint. The PyTorch reference reads the same file.
 *
 * <p>Weights: N(0, 0.02) for every matrix (embedding and untied head included), unit RMSNorm gains.
 */
public final class LlamaShapes {

    /**
     * A Llama shape.
     *
     * @param layers decoder layers
     * @param dim hidden width
     * @param heads query heads
     * @param kvHeads key/value heads
     * @param mlp the SwiGLU MLP's width
     * @param vocab vocabulary
     * @param context positions
     */
    public record Shape(int layers, int dim, int heads, int kvHeads, int mlp, int vocab, int context) {
        /** A directory name that tells the shape. */
        public String name() {
            return String.format(
                    Locale.ROOT,
                    "llama-l%d-d%d-h%d-kv%d-m%d-v%d-c%d",
                    layers,
                    dim,
                    heads,
                    kvHeads,
                    mlp,
                    vocab,
                    context);
        }

        /** Parameters (untied head). */
        public long parameters() {
            long hd = dim / heads;
            long attention = 2L * dim * heads * hd + 2L * dim * kvHeads * hd;
            return 2L * vocab * dim + dim + layers * (attention + 3L * dim * mlp + 2L * dim);
        }
    }

    /** Issue 16's benchmark model and issue 22's teacher: 8 layers, width 512, 8 / 2 heads, MLP 1376, 32k vocab. */
    public static final Shape TEACHER = new Shape(8, 512, 8, 2, 1376, 32_000, 512);
    /** Issue 22's student: 4 layers, width 256, 4 / 1 heads, MLP 688, 32k vocab. */
    public static final Shape STUDENT = new Shape(4, 256, 4, 1, 688, 32_000, 512);
    /** A tiny shape for {@code gold bench --quick}. */
    public static final Shape QUICK_TEACHER = new Shape(2, 64, 4, 2, 160, 512, 128);
    /** A tiny student for {@code gold bench --quick}. */
    public static final Shape QUICK_STUDENT = new Shape(1, 32, 2, 1, 80, 512, 128);

    private LlamaShapes() {}

    /**
     * The directory of a shape's checkpoint under {@code root}, written (seeded) if it is not there yet.
     *
     * @param root the parent directory
     * @param shape the shape
     * @param seed the weights' seed
     * @return the checkpoint directory
     */
    public static Path ensure(Path root, Shape shape, int seed) {
        Path dir = root.resolve(shape.name() + "-s" + seed);
        if (Files.isRegularFile(dir.resolve(HfWeights.SINGLE))
                && Files.isRegularFile(dir.resolve(HfConfigReader.FILE))) {
            return dir;
        }
        try {
            Files.createDirectories(dir);
            try (NDManager manager = NDManager.newBaseManager()) {
                Engine.getInstance().setRandomSeed(seed);
                List<SafetensorsWriter.Entry> entries = new ArrayList<>();
                for (Map.Entry<String, ai.djl.ndarray.types.Shape> e :
                        HfLoader.build(config(dir, shape)).shapes().entrySet()) {
                    ai.djl.ndarray.types.Shape s = e.getValue();
                    NDArray a =
                            s.dimension() == 1 ? manager.ones(s) : manager.randomNormal(0f, 0.02f, s, DataType.FLOAT32);
                    entries.add(new SafetensorsWriter.Entry(e.getKey(), a, DType.F32));
                }
                SafetensorsWriter.write(dir.resolve(HfWeights.SINGLE), entries, Map.of("format", "pt"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the benchmark checkpoint " + dir, e);
        }
        return dir;
    }

    /** Writes config.json for a shape into a directory and reads it back as the loader sees it. */
    private static HfConfig config(Path dir, Shape shape) throws IOException {
        JsonObject c = new JsonObject();
        c.addProperty("model_type", "llama");
        c.addProperty("vocab_size", shape.vocab());
        c.addProperty("hidden_size", shape.dim());
        c.addProperty("num_hidden_layers", shape.layers());
        c.addProperty("num_attention_heads", shape.heads());
        c.addProperty("num_key_value_heads", shape.kvHeads());
        c.addProperty("intermediate_size", shape.mlp());
        c.addProperty("max_position_embeddings", shape.context());
        c.addProperty("rms_norm_eps", 1e-5);
        c.addProperty("rope_theta", 10000.0);
        c.addProperty("tie_word_embeddings", false);
        c.addProperty("hidden_act", "silu");
        c.addProperty("torch_dtype", "float32");
        Files.writeString(dir.resolve(HfConfigReader.FILE), c.toString(), StandardCharsets.UTF_8);
        return HfConfigReader.read(dir, 0);
    }

    /**
     * Loads a checkpoint written by {@link #ensure} through the Hugging Face loader (fp32).
     *
     * @param dir the checkpoint
     * @param manager where the parameters live
     * @return the decoder
     */
    public static HfDecoder load(Path dir, NDManager manager) {
        HfConfig config = HfConfigReader.read(dir, 0);
        try (HfWeights weights = HfWeights.open(dir)) {
            return HfLoader.load(config, weights, manager, DataType.FLOAT32);
        }
    }

    /** Where the benchmark checkpoints live: {@code $GOLD_BENCH_DIR}, else a directory under the temp dir. */
    public static Path root() {
        String dir = System.getenv("GOLD_BENCH_DIR");
        return Path.of(dir != null && !dir.isBlank() ? dir : System.getProperty("java.io.tmpdir"), "gold-bench-llama");
    }
}
