package ai.goldkd.model.bert;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.goldkd.hf.DType;
import ai.goldkd.hf.HfWeights;
import ai.goldkd.hf.SafetensorsWriter;
import ai.goldkd.nd.Scalars;
import com.google.gson.GsonBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A BERT-family encoder as a DJL block, with the numbers of Hugging Face's BertModel (and RobertaModel,
 * whose positions count real tokens from the pad id on: {@link EncoderFamily#ROBERTA}; and DistilBertModel,
 * the same layers under other names and without token types: {@link EncoderFamily#DISTILBERT}): word, absolute position
 * and token type embeddings summed and normalised, then post-LayerNorm layers ({@link BertLayer}) under
 * a padding mask. No pooler: sentence encoders pool the hidden states themselves ({@link Pooling}).
 *
 * <p>As a {@link ai.djl.nn.Block} it maps {@code [ids (B, T), tokenTypes (B, T), mask (B, T)]} to
 * {@code [hidden (B, T, D)]}. Parameters carry the checkpoint's tensor names ({@code embeddings.*},
 * {@code encoder.layer.N.*}); {@link #load} reads them from a {@code BertModel} directory or one with a
 * {@code bert.} or {@code roberta.} prefix (BertForSequenceClassification and the like), {@link #save} writes a directory
 * Hugging Face's BertModel loads.
 */
public final class BertEncoder extends AbstractBlock {

    /** Added to the attention scores of padding keys; finite, so a fully masked row stays a number. */
    private static final float MASKED = -1e9f;
    /** The token type embedding's name (DistilBERT has none: it is zeros, and not saved). */
    private static final String TOKEN_TYPES = "embeddings.token_type_embeddings.weight";

    private final BertConfig config;
    private final Map<String, Parameter> named = new LinkedHashMap<>();
    private final Map<String, Shape> shapes = new LinkedHashMap<>();
    private final Parameter words;
    private final Parameter positions;
    private final Parameter types;
    private final Parameter normGamma;
    private final Parameter normBeta;
    private final List<BertLayer> layers = new ArrayList<>();

    private BertEncoder(BertConfig config) {
        this.config = config;
        long d = config.hiddenSize();
        words = param("embeddings.word_embeddings.weight", new Shape(config.vocabSize(), d));
        positions = param("embeddings.position_embeddings.weight", new Shape(config.maxPositions(), d));
        types = param(TOKEN_TYPES, new Shape(config.typeVocabSize(), d));
        normGamma = param("embeddings.LayerNorm.weight", new Shape(d));
        normBeta = param("embeddings.LayerNorm.bias", new Shape(d));
        for (int i = 0; i < config.layers(); i++) {
            layers.add(addChildBlock("layer" + i, new BertLayer(config, i, named, shapes)));
        }
    }

    private Parameter param(String name, Shape shape) {
        Parameter parameter = addParameter(parameter(name));
        named.put(name, parameter);
        shapes.put(name, shape);
        return parameter;
    }

    /** A parameter without shape: its array is set from a checkpoint or a random draw. */
    static Parameter parameter(String name) {
        Parameter.Type type = name.endsWith("LayerNorm.weight")
                ? Parameter.Type.GAMMA
                : name.endsWith("LayerNorm.bias")
                        ? Parameter.Type.BETA
                        : name.endsWith(".bias") ? Parameter.Type.BIAS : Parameter.Type.WEIGHT;
        return Parameter.builder().setName(name).setType(type).build();
    }

    /**
     * Loads an encoder from a Hugging Face directory ({@code config.json} and safetensors weights).
     * Weights stored in F16 or BF16 are widened to fp32.
     *
     * @param dir the checkpoint directory
     * @param manager where the weights live
     * @return the encoder, in eval mode with every parameter trainable
     * @throws IllegalArgumentException when config.json is not a supported BERT or a tensor is missing or
     *     of another shape
     */
    public static BertEncoder load(Path dir, NDManager manager) {
        BertConfig config = BertConfig.read(dir);
        BertEncoder encoder = new BertEncoder(config);
        try (HfWeights weights = HfWeights.open(dir)) {
            String prefix = config.family().prefix();
            prefix = weights.has("embeddings.word_embeddings.weight")
                    ? ""
                    : weights.has(prefix + "embeddings.word_embeddings.weight") ? prefix : null;
            if (prefix == null) {
                throw new IllegalArgumentException(dir + " has no embeddings.word_embeddings.weight (nor with a "
                        + config.family().prefix() + " prefix); its weights are not a "
                        + config.family().modelType()
                        + " encoder's: check that config.json matches them");
            }
            for (Map.Entry<String, Parameter> e : encoder.named.entrySet()) {
                Shape expected = encoder.shapes.get(e.getKey());
                if (!config.family().tokenTypes() && e.getKey().equals(TOKEN_TYPES)) {
                    e.getValue().setArray(manager.zeros(expected)); // no segments: every token adds 0
                    continue;
                }
                String name = prefix + config.family().checkpointName(e.getKey());
                if (!weights.has(name)) {
                    throw new IllegalArgumentException(dir + " has no tensor " + name + "; the checkpoint is not a"
                            + " complete BERT encoder of " + config.layers() + " layers");
                }
                if (!weights.info(name).shape().equals(expected)) {
                    throw new IllegalArgumentException(dir + ": tensor " + name + " is "
                            + weights.info(name).shape() + " but config.json asks for " + expected
                            + "; the weights and config.json do not match");
                }
                e.getValue().setArray(weights.load(name, manager, DataType.FLOAT32));
            }
        }
        encoder.setTrainable(true);
        return encoder;
    }

    /**
     * An encoder with fresh weights, drawn as Hugging Face initialises BERT: N(0, 0.02) for matrices
     * and embeddings, ones and zeros for LayerNorms, zero biases.
     *
     * @param config the shape
     * @param manager where the weights live
     * @param seed the draw's seed
     * @return the encoder
     */
    public static BertEncoder random(BertConfig config, NDManager manager, long seed) {
        BertEncoder encoder = new BertEncoder(config);
        Random random = new Random(seed);
        for (Map.Entry<String, Parameter> e : encoder.named.entrySet()) {
            Shape shape = encoder.shapes.get(e.getKey());
            float[] values = new float[Math.toIntExact(shape.size())];
            Parameter.Type type = e.getValue().getType();
            for (int i = 0; i < values.length; i++) {
                values[i] = type == Parameter.Type.WEIGHT
                        ? (float) random.nextGaussian() * 0.02f
                        : type == Parameter.Type.GAMMA ? 1f : 0f;
            }
            if (!config.family().tokenTypes() && e.getKey().equals(TOKEN_TYPES)) {
                Arrays.fill(values, 0f);
            }
            e.getValue().setArray(manager.create(values, shape));
        }
        encoder.setTrainable(true);
        return encoder;
    }

    /** The encoder's shape. */
    public BertConfig config() {
        return config;
    }

    /** Every parameter by its checkpoint name, in checkpoint order. */
    public Map<String, Parameter> namedParameters() {
        return Collections.unmodifiableMap(named);
    }

    /**
     * Freezes or unfreezes every parameter (a frozen encoder records no graph for backward).
     *
     * @param trainable whether gradients flow into the encoder
     */
    public void setTrainable(boolean trainable) {
        named.values().forEach(p -> p.freeze(!trainable));
    }

    /**
     * The final hidden states.
     *
     * @param ps the parameter store
     * @param ids (B, T) token ids
     * @param tokenTypes (B, T) segment ids, or null for all zeros
     * @param mask (B, T) 1 for real tokens, 0 for padding
     * @param training whether dropout is on
     * @return (B, T, D)
     */
    public NDArray hidden(ParameterStore ps, NDArray ids, NDArray tokenTypes, NDArray mask, boolean training) {
        long b = ids.getShape().get(0);
        long t = ids.getShape().get(1);
        long needed = config.family() == EncoderFamily.ROBERTA ? t + config.padTokenId() + 1 : t;
        if (needed > config.maxPositions()) {
            throw new IllegalArgumentException("sequence of " + t + " tokens is longer than the encoder's "
                    + config.maxPositions() + " positions (" + config.family().modelType()
                    + "); truncate the input (the student's maxLength)");
        }
        Device device = ids.getDevice();
        NDManager manager = ids.getManager();
        NDArray typeIds = tokenTypes != null ? tokenTypes : manager.zeros(new Shape(b, t), DataType.INT64, device);
        NDArray positionIds;
        if (config.family() == EncoderFamily.ROBERTA) {
            // modeling_roberta.py: real tokens count from pad + 1, padding sits at pad, whatever the mask says
            NDArray real = ids.neq(config.padTokenId()).toType(DataType.INT64, false); // (B, T)
            positionIds = Scalars.add(real.cumSum(1).mul(real), config.padTokenId()); // (B, T)
        } else {
            positionIds = manager.arange(0, (int) t, 1, DataType.INT64, device).expandDims(0); // (1, T)
        }
        NDArray x = embed(ps, ids, words, training)
                .add(embed(ps, typeIds, types, training))
                .add(embed(ps, positionIds, positions, training)); // (B, T, D)
        x = LayerNorm.layerNorm(
                        x,
                        new Shape(config.hiddenSize()),
                        ps.getValue(normGamma, device, training),
                        ps.getValue(normBeta, device, training),
                        config.layerNormEps())
                .singletonOrThrow();
        x = BertLayer.dropout(x, config.hiddenDropout(), training);
        NDArray additive = Scalars.mul(
                        Scalars.add(mask.toType(DataType.FLOAT32, false).neg(), 1), MASKED)
                .reshape(b, 1, 1, t); // (B, 1, 1, T)
        for (BertLayer layer : layers) {
            x = layer.forward(ps, x, additive, training);
        }
        return x;
    }

    private static NDArray embed(ParameterStore ps, NDArray ids, Parameter table, boolean training) {
        return Embedding.embedding(
                        ids.toType(DataType.INT64, false),
                        ps.getValue(table, ids.getDevice(), training),
                        SparseFormat.DENSE)
                .singletonOrThrow();
    }

    /**
     * Writes the encoder as a Hugging Face BertModel directory: {@code config.json} and
     * {@code model.safetensors} (the tokenizer and pooling config are the caller's).
     *
     * @param dir the directory, created if needed
     * @param dtype the stored type, {@link DType#F32} or {@link DType#F16}
     */
    public void save(Path dir, DType dtype) {
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        named.forEach((name, p) -> {
            if (config.family().tokenTypes() || !name.equals(TOKEN_TYPES)) {
                entries.add(new SafetensorsWriter.Entry(config.family().checkpointName(name), p.getArray(), dtype));
            }
        });
        try {
            Files.createDirectories(dir);
            SafetensorsWriter.write(dir.resolve(HfWeights.SINGLE), entries, Map.of("format", "pt"));
            Path tmp = dir.resolve(BertConfig.FILE + ".tmp");
            Files.writeString(
                    tmp,
                    new GsonBuilder().setPrettyPrinting().create().toJson(config.toJson(dtype.torchName())),
                    StandardCharsets.UTF_8);
            Files.move(
                    tmp,
                    dir.resolve(BertConfig.FILE),
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the encoder to " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(hidden(ps, inputs.get(0), inputs.get(1), inputs.get(2), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), in.get(1), config.hiddenSize())};
    }
}
