package ai.goldkd.model.hf;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.goldkd.model.KvCache;
import ai.goldkd.nd.Scalars;

import java.util.ArrayList;
import java.util.List;

/**
 * The Llama family of transformers' modeling code ({@code llama}, {@code mistral}, {@code qwen2},
 * {@code qwen3}): pre-RMSNorm layers (computed in float32), q/k/v projections (with biases for qwen2,
 * per-head q/k RMSNorm for qwen3), rotate-half RoPE with {@code rope_theta} and {@code rope_scaling},
 * grouped-query attention, a SwiGLU MLP, a final RMSNorm and a tied or untied head. Parameters carry
 * the checkpoint's names ({@code model.layers.N.self_attn.q_proj.weight} ...) and shapes.
 */
public final class LlamaLm extends HfDecoder {

    private final Parameter embed;
    private final Parameter norm;
    private final Parameter head;
    private final List<Layer> layers = new ArrayList<>();
    private final float[] inverseFrequencies;
    private NDArray frequencies;
    private NDArray rotation;

    /** One layer's parameters. */
    private record Layer(
            Parameter inNorm,
            Parameter q,
            Parameter qBias,
            Parameter k,
            Parameter kBias,
            Parameter v,
            Parameter vBias,
            Parameter qNorm,
            Parameter kNorm,
            Parameter o,
            Parameter postNorm,
            Parameter gate,
            Parameter up,
            Parameter down) {}

    /**
     * Declares the parameters of a config; {@link HfLoader} fills them from the weights.
     *
     * @param config a Llama-family config
     */
    public LlamaLm(HfConfig config) {
        super(config);
        if (!config.family().llamaLike()) {
            throw new IllegalArgumentException(config.family() + " is not a Llama-family model");
        }
        int d = config.dim();
        int q = config.heads() * config.headDim();
        int kv = config.kvHeads() * config.headDim();
        embed = declare("model.embed_tokens.weight", Parameter.Type.WEIGHT, config.vocab(), d);
        for (int i = 0; i < config.layers(); i++) {
            String p = "model.layers." + i + ".";
            Parameter in = declare(p + "input_layernorm.weight", Parameter.Type.GAMMA, d);
            Parameter qw = declare(p + "self_attn.q_proj.weight", Parameter.Type.WEIGHT, q, d);
            Parameter qb = config.qkvBias() ? declare(p + "self_attn.q_proj.bias", Parameter.Type.BIAS, q) : null;
            Parameter kw = declare(p + "self_attn.k_proj.weight", Parameter.Type.WEIGHT, kv, d);
            Parameter kb = config.qkvBias() ? declare(p + "self_attn.k_proj.bias", Parameter.Type.BIAS, kv) : null;
            Parameter vw = declare(p + "self_attn.v_proj.weight", Parameter.Type.WEIGHT, kv, d);
            Parameter vb = config.qkvBias() ? declare(p + "self_attn.v_proj.bias", Parameter.Type.BIAS, kv) : null;
            Parameter qn = config.qkNorm()
                    ? declare(p + "self_attn.q_norm.weight", Parameter.Type.GAMMA, config.headDim())
                    : null;
            Parameter kn = config.qkNorm()
                    ? declare(p + "self_attn.k_norm.weight", Parameter.Type.GAMMA, config.headDim())
                    : null;
            Parameter o = declare(p + "self_attn.o_proj.weight", Parameter.Type.WEIGHT, d, q);
            Parameter post = declare(p + "post_attention_layernorm.weight", Parameter.Type.GAMMA, d);
            Parameter gate = declare(p + "mlp.gate_proj.weight", Parameter.Type.WEIGHT, config.mlpDim(), d);
            Parameter up = declare(p + "mlp.up_proj.weight", Parameter.Type.WEIGHT, config.mlpDim(), d);
            Parameter down = declare(p + "mlp.down_proj.weight", Parameter.Type.WEIGHT, d, config.mlpDim());
            layers.add(new Layer(in, qw, qb, kw, kb, vw, vb, qn, kn, o, post, gate, up, down));
        }
        norm = declare("model.norm.weight", Parameter.Type.GAMMA, d);
        head = config.tiedHead() ? embed : declare("lm_head.weight", Parameter.Type.WEIGHT, config.vocab(), d);
        inverseFrequencies = config.rope().inverseFrequencies(config.ropeTheta(), config.headDim());
    }

    @Override
    boolean ignorable(String name) {
        return name.endsWith("rotary_emb.inv_freq") || (config().tiedHead() && name.equals("lm_head.weight"));
    }

    @Override
    Parameter headWeight() {
        return head;
    }

