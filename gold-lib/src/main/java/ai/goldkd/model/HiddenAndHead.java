package ai.goldkd.model;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.goldkd.config.Devices;

/**
 * A language model as a block whose outputs are its last hidden states and its output head instead of
 * its logits: {@code [ids]} or {@code [ids, mask]} to {@code [hidden (B, T, D), head (V, D)]}. The
 * parameters are the model's own (this block has none), so training this block trains the model. A
 * fused head and divergence ({@link ai.goldkd.loss.FusedHeadDivergence}) reads these two and never
 * makes the (B, T, V) logits.
 */
public final class HiddenAndHead extends AbstractBlock {

    private final LanguageModel model;

    /**
     * Wraps a model.
     *
     * @param model the language model, initialised or loaded
     */
    public HiddenAndHead(LanguageModel model) {
        this.model = addChildBlock("model", model);
    }

    /**
     * A model (for a trainer) whose block is this view of {@code lm}, sharing its parameters: training
     * it trains {@code lm}. Close it when done; the language model stays open.
     *
     * @param name the model's name
     * @param lm the language model
     * @return the view
     */
    public static Model asModel(String name, LanguageModel lm) {
        Model view = Model.newInstance(name + "-fused", Devices.choose());
        view.setBlock(new HiddenAndHead(lm));
        return view;
    }

    /** The wrapped model. */
    public LanguageModel model() {
        return model;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.get(0);
        NDArray mask = inputs.size() > 1 ? inputs.get(1) : null;
        NDArray hidden = model.hidden(ps, ids, mask, training); // (B, T, D)
        NDArray head = model.head(ps, ids.getDevice(), training); // (V, D)
        return new NDList(hidden, head);
    }

    /** The model is initialised (or loaded) on its own: nothing to do here. */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {}

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(model.dim()), new Shape(model.vocab(), model.dim())};
    }
}
