package ai.goldkd.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import ai.goldkd.nd.Scalars;

/**
 * One pre-LayerNorm transformer layer: {@code x + attn(ln1(x))}, then {@code x + mlp(ln2(x))}, with
 * causal multi-head self-attention and a GELU MLP.
 */
final class DecoderLayer extends AbstractBlock {

    private static final float EPS = 1e-5f;

    private final TransformerConfig config;
    private final Parameter ln1Gamma;
    private final Parameter ln1Beta;
    private final Parameter qkvWeight;
    private final Parameter qkvBias;
    private final Parameter projWeight;
    private final Parameter projBias;
    private final Parameter ln2Gamma;
    private final Parameter ln2Beta;
    private final Parameter fcWeight;
    private final Parameter fcBias;
    private final Parameter outWeight;
    private final Parameter outBias;

    DecoderLayer(TransformerConfig config) {
        this.config = config;
        int d = config.dim();
        int m = config.mlpDim();
        // GPT-2's initialisation: N(0, 0.02), residual projections scaled by 1/sqrt(2 * layers).
        float residualStd = 0.02f / (float) Math.sqrt(2.0 * config.layers());
        ln1Gamma = addParameter(norm("ln1_gamma", Parameter.Type.GAMMA, d));
        ln1Beta = addParameter(norm("ln1_beta", Parameter.Type.BETA, d));
        qkvWeight = addParameter(weight("qkv_weight", new Shape(3L * d, d), 0.02f));
        qkvBias = addParameter(norm("qkv_bias", Parameter.Type.BIAS, 3 * d));
        projWeight = addParameter(weight("proj_weight", new Shape(d, d), residualStd));
        projBias = addParameter(norm("proj_bias", Parameter.Type.BIAS, d));
        ln2Gamma = addParameter(norm("ln2_gamma", Parameter.Type.GAMMA, d));
        ln2Beta = addParameter(norm("ln2_beta", Parameter.Type.BETA, d));
        fcWeight = addParameter(weight("fc_weight", new Shape(m, d), 0.02f));
        fcBias = addParameter(norm("fc_bias", Parameter.Type.BIAS, m));
        outWeight = addParameter(weight("out_weight", new Shape(d, m), residualStd));
        outBias = addParameter(norm("out_bias", Parameter.Type.BIAS, d));
    }

    static Parameter weight(String name, Shape shape, float std) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.WEIGHT)
                .optShape(shape)
                .optInitializer(new NormalInitializer(std))
                .build();
    }

    static Parameter norm(String name, Parameter.Type type, int size) {
        return Parameter.builder()
                .setName(name)
                .setType(type)
                .optShape(new Shape(size))
                .build();
    }

    /**
     * Runs the layer.
     *
     * @param ps the parameter store
     * @param x (B, T, D) the residual stream
     * @param rotary cos and sin (B, 1, T, hd/2) for rotary positions, or null
     * @param mask additive attention mask broadcastable to (B, H, T, Tk), or null for none
     * @param cache the KV cache, or null
     * @param index this layer's index in the cache
     * @param training whether dropout is on
     * @return (B, T, D) the new residual stream
     */
    NDArray forward(
            ParameterStore ps, NDArray x, NDArray[] rotary, NDArray mask, KvCache cache, int index, boolean training) {
        Device device = x.getDevice();
        Shape shape = x.getShape();
        long b = shape.get(0);
        long t = shape.get(1);
        int h = config.heads();
        int hd = config.headDim();

        NDArray normed = LayerNorm.layerNorm(
                        x,
                        new Shape(config.dim()),
                        ps.getValue(ln1Gamma, device, training),
                        ps.getValue(ln1Beta, device, training),
                        EPS)
                .singletonOrThrow();
        NDArray qkv = Linear.linear(
                        normed, ps.getValue(qkvWeight, device, training), ps.getValue(qkvBias, device, training))
                .singletonOrThrow(); // (B, T, 3D)
        NDList parts = qkv.reshape(b, t, 3, h, hd).transpose(2, 0, 3, 1, 4).split(3); // 3 x (1, B, H, T, hd)
        NDArray q = parts.get(0).squeeze(0); // (B, H, T, hd)
        NDArray k = parts.get(1).squeeze(0);
        NDArray v = parts.get(2).squeeze(0);
        if (rotary != null) {
            q = Rotary.apply(q, rotary[0], rotary[1]);
            k = Rotary.apply(k, rotary[0], rotary[1]);
        }
        if (cache != null) {
            NDArray[] kv = cache.append(index, k, v, x.getManager());
            k = kv[0]; // (B, H, Tk, hd)
            v = kv[1];
        }
        NDArray scores = Scalars.muli(q.matMul(k.transpose(0, 1, 3, 2)), 1.0 / Math.sqrt(hd)); // (B, H, T, Tk)
        if (mask != null) {
            scores = scores.addi(mask);
        }
        NDArray attention = scores.softmax(-1);
        if (training && config.dropout() > 0) {
            attention = Dropout.dropout(attention, config.dropout(), true).singletonOrThrow();
        }
        NDArray y = attention.matMul(v).transpose(0, 2, 1, 3).reshape(b, t, config.dim()); // (B, T, D)
        y = Linear.linear(y, ps.getValue(projWeight, device, training), ps.getValue(projBias, device, training))
                .singletonOrThrow();
        x = x.add(dropout(y, training));

        normed = LayerNorm.layerNorm(
                        x,
                        new Shape(config.dim()),
                        ps.getValue(ln2Gamma, device, training),
                        ps.getValue(ln2Beta, device, training),
                        EPS)
                .singletonOrThrow();
        NDArray hidden = Linear.linear(
                        normed, ps.getValue(fcWeight, device, training), ps.getValue(fcBias, device, training))
                .singletonOrThrow(); // (B, T, M)
        hidden = Activation.gelu(hidden);
        NDArray out = Linear.linear(
                        hidden, ps.getValue(outWeight, device, training), ps.getValue(outBias, device, training))
                .singletonOrThrow(); // (B, T, D)
        return x.add(dropout(out, training));
    }

    private NDArray dropout(NDArray y, boolean training) {
        if (!training || config.dropout() == 0f) {
            return y;
        }
        return Dropout.dropout(y, config.dropout(), true).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.singletonOrThrow(), null, null, null, 0, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
