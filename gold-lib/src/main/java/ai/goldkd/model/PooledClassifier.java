package ai.goldkd.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A classifier head over the mean of a transformer's final hidden states (padding excluded):
 * {@code logits = W mean_t(h_t) + b}.
 */
public final class PooledClassifier extends AbstractBlock implements Classifier {

    private final CausalLm backbone;
    private final int classes;
    private final Parameter weight;
    private final Parameter bias;

    /**
     * Creates an uninitialised classifier.
     *
     * @param config the transformer's shape
     * @param classes the number of classes, at least 2
     */
    public PooledClassifier(TransformerConfig config, int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + classes);
        }
        this.classes = classes;
        this.backbone = addChildBlock("backbone", new CausalLm(config));
        this.weight = addParameter(DecoderLayer.weight("cls_weight", new Shape(classes, config.dim()), 0.02f));
        this.bias = addParameter(DecoderLayer.norm("cls_bias", Parameter.Type.BIAS, classes));
    }

    /**
     * Initialises the parameters.
     *
     * @param manager where they live
     * @return this classifier
     */
    public PooledClassifier initialize(NDManager manager) {
        initialize(manager, DataType.FLOAT32, new Shape(1, backbone.config().context()),
                new Shape(1, backbone.config().context()));
        return this;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        backbone.initialize(manager, dataType, inputShapes[0]);
    }

    @Override
    public NDArray classLogits(ParameterStore ps, NDArray ids, NDArray mask, boolean training) {
        Device device = ids.getDevice();
        NDArray hidden = backbone.hidden(ps, ids, mask, training);                        // (B, T, D)
        NDArray m = mask.toType(DataType.FLOAT32, false).expandDims(-1);                  // (B, T, 1)
        NDArray pooled = hidden.mul(m).sum(new int[] {1}).div(m.sum(new int[] {1}).maximum(1f)); // (B, D)
        return Linear.linear(pooled, ps.getValue(weight, device, training), ps.getValue(bias, device, training))
                .singletonOrThrow();                                                       // (B, K)
    }

    @Override
    public int numClasses() {
        return classes;
    }

    @Override
    public CausalLm backbone() {
        return backbone;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(classLogits(ps, inputs.get(0), inputs.get(1), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), classes)};
    }
}
