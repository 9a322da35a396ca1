package ai.goldkd.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.goldkd.nd.Scalars;

/**
 * A classifier head over the mean of a transformer's final hidden states (padding excluded):
 * {@code logits = W mean_t(h_t) + b}.
 */
public final class PooledClassifier extends ClassifierBlock {

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
        super(config);
        if (classes < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + classes);
        }
        this.classes = classes;
        this.weight = addParameter(DecoderLayer.weight("cls_weight", new Shape(classes, config.dim()), 0.02f));
        this.bias = addParameter(DecoderLayer.norm("cls_bias", Parameter.Type.BIAS, classes));
    }

    @Override
    public NDArray classLogits(ParameterStore ps, NDArray ids, NDArray mask, boolean training) {
        Device device = ids.getDevice();
        NDArray hidden = backbone().hidden(ps, ids, mask, training); // (B, T, D)
        NDArray m = mask.toType(DataType.FLOAT32, false).expandDims(-1); // (B, T, 1)
        NDArray pooled = hidden.mul(m).sum(new int[] {1}).div(Scalars.maximum(m.sum(new int[] {1}), 1f)); // (B, D)
        return Linear.linear(pooled, ps.getValue(weight, device, training), ps.getValue(bias, device, training))
                .singletonOrThrow(); // (B, K)
    }

    /**
     * Initialises the parameters.
     *
     * @param manager where they live
     * @return this classifier
     */
    public PooledClassifier initialize(NDManager manager) {
        initializeParameters(manager);
        return this;
    }

    @Override
    public int numClasses() {
        return classes;
    }
}
