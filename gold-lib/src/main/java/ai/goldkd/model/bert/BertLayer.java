package ai.goldkd.model.bert;

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
import ai.djl.util.PairList;
import ai.goldkd.nd.Scalars;

import java.util.Map;

/**
 * One post-LayerNorm BERT layer, as Hugging Face's BertLayer computes it:
 *
 * <pre>
 *   a = LN(x + dense(attention(x)))          BertSelfAttention, BertSelfOutput
 *   y = LN(a + out(gelu(inter(a))))          BertIntermediate, BertOutput (gelu: the erf form)
 * </pre>
 *
 * Parameters carry the checkpoint's names under {@code encoder.layer.N.}, so loading and saving are a
 * lookup by name.
 */
final class BertLayer extends AbstractBlock {

    private final BertConfig config;
    private final Parameter query;
    private final Parameter queryBias;
    private final Parameter key;
    private final Parameter keyBias;
    private final Parameter value;
    private final Parameter valueBias;
    private final Parameter attnOut;
    private final Parameter attnOutBias;
    private final Parameter attnNorm;
    private final Parameter attnNormBias;
    private final Parameter inter;
    private final Parameter interBias;
    private final Parameter out;
    private final Parameter outBias;
    private final Parameter outNorm;
    private final Parameter outNormBias;

    BertLayer(BertConfig config, int index, Map<String, Parameter> named, Map<String, Shape> shapes) {
        this.config = config;
        String p = "encoder.layer." + index + ".";
        long d = config.hiddenSize();
        long m = config.intermediateSize();
        query = param(named, shapes, p + "attention.self.query.weight", new Shape(d, d));
        queryBias = param(named, shapes, p + "attention.self.query.bias", new Shape(d));
        key = param(named, shapes, p + "attention.self.key.weight", new Shape(d, d));
        keyBias = param(named, shapes, p + "attention.self.key.bias", new Shape(d));
        value = param(named, shapes, p + "attention.self.value.weight", new Shape(d, d));
        valueBias = param(named, shapes, p + "attention.self.value.bias", new Shape(d));
        attnOut = param(named, shapes, p + "attention.output.dense.weight", new Shape(d, d));
        attnOutBias = param(named, shapes, p + "attention.output.dense.bias", new Shape(d));
        attnNorm = param(named, shapes, p + "attention.output.LayerNorm.weight", new Shape(d));
        attnNormBias = param(named, shapes, p + "attention.output.LayerNorm.bias", new Shape(d));
        inter = param(named, shapes, p + "intermediate.dense.weight", new Shape(m, d));
        interBias = param(named, shapes, p + "intermediate.dense.bias", new Shape(m));
        out = param(named, shapes, p + "output.dense.weight", new Shape(d, m));
        outBias = param(named, shapes, p + "output.dense.bias", new Shape(d));
        outNorm = param(named, shapes, p + "output.LayerNorm.weight", new Shape(d));
        outNormBias = param(named, shapes, p + "output.LayerNorm.bias", new Shape(d));
    }

    private Parameter param(Map<String, Parameter> named, Map<String, Shape> shapes, String name, Shape shape) {
        Parameter parameter = addParameter(BertEncoder.parameter(name));
        named.put(name, parameter);
        shapes.put(name, shape);
        return parameter;
    }

    /**
     * Runs the layer.
     *
     * @param ps the parameter store
     * @param x (B, T, D) hidden states
     * @param mask (B, 1, 1, T) additive key mask: 0 for real tokens, a large negative number for padding
     * @param training whether dropout is on
     * @return (B, T, D)
     */
    NDArray forward(ParameterStore ps, NDArray x, NDArray mask, boolean training) {
        Device device = x.getDevice();
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        int h = config.heads();
        int hd = config.headDim();
        NDArray q = heads(linear(ps, x, query, queryBias, training), b, t); // (B, H, T, hd)
        NDArray k = heads(linear(ps, x, key, keyBias, training), b, t);
        NDArray v = heads(linear(ps, x, value, valueBias, training), b, t);
        NDArray scores =
                Scalars.div(q.matMul(k.transpose(0, 1, 3, 2)), Math.sqrt(hd)).add(mask); // (B, H, T, T)
        NDArray probs = dropout(scores.softmax(-1), config.attentionDropout(), training);
        NDArray context = probs.matMul(v).transpose(0, 2, 1, 3).reshape(b, t, (long) h * hd); // (B, T, D)
        NDArray attended =
                dropout(linear(ps, context, attnOut, attnOutBias, training), config.hiddenDropout(), training);
        NDArray a = norm(ps, attended.add(x), attnNorm, attnNormBias, training, device); // (B, T, D)
        NDArray hidden = Activation.gelu(linear(ps, a, inter, interBias, training)); // (B, T, M)
        NDArray y = dropout(linear(ps, hidden, out, outBias, training), config.hiddenDropout(), training);
        return norm(ps, y.add(a), outNorm, outNormBias, training, device); // (B, T, D)
    }

    private NDArray heads(NDArray y, long b, long t) {
        return y.reshape(b, t, config.heads(), config.headDim()).transpose(0, 2, 1, 3);
    }

    private static NDArray linear(ParameterStore ps, NDArray x, Parameter weight, Parameter bias, boolean training) {
        Device device = x.getDevice();
        return Linear.linear(x, ps.getValue(weight, device, training), ps.getValue(bias, device, training))
                .singletonOrThrow();
    }

    private NDArray norm(
            ParameterStore ps, NDArray x, Parameter gamma, Parameter beta, boolean training, Device device) {
        return LayerNorm.layerNorm(
                        x,
                        new Shape(config.hiddenSize()),
                        ps.getValue(gamma, device, training),
                        ps.getValue(beta, device, training),
                        config.layerNormEps())
                .singletonOrThrow();
    }

    static NDArray dropout(NDArray x, float rate, boolean training) {
        return training && rate > 0f ? Dropout.dropout(x, rate, true).singletonOrThrow() : x;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.get(0), inputs.get(1), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
