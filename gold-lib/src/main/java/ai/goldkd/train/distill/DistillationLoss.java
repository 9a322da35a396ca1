package ai.goldkd.train.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import ai.goldkd.loss.ChunkedDivergence;
import ai.goldkd.loss.CrossEntropyLoss;
import ai.goldkd.loss.CrossTokenizerLoss;
import ai.goldkd.loss.Divergence;
import ai.goldkd.loss.DivergenceLoss;
import ai.goldkd.loss.FusedHeadCrossEntropy;
import ai.goldkd.loss.FusedHeadDivergence;
import ai.goldkd.loss.HybridCrossTokenizerLoss;
import ai.goldkd.loss.Reduction;
import ai.goldkd.loss.TopKDivergences;
import ai.goldkd.loss.VocabularyMatch;
import ai.goldkd.nd.Scalars;
import ai.goldkd.train.CollectorLoss;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The loss of every regime, chosen by what the batch's {@link KdLabels} carry (from
 * {@link DistillationBatches}):
 *
 * <pre>
 *   targets y (B, T)                          L = CE(y, q)                                    (SFT, SeqKD)
 *   + teacher logits z_teacher (B, T, V)      L = D = token-mean_{t: y_t != -100} Div(p_t || q_t)
 *   + advantage (B)                           L = D - w * mean_b( A_b * mean_{t in y_b} log q_s(y_bt) )
 * </pre>
 *
 * where p = softmax(z_teacher / T), q = softmax(z_student / T) at the KD temperature T, and q_s =
 * softmax(z_student / T_s) at the student's sampling temperature. The third line is GKD + RL (Agarwal et
 * al. 2024, eq. 5, maximise E[r] - alpha D) with a REINFORCE estimate: A_b = r_b - mean(r) over the batch
 * (a mean baseline), log-probabilities averaged over each completion's tokens; w is
 * {@link DistillationConfig#rewardWeight()}. The teacher's logits are constants.
 *
 * <p>Shapes: predictions {@code [z_student (B, T, V)]}. The loss keeps no state: {@link #terms} returns
 * the value with its parts, and the parts reach the training log through {@link CollectorLoss.Value#terms()}.
 * With a chunk size, the divergence is computed {@code chunkSize} positions at a time inside the step's
 * gradient collector ({@link ChunkedDivergence}): same value and gradient, bounded temporaries. Without
 * a reward term the divergence's gradient G with respect to the logits goes straight into the model's
 * backward pass ({@link ChunkedDivergence#backward}); with one, the step back-propagates
 * {@code sum(z * G)} together with the reward term.
 *
 * <p>From a {@link ai.goldkd.model.HiddenAndHead} student (predictions {@code [hidden (B, T, D), head (V, D)]},
 * {@link DistillationConfig#fusedHead()}) the divergence is {@link FusedHeadDivergence}: the same value and
 * gradients without the student's (B, T, V) logits.
 *
 * <p>With a top-k teacher ({@link KdLabels#teacherTopK()}) D is the same token mean of the
 * divergence's top-k form on the teacher's K tokens plus a tail bucket ({@link TopKDivergences#of}), computed
 * whole (no chunking: its temporaries are (B, T, K)); a divergence without a top-k form is refused.
 */
public final class DistillationLoss extends Loss implements CollectorLoss {

    private final DivergenceLoss divergence;
    private final CrossEntropyLoss crossEntropy = CrossEntropyLoss.tokenMean();
    private final float rewardWeight;
    private final float samplingTemperature;
    private final ChunkedDivergence chunked;
    private final TopKDivergences.TopKDivergence topK;
    private final String topKRefusal;
    private final float temperature;
    private final CrossTokenizerTerm crossTokenizer;
    private final FusedHeadDivergence fused;

    /** Why a top-k teacher and the fused head do not go together. */
    static final String TOP_K_FUSED = "a top-k teacher with fusedHead: the top-k divergence reads the student's"
            + " logits at the teacher's tokens; set \"fusedHead\": false";

    /** The divergence of one aligned sequence pair when teacher and student have their own vocabularies. */
    @FunctionalInterface
    public interface CrossTokenizerTerm {
        /**
         * The loss of one sequence.
         *
         * @param student (L_s, V_s) the student's logits predicting its output tokens
         * @param studentSide the student's output tokens and end offsets
         * @param teacher (L_t, V_t) the teacher's logits predicting its output tokens
         * @param teacherSide the teacher's output tokens and end offsets
         * @return a scalar
         */
        NDArray sequence(
                NDArray student,
                CrossTokenizerLabels.Side studentSide,
                NDArray teacher,
                CrossTokenizerLabels.Side teacherSide);
    }

    /**
     * One batch's loss and its parts.
     *
     * @param loss the scalar loss
     * @param backpropagated true when the loss has back-propagated itself (chunked, no reward term); then
     *     {@code loss} is detached
     * @param crossEntropy the cross-entropy (SFT, SeqKD), else NaN
     * @param divergence the token-mean divergence (token-level regimes), else NaN
     * @param rewardTerm the reward term {@code -w * mean_b(A_b * mean_t log q_s)} when a reward is on, else NaN
     */
    public record Terms(
            NDArray loss, boolean backpropagated, double crossEntropy, double divergence, double rewardTerm) {

        /** The parts that are present, by metric name: {@code cross_entropy}, {@code divergence}, {@code reward_term}. */
        public Map<String, Double> metrics() {
            Map<String, Double> m = new LinkedHashMap<>();
            if (!Double.isNaN(divergence)) {
                m.put("divergence", divergence);
            }
            if (!Double.isNaN(crossEntropy)) {
                m.put("cross_entropy", crossEntropy);
            }
            if (!Double.isNaN(rewardTerm)) {
                m.put("reward_term", rewardTerm);
            }
            return m;
        }
    }

    /**
     * Creates the loss.
     *
     * @param divergence the per-token divergence
     * @param temperature the KD temperature, > 0
     * @param rewardWeight the weight w of the reward term, >= 0
     * @param samplingTemperature the student's sampling temperature T_s, > 0
     * @param chunkSize positions per chunk of the divergence; 0 computes it whole
     */
    public DistillationLoss(
            Divergence divergence, float temperature, float rewardWeight, float samplingTemperature, int chunkSize) {
        super("distillation");
        this.divergence = new DivergenceLoss(divergence, Reduction.tokenMean(), temperature, Reduction.IGNORE_INDEX);
        this.chunked = chunkSize > 0 ? new ChunkedDivergence(this.divergence, chunkSize) : null;
        this.rewardWeight = rewardWeight;
        this.samplingTemperature = samplingTemperature;
        this.temperature = temperature;
        this.topK = null;
        this.topKRefusal = "this loss was made without a top-k divergence; make it with DistillationLoss.of(config)";
        this.crossTokenizer = null;
        this.fused = new FusedHeadDivergence(this.divergence, fusedChunk(chunkSize));
    }

    private DistillationLoss(DistillationConfig config) {
        super("distillation");
        this.divergence = new DivergenceLoss(
                config.divergence().create(), Reduction.tokenMean(), config.temperature(), Reduction.IGNORE_INDEX);
        this.chunked = config.chunkSize() > 0 ? new ChunkedDivergence(this.divergence, config.chunkSize()) : null;
        this.rewardWeight = config.rewardWeight();
        this.samplingTemperature = config.studentTemperature();
        this.temperature = config.temperature();
        TopKDivergences.TopKDivergence top = null;
        String refusal = null;
        try {
            top = TopKDivergences.of(config.divergence());
        } catch (IllegalArgumentException e) {
            refusal = e.getMessage();
        }
        this.topK = top;
        this.topKRefusal = refusal;
        this.crossTokenizer = null;
        this.fused = new FusedHeadDivergence(this.divergence, fusedChunk(config.chunkSize()));
    }

    /**
     * A loss on batches whose teacher has its own vocabulary ({@link CrossTokenizerLabels}): the mean
     * over sequences of {@code term}, sequences without output text left out.
     *
     * @param term the per-sequence divergence ({@link ai.goldkd.loss.HybridCrossTokenizerLoss} or
     *     {@link ai.goldkd.loss.CrossTokenizerLoss})
     */
    public DistillationLoss(CrossTokenizerTerm term) {
        super("distillation");
        this.divergence = null;
        this.chunked = null;
        this.rewardWeight = 0f;
        this.samplingTemperature = 1f;
        this.temperature = 1f;
        this.topK = null;
        this.topKRefusal = "a cross-tokenizer loss has no top-k form; give the teacher the student's tokenizer";
        this.crossTokenizer = term;
        this.fused = null;
    }

    /**
     * The loss of a regime's config.
     *
     * @param config the config
     * @return the loss
     */
    public static DistillationLoss of(DistillationConfig config) {
        if (config.crossTokenizer() != CrossTokenizer.OFF) {
            throw new IllegalArgumentException(
                    "crossTokenizer " + config.crossTokenizer().label() + " needs the two"
                            + " vocabularies; build the loss with DistillationLoss.crossTokenizer(config, match)");
        }
        return new DistillationLoss(config);
    }

    /**
     * The cross-tokenizer loss of a config whose {@code crossTokenizer} is uld or hybrid.
     *
     * @param config the config (its divergence compares the shared tokens of hybrid; its temperature both sides)
     * @param match the tokens the two vocabularies share (hybrid)
     * @return the loss
     */
    public static DistillationLoss crossTokenizer(DistillationConfig config, VocabularyMatch match) {
        float t = config.temperature();
        return switch (config.crossTokenizer()) {
            case ULD -> {
                CrossTokenizerLoss uld = new CrossTokenizerLoss(t, t);
                yield new DistillationLoss(
                        (z, s, p, q) -> uld.sequence(z, s.tokens(), s.ends(), p, q.tokens(), q.ends()));
            }
            case HYBRID -> {
                HybridCrossTokenizerLoss hybrid =
                        new HybridCrossTokenizerLoss(config.divergence().create(), t, t, Float.NaN);
                yield new DistillationLoss(
                        (z, s, p, q) -> hybrid.sequence(z, s.tokens(), s.ends(), p, q.tokens(), q.ends(), match));
            }
            case OFF -> of(config);
        };
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray logits = logits(predictions);
        return crossTokenizer != null
                ? crossTerms(CrossTokenizerLabels.from(labels), logits).loss()
                : terms(null, KdLabels.from(labels), logits, 1f).loss();
    }

    @Override
    public CollectorLoss.Value evaluate(GradientCollector collector, NDList labels, NDList predictions, float scale) {
        Terms t;
        if (crossTokenizer != null) {
            t = crossTerms(CrossTokenizerLabels.from(labels), logits(predictions));
        } else if (predictions.size() == 2) {
            t = fusedTerms(collector, KdLabels.from(labels), predictions.get(0), predictions.get(1), scale);
        } else {
            t = terms(collector, KdLabels.from(labels), predictions.get(0), scale);
        }
        return new CollectorLoss.Value(t.loss(), t.backpropagated(), t.metrics());
    }

    /**
     * The student's logits from a model's outputs: {@code [logits (B, T, V)]}, or
     * {@code [hidden (B, T, D), head (V, D)]} from a {@link ai.goldkd.model.HiddenAndHead} (then made here).
     *
     * @param predictions the outputs
     * @return (B, T, V)
     */
    public static NDArray logits(NDList predictions) {
        return predictions.size() == 2
                ? Linear.linear(predictions.get(0), predictions.get(1)).singletonOrThrow()
                : predictions.get(0);
    }

    /**
     * One batch's loss from the student's last hidden states and head ({@link FusedHeadDivergence}): with a
     * teacher, the divergence chunk by chunk, back-propagated here, no (B, T, V) student logits; without one
     * (SFT, SeqKD), the cross-entropy fused the same way ({@link FusedHeadCrossEntropy}).
     *
     * @param collector the step's gradient collector
     * @param labels the batch's labels
     * @param hidden (B, T, D) the student's last hidden states
     * @param head (V, D) the student's head
     * @param scale the gradient's factor (1 / micro-batches)
     * @return the loss and its parts
     */
    public Terms fusedTerms(GradientCollector collector, KdLabels labels, NDArray hidden, NDArray head, float scale) {
        if (!labels.hasTeacher()) { // SFT, SeqKD: the fused cross-entropy, back-propagated here
            NDArray ce = FusedHeadCrossEntropy.tokenMean(fused.chunkSize()) // crossEntropy, fused
                    .backward(collector, hidden, head, labels.targets(), scale); // ()
            return new Terms(ce, true, ce.getFloat(), Double.NaN, Double.NaN);
        }
        if (labels.teacherTopK() != null) {
            throw new IllegalArgumentException(TOP_K_FUSED);
        }
        if (labels.advantage() != null && rewardWeight != 0f) {
            throw new IllegalArgumentException("a reward term with fusedHead: it reads the student's logits; set"
                    + " fusedHead to false or rewardWeight to 0");
        }
        NDArray value = fused.backward(
                collector,
                hidden,
                head,
                labels.teacherHidden() != null
                        ? FusedHeadDivergence.TeacherRows.ofHead(labels.teacherHidden(), labels.teacherHead())
                        : FusedHeadDivergence.TeacherRows.ofLogits(labels.teacherLogits()),
                labels.targets(),
                scale); // (), detached
        return new Terms(value, true, Double.NaN, value.getFloat(), Double.NaN);
    }

    /** Positions per chunk of the fused head: the config's chunk size, or 256 when it is 0 (whole). */
    private static int fusedChunk(int chunkSize) {
        return chunkSize > 0 ? chunkSize : 256;
    }

    /** The mean over sequences of the cross-tokenizer term, on each side's output rows. */
    private Terms crossTerms(CrossTokenizerLabels labels, NDArray logits) {
        List<CrossTokenizerLabels.Side> students = CrossTokenizerLabels.sides(labels.student());
        List<CrossTokenizerLabels.Side> teachers = CrossTokenizerLabels.sides(labels.teacher());
        NDArray sum = null;
        int counted = 0;
        for (int b = 0; b < students.size(); b++) {
            CrossTokenizerLabels.Side s = students.get(b);
            CrossTokenizerLabels.Side t = teachers.get(b);
            if (s.tokens().length == 0 || t.tokens().length == 0) {
                continue;
            }
            NDArray z = logits.get(b + ", " + s.start() + ":" + (s.start() + s.tokens().length)); // (L_s, V_s)
            NDArray p = labels.teacherLogits().get(b + ", " + t.start() + ":" + (t.start() + t.tokens().length));
            NDArray value = crossTokenizer.sequence(z, s, p, t);
            sum = sum == null ? value : sum.add(value);
            counted++;
        }
        if (sum == null) {
            NDArray zero = logits.sum().mul(0); // no output text: no signal
            return new Terms(zero, false, Double.NaN, 0, Double.NaN);
        }
        NDArray d = Scalars.div(sum, counted);
        return new Terms(d, false, Double.NaN, d.getFloat(), Double.NaN);
    }

    /**
     * One batch's loss and its parts.
     *
     * @param collector the step's gradient collector, or null outside one (then nothing is chunked)
     * @param labels the batch's labels
     * @param logits (B, T, V) the student's logits
     * @param scale the factor of the gradient when the loss back-propagates itself (1 / micro-batches)
     * @return the loss and its parts
     */
    public Terms terms(GradientCollector collector, KdLabels labels, NDArray logits, float scale) {
        if (labels.teacherHidden() != null) { // a fused batch read with the student's logits: make the teacher's
            NDArray z = labels.teacherHidden().matMul(labels.teacherHead().transpose()); // (B, T, V)
            labels = new KdLabels(labels.targets(), z, null);
        }
        NDArray targets = labels.targets(); // (B, T)
        if (!labels.hasTeacher()) {
            NDArray ce = crossEntropy.compute(logits, targets); // ()
            return new Terms(ce, false, ce.getFloat(), Double.NaN, Double.NaN);
        }
        boolean reward = labels.advantage() != null && rewardWeight != 0f;
        if (labels.teacherTopK() != null) {
            if (topK == null) {
                throw new IllegalArgumentException(topKRefusal);
            }
            NDArray perToken = topK.perToken(logits, labels.teacherTopK(), temperature); // (B, T)
            NDArray top = Reduction.tokenMean().applyWithLabels(perToken, targets, Reduction.IGNORE_INDEX); // ()
            double value = top.getFloat();
            if (!reward) {
                return new Terms(top, false, Double.NaN, value, Double.NaN);
            }
            NDArray term = rewardTerm(logits, targets, labels.advantage());
            return new Terms(top.add(term), false, Double.NaN, value, term.getFloat());
        }
        if (chunked != null && collector != null && !reward) {
            // the divergence is the whole loss: its gradient goes into the model now, without a surrogate
            NDArray value = chunked.backward(collector, logits, labels.teacherLogits(), targets, scale); // (), detached
            return new Terms(value, true, Double.NaN, value.getFloat(), Double.NaN);
        }
        NDArray d;
        if (chunked != null && collector != null) {
            ChunkedDivergence.LossAndGradient lg =
                    chunked.valueAndGradient(collector, logits, labels.teacherLogits(), targets);
            NDArray surrogate = ChunkedDivergence.surrogate(logits, lg.gradient()); // gradient G, value not the loss
            d = surrogate.sub(surrogate.stopGradient()).add(lg.loss()); // value: the loss; gradient: G
        } else {
            d = divergence.compute(logits, labels.teacherLogits(), targets); // ()
        }
        double dValue = d.getFloat();
        if (!reward) {
            return new Terms(d, false, Double.NaN, dValue, Double.NaN);
        }
        NDArray term = rewardTerm(logits, targets, labels.advantage()); // ()
        return new Terms(d.add(term), false, Double.NaN, dValue, term.getFloat());
    }

    /** -w * mean_b(A_b * mean_{t in y_b} log q_s(y_bt)), with gradient into the logits. */
    private NDArray rewardTerm(NDArray logits, NDArray targets, NDArray advantage) {
        NDArray keep = targets.neq(Reduction.IGNORE_INDEX); // (B, T)
        NDArray weights = keep.toType(logits.getDataType(), false);
        NDArray safe = targets.mul(keep.toType(targets.getDataType(), false));
        NDArray logq = Scalars.div(logits, samplingTemperature)
                .logSoftmax(-1)
                .gather(safe.expandDims(-1), -1)
                .squeeze(-1); // (B, T)
        NDArray perSequence =
                logq.mul(weights).sum(new int[] {1}).div(Scalars.maximum(weights.sum(new int[] {1}), 1f)); // (B)
        NDArray reinforce = perSequence.mul(advantage).mean().neg(); // ()
        return Scalars.mul(reinforce, rewardWeight);
    }
}
