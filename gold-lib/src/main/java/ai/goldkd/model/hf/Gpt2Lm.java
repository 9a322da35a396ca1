package ai.goldkd.model.hf;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.goldkd.model.KvCache;
import ai.goldkd.nd.Scalars;

import java.util.ArrayList;
import java.util.List;

/**
 * GPT-2 as transformers' {@code modeling_gpt2} computes it: token and learned position embeddings,
 * pre-LayerNorm layers whose Conv1D weights are stored (in, out) so {@code y = x W + b}, a fused
 * {@code c_attn} split into q, k, v, a {@code gelu_new} (or exact {@code gelu}) MLP, a final LayerNorm
 * and the head tied to {@code wte}. Parameters carry the official checkpoints' names ({@code h.N.attn.c_attn.weight},
 * no {@code transformer.} prefix; {@link HfLoader} reads either form).
 */
public final class Gpt2Lm extends HfDecoder {

    private final Parameter wte;
    private final Parameter wpe;
    private final Parameter lnfWeight;
    private final Parameter lnfBias;
    private final Parameter head;
    private final List<Parameter[]> layers = new ArrayList<>();

    /**
     * Declares the parameters of a config; {@link HfLoader} fills them from the weights.
     *
     * @param config a gpt2 config
     */
    public Gpt2Lm(HfConfig config) {
        super(config);
        if (config.family() != Family.GPT2) {
            throw new IllegalArgumentException(config.family() + " is not GPT-2");
        }
        int d = config.dim();
        int m = config.mlpDim();
        wte = declare("wte.weight", Parameter.Type.WEIGHT, config.vocab(), d);
        // The table keeps every position the checkpoint has, even when a shorter context was asked.
        wpe = declare(
                "wpe.weight",
                Parameter.Type.WEIGHT,
                config.json().get("n_positions").getAsInt(),
                d);
        for (int i = 0; i < config.layers(); i++) {
            String p = "h." + i + ".";
            layers.add(new Parameter[] {
                declare(p + "ln_1.weight", Parameter.Type.GAMMA, d),
                declare(p + "ln_1.bias", Parameter.Type.BETA, d),
                declare(p + "attn.c_attn.weight", Parameter.Type.WEIGHT, d, 3L * d),
                declare(p + "attn.c_attn.bias", Parameter.Type.BIAS, 3L * d),
                declare(p + "attn.c_proj.weight", Parameter.Type.WEIGHT, d, d),
                declare(p + "attn.c_proj.bias", Parameter.Type.BIAS, d),
                declare(p + "ln_2.weight", Parameter.Type.GAMMA, d),
                declare(p + "ln_2.bias", Parameter.Type.BETA, d),
                declare(p + "mlp.c_fc.weight", Parameter.Type.WEIGHT, d, m),
                declare(p + "mlp.c_fc.bias", Parameter.Type.BIAS, m),
                declare(p + "mlp.c_proj.weight", Parameter.Type.WEIGHT, m, d),
                declare(p + "mlp.c_proj.bias", Parameter.Type.BIAS, d)
            });
        }
        lnfWeight = declare("ln_f.weight", Parameter.Type.GAMMA, d);
        lnfBias = declare("ln_f.bias", Parameter.Type.BETA, d);
        head = config.tiedHead() ? wte : declare("lm_head.weight", Parameter.Type.WEIGHT, config.vocab(), d);
    }

    @Override
    boolean ignorable(String name) {
        // attn.bias / attn.masked_bias are the causal-mask buffers older checkpoints saved.
        return name.endsWith(".attn.bias")
                || name.endsWith(".attn.masked_bias")
                || (config().tiedHead() && name.equals("lm_head.weight"));
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
        int d = c.dim();
        NDArray x = Embedding.embedding(ids, v(ps, wte, device, training), SparseFormat.DENSE)
                .singletonOrThrow()
                .add(Embedding.embedding(positions, v(ps, wpe, device, training), SparseFormat.DENSE)
                        .singletonOrThrow());
        for (int i = 0; i < layers.size(); i++) {
            Parameter[] l = layers.get(i);
            NDArray h = layerNorm(ps, x, l[0], l[1], training);
            NDArray qkv = conv1d(ps, h, l[2], l[3], training); // (B, T, 3D)
            NDList parts = qkv.split(3, 2);
            NDArray q = heads(parts.get(0), b, t);
            NDArray k = heads(parts.get(1), b, t);
            NDArray val = heads(parts.get(2), b, t);
            if (cache != null) {
                NDArray[] kv = cache.append(i, k, val, x.getManager());
                k = kv[0];
                val = kv[1];
            }
            NDArray y = attend(q, k, val, mask, c.headDim());
            x = x.add(conv1d(ps, y, l[4], l[5], training));
            h = layerNorm(ps, x, l[6], l[7], training);
            NDArray fc = conv1d(ps, h, l[8], l[9], training);
            fc = c.activation().equals("gelu") ? Activation.gelu(fc) : geluNew(fc);
            x = x.add(conv1d(ps, fc, l[10], l[11], training));
        }
        return layerNorm(ps, x, lnfWeight, lnfBias, training);
    }

    private NDArray heads(NDArray x, long b, long t) {
        return x.reshape(b, t, config().heads(), config().headDim()).transpose(0, 2, 1, 3);
    }

    private NDArray layerNorm(ParameterStore ps, NDArray x, Parameter w, Parameter bias, boolean training) {
        Device device = x.getDevice();
        return LayerNorm.layerNorm(
                        x, new Shape(config().dim()), v(ps, w, device, training), v(ps, bias, device, training), (float)
                                config().normEps())
                .singletonOrThrow();
    }

    private static NDArray conv1d(ParameterStore ps, NDArray x, Parameter w, Parameter bias, boolean training) {
        Device device = x.getDevice();
        return x.matMul(v(ps, w, device, training)).add(v(ps, bias, device, training));
    }

    /** GPT-2's tanh GELU: 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))). */
    static NDArray geluNew(NDArray x) {
        NDArray inner = Scalars.mul(x.add(Scalars.mul(Scalars.pow(x, 3), 0.044715)), Math.sqrt(2.0 / Math.PI))
                .tanh();
        return Scalars.mul(x, 0.5).mul(Scalars.add(inner, 1.0));
    }

    private static NDArray v(ParameterStore ps, Parameter p, Device device, boolean training) {
        return ps.getValue(p, device, training);
    }
}
