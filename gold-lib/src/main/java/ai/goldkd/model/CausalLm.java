package ai.goldkd.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A decoder-only causal transformer language model as a DJL block: token embedding, learned or
 * rotary positions, pre-LayerNorm layers, a final LayerNorm and an output head (tied to the
 * embedding or not).
 *
 * <p>As a {@link ai.djl.nn.Block} it maps {@code [ids (B, T)]} or {@code [ids (B, T), mask (B, T)]}
 * (1 for a real token, 0 for padding) to {@code [logits (B, T, V)]}: teacher forcing, for training,
 * KD losses and energy scores. {@link #step} decodes incrementally with a {@link KvCache}.
 */
public final class CausalLm extends AbstractBlock implements LanguageModel {

    private static final float EPS = 1e-5f;

    private final TransformerConfig config;
    private final Parameter tokenEmbedding;
    private final Parameter positionEmbedding;
    private final List<DecoderLayer> layers = new ArrayList<>();
    private final Parameter lnGamma;
    private final Parameter lnBeta;
    private final Parameter headWeight;
    private final Map<Long, NDArray> causalMasks = new ConcurrentHashMap<>();
    private NDArray[] rotaryTables;

    /**
     * Creates an uninitialised model; call {@code initialize} or load parameters.
     *
     * @param config the model's shape
     */
    public CausalLm(TransformerConfig config) {
        this.config = config;
        tokenEmbedding = addParameter(DecoderLayer.weight("wte", new Shape(config.vocab(), config.dim()), 0.02f));
        positionEmbedding = config.positions() == Positions.LEARNED
                ? addParameter(DecoderLayer.weight("wpe", new Shape(config.context(), config.dim()), 0.02f))
                : null;
        for (int i = 0; i < config.layers(); i++) {
            layers.add(addChildBlock("h" + i, new DecoderLayer(config)));
        }
        lnGamma = addParameter(DecoderLayer.norm("ln_f_gamma", Parameter.Type.GAMMA, config.dim()));
        lnBeta = addParameter(DecoderLayer.norm("ln_f_beta", Parameter.Type.BETA, config.dim()));
        headWeight = config.tiedHead()
                ? null
                : addParameter(DecoderLayer.weight("head", new Shape(config.vocab(), config.dim()), 0.02f));
    }

    /** The model's shape. */
    public TransformerConfig config() {
        return config;
    }

    @Override
    public int vocab() {
        return config.vocab();
    }

    @Override
    public int context() {
        return config.context();
    }

    @Override
    public int dim() {
        return config.dim();
    }

    /**
     * Initialises the parameters on a manager's device.
     *
     * @param manager where the parameters live
     * @return this model
     */
    public CausalLm initialize(NDManager manager) {
        initialize(manager, DataType.FLOAT32, new Shape(1, config.context()));
        return this;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape hiddenShape = new Shape(inputShapes[0].get(0), inputShapes[0].get(1), config.dim());
        for (DecoderLayer layer : layers) {
            layer.initialize(manager, dataType, hiddenShape);
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.get(0);
        NDArray mask = inputs.size() > 1 ? inputs.get(1) : null;
        return new NDList(logits(ps, ids, mask, training));
    }

    /**
     * Teacher forcing: the logits at every position.
     *
     * @param ps the parameter store
     * @param ids (B, T) token ids
     * @param mask (B, T) 1 for real tokens and 0 for padding, or null when nothing is padded
     * @param training whether dropout is on
     * @return (B, T, V) logits
     */
    @Override
    public NDArray logits(ParameterStore ps, NDArray ids, NDArray mask, boolean training) {
        return head(ps, hidden(ps, ids, mask, training), training);
    }

    /**
     * The final, normalised hidden states at every position, for classifier heads.
     *
     * @param ps the parameter store
     * @param ids (B, T) token ids
     * @param mask (B, T) 1 for real tokens and 0 for padding, or null
     * @param training whether dropout is on
     * @return (B, T, D)
     */
    @Override
    public NDArray hidden(ParameterStore ps, NDArray ids, NDArray mask, boolean training) {
        long t = ids.getShape().get(1);
        if (t > config.context()) {
            throw new IllegalArgumentException("sequence of " + t + " tokens is longer than the model's context "
                    + config.context() + "; truncate the input or train a model with a longer context");
        }
        AttentionInputs in = AttentionInputs.teacherForcing(ids, mask, causalMask(ids.getDevice(), t));
        return trunk(ps, ids, in.positions(), in.mask(), null, training);
    }

    /**
     * Decodes incrementally: runs new tokens through the model with the cache of earlier ones.
     *
     * @param ps the parameter store
     * @param ids (B, T) new token ids; T is the prompt length on the first call, then usually 1
     * @param real per row and new token, whether it is a real token (false for left padding)
     * @param cache the cache from {@link #newCache}
     * @return (B, V) the logits at the last new position of each row
     */
    @Override
    public NDArray step(ParameterStore ps, NDArray ids, boolean[][] real, KvCache cache) {
        int t = (int) ids.getShape().get(1);
        AttentionInputs in = AttentionInputs.decoding(ids, real, cache);
        NDArray hidden = trunk(ps, ids, in.positions(), in.mask(), cache, false); // (B, T, D)
        NDArray last = hidden.get(new NDIndex().addAllDim().addIndices(t - 1)); // (B, D)
        return head(ps, last, false); // (B, V)
    }

    /**
     * Creates an empty KV cache.
     *
     * @param manager where the cache lives; close it to free the cache
     * @param batch the batch size
     * @param capacity the most tokens (prompt and new) it will hold
     * @return the cache
     */
    @Override
    public KvCache newCache(NDManager manager, int batch, int capacity) {
        return new KvCache(manager, config, batch, capacity);
    }

    private NDArray trunk(
            ParameterStore ps, NDArray ids, NDArray positions, NDArray mask, KvCache cache, boolean training) {
        Device device = ids.getDevice();
        NDArray x = Embedding.embedding(ids, ps.getValue(tokenEmbedding, device, training), SparseFormat.DENSE)
                .singletonOrThrow(); // (B, T, D)
        NDArray[] rotary = null;
        if (positionEmbedding != null) {
            x = x.add(
                    Embedding.embedding(positions, ps.getValue(positionEmbedding, device, training), SparseFormat.DENSE)
                            .singletonOrThrow());
        } else {
            rotary = Rotary.at(positions, rotaryTables(device));
        }
        if (training && config.dropout() > 0) {
            x = Dropout.dropout(x, config.dropout(), true).singletonOrThrow();
        }
        for (int i = 0; i < layers.size(); i++) {
            x = layers.get(i).forward(ps, x, rotary, mask, cache, i, training);
        }
        return LayerNorm.layerNorm(
                        x,
                        new Shape(config.dim()),
                        ps.getValue(lnGamma, device, training),
                        ps.getValue(lnBeta, device, training),
                        EPS)
                .singletonOrThrow();
    }

    /**
     * The output head's rows for some tokens: the logits of only those tokens are
     * {@code hidden.matMul(headRows(...).transpose())}.
     *
     * @param ps the parameter store
     * @param tokens (K) token ids
     * @param training whether gradients flow
     * @return (K, D)
     */
    @Override
    public NDArray headRows(ParameterStore ps, NDArray tokens, boolean training) {
        Parameter weight = headWeight == null ? tokenEmbedding : headWeight;
        return Embedding.embedding(tokens, ps.getValue(weight, tokens.getDevice(), training), SparseFormat.DENSE)
                .singletonOrThrow();
    }

    @Override
    public NDArray head(ParameterStore ps, Device device, boolean training) {
        return ps.getValue(headWeight == null ? tokenEmbedding : headWeight, device, training);
    }

    private NDArray head(ParameterStore ps, NDArray hidden, boolean training) {
        Parameter weight = headWeight == null ? tokenEmbedding : headWeight;
        return Linear.linear(hidden, ps.getValue(weight, hidden.getDevice(), training))
                .singletonOrThrow();
    }

    /** The additive causal mask for T positions, made once per length and kept with the parameters. */
    private NDArray causalMask(Device device, long t) {
        NDArray mask = causalMasks.computeIfAbsent(
                t,
                len -> AttentionInputs.causal(tokenEmbedding.getArray().getManager(), len)
                        .toDevice(device, false));
        return mask;
    }

    private NDArray[] rotaryTables(Device device) {
        if (rotaryTables == null) {
            rotaryTables = Rotary.tables(tokenEmbedding.getArray().getManager(), config.context(), config.headDim());
            rotaryTables[0] = rotaryTables[0].toDevice(device, false);
            rotaryTables[1] = rotaryTables[1].toDevice(device, false);
        }
        return rotaryTables;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), in.get(1), config.vocab())};
    }
}
