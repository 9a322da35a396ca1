package ai.goldkd.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The weights of a Hugging Face model directory: one {@code model.safetensors}, or shards
 * {@code model-0000N-of-0000M.safetensors} listed by {@code model.safetensors.index.json}. Every shard
 * is opened and its header checked up front (a missing or truncated shard fails before any tensor is
 * loaded); tensors are then loaded one at a time.
 */
public final class HfWeights implements AutoCloseable {

    /** The single-file weights' name. */
    public static final String SINGLE = "model.safetensors";
    /** The index of sharded weights. */
    public static final String INDEX = "model.safetensors.index.json";

    private final Path dir;
    private final Map<String, SafetensorsFile> byTensor;
    private final List<SafetensorsFile> files;

    private HfWeights(Path dir, Map<String, SafetensorsFile> byTensor, List<SafetensorsFile> files) {
        this.dir = dir;
        this.byTensor = byTensor;
        this.files = files;
    }

    /**
     * Opens a directory's weights.
     *
     * @param dir the model directory
     * @return the weights; close them when loaded
     */
    public static HfWeights open(Path dir) {
        Path index = dir.resolve(INDEX);
        Path single = dir.resolve(SINGLE);
        List<SafetensorsFile> files = new ArrayList<>();
        Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
        try {
            if (Files.isRegularFile(index)) {
                Map<String, String> weightMap = readIndex(index);
                Map<String, SafetensorsFile> shards = new TreeMap<>();
                for (String shard : new TreeSet<>(weightMap.values())) {
                    Path file = dir.resolve(shard);
                    if (!Files.isRegularFile(file)) {
                        throw new IllegalArgumentException("shard " + shard + " listed in " + index + " is missing;"
                                + " copy every model-*.safetensors file of the checkpoint into " + dir);
                    }
                    SafetensorsFile opened = SafetensorsFile.open(file);
                    files.add(opened);
                    shards.put(shard, opened);
                }
                for (Map.Entry<String, String> e : weightMap.entrySet()) {
                    SafetensorsFile shard = shards.get(e.getValue());
                    shard.info(e.getKey());
                    byTensor.put(e.getKey(), shard);
                }
            } else if (Files.isRegularFile(single)) {
                SafetensorsFile opened = SafetensorsFile.open(single);
                files.add(opened);
                opened.tensors().keySet().forEach(name -> byTensor.put(name, opened));
            } else {
                String pickled = Files.isRegularFile(dir.resolve("pytorch_model.bin"))
                        ? " (it has pytorch_model.bin: gold never unpickles; re-save it with safe_serialization=True)"
                        : "";
                throw new IllegalArgumentException("no " + SINGLE + " or " + INDEX + " in " + dir + pickled
                        + "; pass a Hugging Face model directory with safetensors weights");
            }
        } catch (RuntimeException e) {
            files.forEach(SafetensorsFile::close);
            throw e;
        }
        return new HfWeights(dir, Collections.unmodifiableMap(byTensor), List.copyOf(files));
    }

    private static Map<String, String> readIndex(Path index) {
        try {
            JsonObject root = JsonParser.parseString(Files.readString(index, StandardCharsets.UTF_8))
                    .getAsJsonObject();
            JsonObject map = root.getAsJsonObject("weight_map");
            if (map == null) {
                throw new IllegalArgumentException(index + " has no weight_map; the index is damaged: copy it again");
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : map.entrySet()) {
                out.put(e.getKey(), e.getValue().getAsString());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + index, e);
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException(index + " is not JSON; the index is damaged: copy it again");
        }
    }

    /** The model directory. */
    public Path dir() {
        return dir;
    }

    /** Every tensor's name, in index or header order. */
    public List<String> names() {
        return List.copyOf(byTensor.keySet());
    }

    /** Whether a tensor exists. */
    public boolean has(String name) {
        return byTensor.containsKey(name);
    }

    /**
     * A tensor's entry.
     *
     * @param name the tensor's name
     * @return its entry
     */
    public TensorInfo info(String name) {
        return fileOf(name).info(name);
    }

    /**
     * Loads a tensor.
     *
     * @param name the tensor's name
     * @param manager where it lives
     * @param type the type to convert to, or null to keep the stored one
     * @return the tensor
     */
    public NDArray load(String name, NDManager manager, DataType type) {
        return fileOf(name).load(name, manager, type);
    }

    /**
     * A tensor's values as floats.
     *
     * @param name the tensor's name
     * @return its values in row-major order
     */
    public float[] floats(String name) {
        return fileOf(name).floats(name);
    }

    /** The stored type most of the weights have (what an export keeps unless told otherwise). */
    public DType storedType() {
        Map<DType, Long> bytes = new TreeMap<>();
        for (String name : byTensor.keySet()) {
            TensorInfo info = info(name);
            bytes.merge(info.dtype(), info.end() - info.begin(), Long::sum);
        }
        return bytes.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey)
                .orElse(DType.F32);
    }

    /**
     * The file that holds a tensor (a shard, or model.safetensors), for messages.
     *
     * @param name the tensor's name
     * @return its file
     */
    public Path file(String name) {
        return fileOf(name).file();
    }

    private SafetensorsFile fileOf(String name) {
        SafetensorsFile file = byTensor.get(name);
        if (file == null) {
            throw new IllegalArgumentException(dir + " has no tensor " + name + "; the weights do not match"
                    + " config.json (another architecture, or a missing shard)");
        }
        return file;
    }

    @Override
    public void close() {
        files.forEach(SafetensorsFile::close);
    }
}