    @Override
    NDArray trunk(ParameterStore ps, NDArray ids, NDArray positions, NDArray mask, KvCache cache, boolean training) {
        HfConfig c = config();
        Device device = ids.getDevice();
        long b = ids.getShape().get(0);
        long t = ids.getShape().get(1);
        int hd = c.headDim();
        NDArray x = Embedding.embedding(ids, value(ps, embed, device, training), SparseFormat.DENSE)
                .singletonOrThrow(); // (B, T, D)
        // cos and sin of positions x inverse frequencies in float32, as transformers computes them, repeated
        // for the two halves of a head: (B, T, 1, hd), so one product covers every query and key head.
        NDArray angles =
                positions.toType(DataType.FLOAT32, false).expandDims(-1).mul(frequencies(device)); // (B, T, hd/2)
        NDArray both = NDArrays.concat(new NDList(angles, angles), -1).expandDims(2);
        NDArray cos = both.cos();
        NDArray sin = both.sin();
        NDArray rotate = rotateHalf(device);
        int h = c.heads();
        int kv = c.kvHeads();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            NDArray hn = rmsNorm(x, value(ps, l.inNorm, device, training), c.normEps());
            NDArray q = project(ps, hn, l.q, l.qBias, training).reshape(b, t, h, hd);
            NDArray k = project(ps, hn, l.k, l.kBias, training).reshape(b, t, kv, hd);
            NDArray v = project(ps, hn, l.v, l.vBias, training).reshape(b, t, kv, hd);
            if (l.qNorm != null) {
                q = rmsNorm(q, value(ps, l.qNorm, device, training), c.normEps());
                k = rmsNorm(k, value(ps, l.kNorm, device, training), c.normEps());
            }
            // Rotate-half RoPE on the query and key heads together: x cos + rotate_half(x) sin, where
            // rotate_half(x) = (-x2, x1) is a product with a signed permutation (exact: one term per sum).
            NDArray qk = NDArrays.concat(new NDList(q, k), 2);
            qk = qk.mul(cos).add(qk.matMul(rotate).mul(sin)).transpose(0, 2, 1, 3); // (B, H + KV, T, hd)
            NDList split = qk.split(new long[] {h}, 1);
            q = split.get(0);
            k = split.get(1);
            v = v.transpose(0, 2, 1, 3);
            if (cache != null) {
                NDArray[] kvAll = cache.append(i, k, v, x.getManager());
                k = kvAll[0];
                v = kvAll[1];
            }
            NDArray y = attend(q, k, v, mask, hd);
            x = x.add(Linear.linear(y, value(ps, l.o, device, training)).singletonOrThrow());
            hn = rmsNorm(x, value(ps, l.postNorm, device, training), c.normEps());
            NDArray gate =
                    Linear.linear(hn, value(ps, l.gate, device, training)).singletonOrThrow();
            NDArray up = Linear.linear(hn, value(ps, l.up, device, training)).singletonOrThrow();
            NDArray act = gate.mul(Activation.sigmoid(gate)).mul(up); // silu(gate) * up
            x = x.add(Linear.linear(act, value(ps, l.down, device, training)).singletonOrThrow());
        }
        return rmsNorm(x, value(ps, norm, device, training), c.normEps());
    }

    private static NDArray value(ParameterStore ps, Parameter p, Device device, boolean training) {
        return ps.getValue(p, device, training);
    }

    private static NDArray project(ParameterStore ps, NDArray h, Parameter w, Parameter bias, boolean training) {
        Device device = h.getDevice();
        return (bias == null
                        ? Linear.linear(h, value(ps, w, device, training))
                        : Linear.linear(h, value(ps, w, device, training), value(ps, bias, device, training)))
                .singletonOrThrow();
    }

    /** transformers' RMSNorm: normalised in float32, cast back to the input's type, then scaled. */
    static NDArray rmsNorm(NDArray x, NDArray weight, double eps) {
        DataType type = x.getDataType();
        NDArray f = x.toType(DataType.FLOAT32, false);
        NDArray variance = f.square().mean(new int[] {-1}, true);
        NDArray normed = f.div(Scalars.add(variance, eps).sqrt()).toType(type, false);
        return normed.mul(weight);
    }

    /** The (hd, hd) signed permutation R with x R = rotate_half(x) = (-x2, x1), on the device. */
    private NDArray rotateHalf(Device device) {
        if (rotation == null || !rotation.getDevice().equals(device)) {
            int hd = config().headDim();
            int half = hd / 2;
            float[] r = new float[hd * hd];
            for (int j = 0; j < half; j++) {
                r[(j + half) * hd + j] = -1f; // output j takes -x[j + half]
                r[j * hd + j + half] = 1f; // output j + half takes x[j]
            }
            rotation = embed.getArray()
                    .getManager()
                    .create(r, new Shape(hd, hd))
                    .toType(embed.getArray().getDataType(), false)
                    .toDevice(device, false);
        }
        return rotation;
    }

    private NDArray frequencies(Device device) {
        if (frequencies == null || !frequencies.getDevice().equals(device)) {
            frequencies =
                    embed.getArray().getManager().create(inverseFrequencies).toDevice(device, false);
        }
        return frequencies;
    }
}
