package ai.goldkd.model.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.goldkd.hf.HfWeights;
import ai.goldkd.hf.TensorInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the decoder of a config and fills its parameters from a checkpoint's weights. Every tensor's
 * presence and shape is checked against config.json before the first one is loaded, so a mismatched
 * checkpoint fails whole, naming the tensor, its file and the shape config.json implies.
 */
public final class HfLoader {

    private static final String GPT2_PREFIX = "transformer.";

    private HfLoader() {}

    /**
     * The decoder a config describes, parameters declared but not loaded.
     *
     * @param config the config
     * @return a {@link LlamaLm} or a {@link Gpt2Lm}
     */
    public static HfDecoder build(HfConfig config) {
        return config.family().llamaLike() ? new LlamaLm(config) : new Gpt2Lm(config);
    }

    /**
     * Builds the decoder of a config and loads its parameters.
     *
     * @param config the config
     * @param weights the checkpoint's weights
     * @param manager where the parameters live
     * @param type FLOAT32, or FLOAT16 for half-precision weights and compute
     * @return the loaded decoder
     */
    public static HfDecoder load(HfConfig config, HfWeights weights, NDManager manager, DataType type) {
        HfDecoder model = build(config);
        String prefix = config.family() == Family.GPT2 && weights.has(GPT2_PREFIX + "wte.weight") ? GPT2_PREFIX : "";
        Map<String, Shape> shapes = model.shapes();
        for (Map.Entry<String, Shape> e : shapes.entrySet()) {
            String stored = prefix + e.getKey();
            if (!weights.has(stored)) {
                throw new IllegalArgumentException(weights.dir() + " has no tensor " + stored + ", which a "
                        + config.family().modelType() + " with this config.json needs; the weights and config.json"
                        + " are from different checkpoints (or a shard is missing): copy the whole checkpoint");
            }
            TensorInfo info = weights.info(stored);
            if (!info.shape().equals(e.getValue())) {
                throw new IllegalArgumentException("tensor " + stored + " in " + weights.file(stored) + " has shape "
                        + info.shape() + " but config.json makes it " + e.getValue() + "; the weights and config.json"
                        + " are from different checkpoints: copy the checkpoint's own config.json");
            }
        }
        Set<String> known = shapes.keySet();
        List<String> unknown = new ArrayList<>();
        for (String name : weights.names()) {
            String bare = name.startsWith(prefix) ? name.substring(prefix.length()) : name;
            if (!known.contains(bare) && !model.ignorable(bare)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(weights.dir() + " holds " + unknown.size() + " tensor(s) a "
                    + config.family().modelType() + " with this config.json does not have ("
                    + String.join(", ", unknown.subList(0, Math.min(3, unknown.size())))
                    + "); the checkpoint is another architecture"
                    + " or variant than config.json says");
        }
        List<NDArray> loaded = new ArrayList<>();
        try {
            for (Map.Entry<String, Parameter> e : model.named().entrySet()) {
                NDArray array = weights.load(prefix + e.getKey(), manager, type);
                loaded.add(array);
                e.getValue().setArray(array);
            }
        } catch (RuntimeException e) {
            loaded.forEach(NDArray::close);
            throw e;
        }
        return model;
    }
}
