package ai.goldkd.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import ai.goldkd.nd.Scalars;

/**
 * Next-token cross-entropy, averaged over the positions whose label is not {@link SequenceBatches#IGNORE}:
 *
 * <pre>  L = -(1/N) sum_{(b,t): y_bt != -100} log softmax(z_bt)[y_bt]</pre>
 *
 * <p>Shapes: labels {@code [y (B, T)]}, predictions {@code [z (B, T, V)]}.
 */
public final class TokenCrossEntropy extends Loss {

    /** Creates the loss, named {@code token_ce}. */
    public TokenCrossEntropy() {
        super("token_ce");
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray logits = predictions.get(0);                                  // (B, T, V)
        NDArray targets = labels.get(0);                                      // (B, T)
        NDArray keep = targets.neq(SequenceBatches.IGNORE);                    // (B, T) bool
        NDArray safe = targets.mul(keep.toType(targets.getDataType(), false)); // ignored -> id 0
        NDArray logp = logits.logSoftmax(-1)
                .gather(safe.expandDims(-1), -1).squeeze(-1);                  // (B, T)
        NDArray weights = keep.toType(logp.getDataType(), false);
        NDArray count = Scalars.maximum(weights.sum(), 1f);
        return logp.mul(weights).sum().neg().div(count);
    }
}
