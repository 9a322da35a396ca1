package ai.goldkd.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import ai.goldkd.loss.CrossEntropyLoss;
import ai.goldkd.loss.FusedHeadCrossEntropy;

import java.util.Map;

/**
 * The next-token cross-entropy of a language model trained through its hidden states and head
 * ({@link ai.goldkd.model.HiddenAndHead}: {@code predictions = [hidden (B, T, D), head (V, D)]},
 * {@code labels = [y (B, T)]}), with {@link FusedHeadCrossEntropy}: the training step never makes the
 * (B, T, V) logits, and the loss back-propagates itself chunk by chunk. The value is
 * {@link ai.goldkd.loss.CrossEntropyLoss#tokenMean()}'s; the gradients are the same up to float32
 * summation order, so a run's curve matches the logits path closely but not bit for bit.
 */
public final class FusedLmLoss extends Loss implements CollectorLoss {

    private final FusedHeadCrossEntropy loss;

    /**
     * Creates the loss.
     *
     * @param chunkSize positions per chunk of the head, > 0 (256 is a good start for a 8k-32k vocabulary)
     */
    public FusedLmLoss(int chunkSize) {
        super("token_ce");
        this.loss = FusedHeadCrossEntropy.tokenMean(chunkSize);
    }

    /**
     * The training loss of a language model: the fused head's at {@code chunkSize} positions per chunk, or
     * the plain cross-entropy of the logits when {@code chunkSize} is 0.
     *
     * @param chunkSize positions per chunk of a fused head, 0 for none
     * @return the loss
     */
    public static Loss orLogits(int chunkSize) {
        if (chunkSize < 0) {
            throw new IllegalArgumentException(
                    "fused head chunk = " + chunkSize + " must be >= 0 (0 computes the logits whole); try 256");
        }
        return chunkSize == 0 ? CrossEntropyLoss.tokenMean() : new FusedLmLoss(chunkSize);
    }

    /** Positions per chunk. */
    public int chunkSize() {
        return loss.chunkSize();
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        checkPredictions(predictions);
        return loss.value(predictions.get(0), predictions.get(1), labels.singletonOrThrow());
    }

    @Override
    public Value evaluate(GradientCollector collector, NDList labels, NDList predictions, float scale) {
        checkPredictions(predictions);
        NDArray value =
                loss.backward(collector, predictions.get(0), predictions.get(1), labels.singletonOrThrow(), scale);
        return new Value(value, true, Map.of());
    }

    private static void checkPredictions(NDList predictions) {
        if (predictions.size() != 2) {
            throw new IllegalArgumentException("the fused head needs [hidden, head] from a HiddenAndHead view, got "
                    + predictions.size() + " output(s); train the model through HiddenAndHead.asModel");
        }
    }
}
