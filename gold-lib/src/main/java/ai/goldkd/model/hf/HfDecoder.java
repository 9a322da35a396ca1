package ai.goldkd.model.hf;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.goldkd.model.AttentionInputs;
import ai.goldkd.model.KvCache;
import ai.goldkd.model.LanguageModel;
import ai.goldkd.nd.Scalars;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every Hugging Face decoder shares: parameters named and shaped as the checkpoint's tensors
 * (so loading and exporting are a name-for-name copy), positions and attention masks from padding,
 * incremental decoding with a {@link KvCache}, and the output head.
 */
public abstract sealed class HfDecoder extends AbstractBlock implements LanguageModel permits LlamaLm, Gpt2Lm {

    private final HfConfig config;
    private final Map<String, Shape> shapes = new LinkedHashMap<>();
    private final Map<String, Parameter> byName = new LinkedHashMap<>();

    HfDecoder(HfConfig config) {
        this.config = config;
    }

    /** The checkpoint's config. */
    public HfConfig config() {
        return config;
    }

    /** Each parameter's checkpoint name and shape, in checkpoint order. */
    public Map<String, Shape> shapes() {
        return Collections.unmodifiableMap(shapes);
    }

    /** Each parameter by its checkpoint name. */
    public Map<String, Parameter> named() {
        return Collections.unmodifiableMap(byName);
    }

    /** Declares a parameter under its checkpoint name; its values come from {@link HfLoader}. */
    final Parameter declare(String name, Parameter.Type type, long... shape) {
        Parameter p =
                addParameter(Parameter.builder().setName(name).setType(type).build());
        shapes.put(name, new Shape(shape));
        byName.put(name, p);
        return p;
    }

    /** The names a checkpoint may hold that carry no weights of this model (buffers, a tied copy). */
    abstract boolean ignorable(String name);

    /**
     * The residual stream through every layer and the final norm.
     *
     * @param ps the parameter store
     * @param ids (B, T) token ids
     * @param positions (B, T) or (1, T) position ids
     * @param mask additive mask broadcastable to (B, H, T, Tk), or null
     * @param cache the KV cache, or null
     * @param training whether gradients flow
     * @return (B, T, D) normalised hidden states
     */
    abstract NDArray trunk(
            ParameterStore ps, NDArray ids, NDArray positions, NDArray mask, KvCache cache, boolean training);

    /** The output head's weight: the embedding when tied. */
    abstract Parameter headWeight();

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

    @Override
    public NDArray logits(ParameterStore ps, NDArray ids, NDArray mask, boolean training) {
        NDArray hidden = hidden(ps, ids, mask, training);
        return Linear.linear(hidden, ps.getValue(headWeight(), hidden.getDevice(), training))
                .singletonOrThrow();
    }

    @Override
    public NDArray hidden(ParameterStore ps, NDArray ids, NDArray mask, boolean training) {
        long t = ids.getShape().get(1);
        if (t > config.context()) {
            throw new IllegalArgumentException("sequence of " + t + " tokens is longer than the model's context "
                    + config.context() + "; truncate the input");
        }
        AttentionInputs in = AttentionInputs.teacherForcing(
                ids, mask, AttentionInputs.causal(ids.getManager(), t).toDevice(ids.getDevice(), false));
        return trunk(ps, ids, in.positions(), in.mask(), null, training);
    }

    @Override
    public NDArray step(ParameterStore ps, NDArray ids, boolean[][] real, KvCache cache) {
        int t = (int) ids.getShape().get(1);
        AttentionInputs in = AttentionInputs.decoding(ids, real, cache);
        NDArray hidden = trunk(ps, ids, in.positions(), in.mask(), cache, false);
        NDArray last = hidden.get(new NDIndex().addAllDim().addIndices(t - 1));
        return Linear.linear(last, ps.getValue(headWeight(), last.getDevice(), false))
                .singletonOrThrow();
    }

    @Override
    public KvCache newCache(NDManager manager, int batch, int capacity) {
        return new KvCache(
                manager,
                new KvCache.Layout(config.layers(), config.kvHeads(), config.headDim(), config.context()),
                batch,
                capacity);
    }

    @Override
    public NDArray head(ParameterStore ps, Device device, boolean training) {
        return ps.getValue(headWeight(), device, training);
    }

    @Override
    public NDArray headRows(ParameterStore ps, NDArray tokens, boolean training) {
        return Embedding.embedding(tokens, ps.getValue(headWeight(), tokens.getDevice(), training), SparseFormat.DENSE)
                .singletonOrThrow();
    }

    /**
     * Attention of (B, H, T, hd) queries over (B, KV, Tk, hd) keys and values, heads merged: (B, T, H * hd).
     * Under grouped-query attention (KV < H) the {@code H / KV} query heads that share a key/value head attend
     * as one (B, KV, rep * T, hd) block: the dot products of transformers' repeat_kv followed by attention,
     * without copying the keys and values per query head. Masks are (T, Tk) or (B, 1, T, Tk).
     */
    static NDArray attend(NDArray q, NDArray k, NDArray v, NDArray mask, int headDim) {
        long b = q.getShape().get(0);
        long h = q.getShape().get(1);
        long t = q.getShape().get(2);
        long kv = k.getShape().get(1);
        long tk = k.getShape().get(2);
        long rep = h / kv;
        NDArray scores = Scalars.muli(
                q.reshape(b, kv, rep * t, headDim).matMul(k.transpose(0, 1, 3, 2)), Math.pow(headDim, -0.5));
        if (mask != null) {
            NDArray m = mask.getShape().dimension() == 4 ? mask.expandDims(1) : mask;
            scores = scores.reshape(b, kv, rep, t, tk).add(m).reshape(b, kv, rep * t, tk);
        }
        return scores.softmax(-1)
                .matMul(v)
                .reshape(b, h, t, headDim)
                .transpose(0, 2, 1, 3)
                .reshape(b, t, h * headDim);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(logits(ps, inputs.get(0), inputs.size() > 1 ? inputs.get(1) : null, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1), config.vocab())};
    }
}
