package ai.goldkd.train.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import ai.goldkd.loss.ChunkedDivergence;
import ai.goldkd.loss.Divergence;
import ai.goldkd.loss.DivergenceLoss;
import ai.goldkd.loss.Reduction;
import ai.goldkd.train.CollectorLoss;
import ai.goldkd.train.SequenceBatches;
import ai.goldkd.train.TokenCrossEntropy;
import ai.goldkd.nd.Scalars;

/**
 * The loss of every regime, chosen by what the batch carries (labels from {@link DistillationBatches}):
 *
 * <pre>
 *   [y (B, T)]                               L = CE(y, q)                                    (SFT, SeqKD)
 *   [y (B, T), z_teacher (B, T, V)]           L = D = token-mean_{t: y_t != -100} Div(p_t || q_t)
 *   [y, z_teacher, advantage (B)]            L = D - w * mean_b( A_b * mean_{t in y_b} log q_s(y_bt) )
 * </pre>
 *
 * where p = softmax(z_teacher / T), q = softmax(z_student / T) at the KD temperature T, and q_s =
 * softmax(z_student / T_s) at the student's sampling temperature. The third line is GKD + RL (Agarwal et
 * al. 2024, eq. 5, maximise E[r] - alpha D) with a REINFORCE estimate: A_b = r_b - mean(r) over the batch
 * (a mean baseline), log-probabilities averaged over each completion's tokens; w is
 * {@link DistillationConfig#rewardWeight()}. The teacher's logits are constants.
 *
 * <p>Shapes: predictions {@code [z_student (B, T, V)]}. The last values are kept for the step metrics.
 * With a chunk size, the divergence is computed {@code chunkSize} positions at a time inside the step's
 * gradient collector ({@link ChunkedDivergence}): same value and gradient, bounded temporaries. Without
 * a reward term the divergence's gradient G with respect to the logits goes straight into the model's
 * backward pass ({@link ChunkedDivergence#backward}); with one, the step back-propagates
 * {@code sum(z * G)} together with the reward term.
 */
public final class DistillationLoss extends Loss implements CollectorLoss {

    private final DivergenceLoss divergence;
    private final TokenCrossEntropy crossEntropy = new TokenCrossEntropy();
    private final float rewardWeight;
    private final float samplingTemperature;
    private final ChunkedDivergence chunked;
    private double lastDivergence = Double.NaN;
    private double lastCrossEntropy = Double.NaN;

    /**
     * Creates the loss.
     *
     * @param divergence the per-token divergence
     * @param temperature the KD temperature, > 0
     * @param rewardWeight the weight w of the reward term, >= 0
     * @param samplingTemperature the student's sampling temperature T_s, > 0
     * @param chunkSize positions per chunk of the divergence; 0 computes it whole
     */
    public DistillationLoss(Divergence divergence, float temperature, float rewardWeight, float samplingTemperature,
            int chunkSize) {
        super("distillation");
        this.divergence = new DivergenceLoss(divergence, Reduction.tokenMean(), temperature, SequenceBatches.IGNORE);
        this.chunked = chunkSize > 0 ? new ChunkedDivergence(this.divergence, chunkSize) : null;
        this.rewardWeight = rewardWeight;
        this.samplingTemperature = samplingTemperature;
    }

    /**
     * The loss of a regime's config.
     *
     * @param config the config
     * @return the loss
     */
    public static DistillationLoss of(DistillationConfig config) {
        return new DistillationLoss(config.divergence().create(), config.temperature(), config.rewardWeight(),
                config.studentTemperature(), config.chunkSize());
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return evaluate(null, labels, predictions);
    }

    @Override
    public CollectorLoss.Value evaluate(GradientCollector collector, NDList labels, NDList predictions, float scale) {
        NDArray targets = labels.get(0);                                             // (B, T)
        boolean reward = labels.size() >= 3 && rewardWeight != 0f;
        if (chunked != null && labels.size() > 1 && !reward) {
            // the divergence is the whole loss: its gradient goes into the model now, without a surrogate
            NDArray logits = predictions.get(0);                                     // (B, T, V)
            NDArray value = chunked.backward(collector, logits, labels.get(1), targets, scale); // (), detached
            lastDivergence = value.getFloat();
            return new CollectorLoss.Value(value, true);
        }
        return new CollectorLoss.Value(evaluate(collector, labels, predictions), false);
    }

    /** The loss with a gradient for the caller to back-propagate; chunked inside a collector. */
    private NDArray evaluate(GradientCollector collector, NDList labels, NDList predictions) {
        NDArray logits = predictions.get(0);                                         // (B, T, V)
        NDArray targets = labels.get(0);                                             // (B, T)
        if (labels.size() == 1) {
            NDArray ce = crossEntropy.evaluate(labels, predictions);
            lastCrossEntropy = ce.getFloat();
            return ce;
        }
        NDArray d;
        if (chunked != null && collector != null) {
            ChunkedDivergence.LossAndGradient lg = chunked.valueAndGradient(collector, logits, labels.get(1), targets);
            NDArray surrogate = ChunkedDivergence.surrogate(logits, lg.gradient());   // gradient G, value not the loss
            d = surrogate.sub(surrogate.stopGradient()).add(lg.loss());              // value: the loss; gradient: G
        } else {
            d = divergence.compute(logits, labels.get(1), targets);                  // ()
        }
        lastDivergence = d.getFloat();
        if (labels.size() < 3 || rewardWeight == 0f) {
            return d;
        }
        NDArray advantage = labels.get(2);                                           // (B)
        NDArray keep = targets.neq(SequenceBatches.IGNORE);                           // (B, T)
        NDArray weights = keep.toType(logits.getDataType(), false);
        NDArray safe = targets.mul(keep.toType(targets.getDataType(), false));
        NDArray logq = Scalars.div(logits, samplingTemperature).logSoftmax(-1)
                .gather(safe.expandDims(-1), -1).squeeze(-1);                          // (B, T)
        NDArray perSequence = logq.mul(weights).sum(new int[] {1})
                .div(Scalars.maximum(weights.sum(new int[] {1}), 1f));                         // (B)
        NDArray reinforce = perSequence.mul(advantage).mean().neg();                  // ()
        return d.add(Scalars.mul(reinforce, rewardWeight));
    }

    /** The divergence of the last batch that had a teacher, NaN before any. */
    public double lastDivergence() {
        return lastDivergence;
    }

    /** The cross-entropy of the last batch without a teacher, NaN before any. */
    public double lastCrossEntropy() {
        return lastCrossEntropy;
    }
}
