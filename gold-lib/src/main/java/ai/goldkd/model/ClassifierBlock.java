package ai.goldkd.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** What every {@link Classifier} over a {@link CausalLm} shares: the backbone, initialisation, DJL's forward. */
abstract class ClassifierBlock extends AbstractBlock implements Classifier {

    private final CausalLm backbone;

    ClassifierBlock(TransformerConfig config) {
        this.backbone = addChildBlock("backbone", new CausalLm(config));
    }

    /** Initialises the parameters for inputs of the backbone's context length. */
    void initializeParameters(NDManager manager) {
        Shape input = new Shape(1, backbone.config().context());
        initialize(manager, DataType.FLOAT32, input, input);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        backbone.initialize(manager, dataType, inputShapes[0]);
    }

    @Override
    public CausalLm backbone() {
        return backbone;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(classLogits(ps, inputs.get(0), inputs.get(1), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), numClasses())};
    }
}
