package ai.goldkd.train.distill;

import ai.goldkd.loss.DivergenceSpec;
import ai.goldkd.train.TrainConfig;

import java.util.function.Consumer;

/**
 * The settings of one distillation run: the regime, the divergence and the on-policy sampling ({@link DistillationJson}).
 *
 * @param regime what the student trains on
 * @param lambda GKD's on-policy fraction in [0, 1]: the probability that a step trains on student
 *     samples ({@link Regime#ON_POLICY} only; supervised KD is lambda 0)
 * @param divergence the per-token divergence of the token-level regimes, as data ({@link DivergenceSpec#create()})
 * @param temperature divides both logits inside the divergence (KD temperature), > 0
 * @param studentTemperature the student's sampling temperature for on-policy and replayed outputs,
 *     > 0 (the GKD paper uses 1, TRL 0.9)
 * @param maxNewTokens the longest student or teacher generation, >= 1
 * @param teacherTemperature SeqKD's teacher decoding: 0 for greedy, else the sampling temperature
 * @param train the optimizer, schedule, batch and step settings
 * @param chunkSize positions per chunk of the training divergence ({@link ai.goldkd.loss.ChunkedDivergence}:
 *     same value and gradient, one chunk's temporaries at a time; docs/benchmarks.md); 0 computes it whole
 * @param bufferSize the replay buffer's capacity in sequences (DistiLLM: 1000), >= batch size for
 *     {@link Regime#ADAPTIVE_OFF_POLICY}
 * @param adaptive DistiLLM's schedule parameters
 * @param rewardWeight the weight of the REINFORCE reward term on student samples; 0 turns it off
 * @param crossTokenizer how a teacher with another vocabulary is compared ({@link CrossTokenizer}: off, uld,
 *     hybrid); off needs one shared vocabulary
 * @param fusedHead true fuses the student's head with the divergence ({@link ai.goldkd.loss.FusedHeadDivergence},
 *     chunkSize positions at a time, 256 if 0): no student logits; not with a reward, top-k or cross-tokenizer loss
 */
public record DistillationConfig(
        Regime regime,
        float lambda,
        DivergenceSpec divergence,
        float temperature,
        float studentTemperature,
        int maxNewTokens,
        float teacherTemperature,
        TrainConfig train,
        int chunkSize,
        int bufferSize,
        AdaptiveSchedule.Settings adaptive,
        float rewardWeight,
        CrossTokenizer crossTokenizer,
        boolean fusedHead) {

    /** Checks every field and names the bad value. */
    public DistillationConfig {
        if (regime == null) {
            throw new IllegalArgumentException(
                    "regime is null; use one of SFT, SUPERVISED_KD, SEQ_KD, ON_POLICY," + " ADAPTIVE_OFF_POLICY");
        }
        if (!(lambda >= 0f && lambda <= 1f)) {
            throw new IllegalArgumentException("lambda (on-policy fraction) must be in [0, 1], got " + lambda);
        }
        if (regime == Regime.SUPERVISED_KD && lambda != 0f) {
            throw new IllegalArgumentException("lambda = " + lambda + " with SUPERVISED_KD, which is lambda 0;"
                    + " use ON_POLICY for a mix of on-policy and supervised steps");
        }
        if (divergence == null) {
            throw new IllegalArgumentException("divergence is null; e.g. DivergenceSpec.jsd(0.5f)");
        }
        if (!(temperature > 0f) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and > 0, got " + temperature);
        }
        if (!(studentTemperature > 0f) || Float.isInfinite(studentTemperature)) {
            throw new IllegalArgumentException(
                    "studentTemperature must be finite and > 0 (on-policy samples)," + " got " + studentTemperature);
        }
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be >= 1, got " + maxNewTokens);
        }
        if (!(teacherTemperature >= 0f) || Float.isInfinite(teacherTemperature)) {
            throw new IllegalArgumentException(
                    "teacherTemperature must be >= 0 (0 = greedy), got " + teacherTemperature);
        }
        if (train == null) {
            throw new IllegalArgumentException("train is null; use TrainConfig.defaults()");
        }
        if (chunkSize < 0) {
            throw new IllegalArgumentException("chunkSize must be >= 0 (0 = whole), got " + chunkSize);
        }
        if (bufferSize < 1) {
            throw new IllegalArgumentException("bufferSize must be >= 1, got " + bufferSize);
        }
        if (regime == Regime.ADAPTIVE_OFF_POLICY && bufferSize < train.batchSize()) {
            throw new IllegalArgumentException("bufferSize " + bufferSize + " < batch size " + train.batchSize()
                    + "; the replay buffer must hold at least one batch (DistiLLM uses 1000)");
        }
        if (regime == Regime.ADAPTIVE_OFF_POLICY && train.evalEvery() == 0) {
            throw new IllegalArgumentException("ADAPTIVE_OFF_POLICY with train.evalEvery = 0: DistiLLM raises the"
                    + " share of student outputs from the validation loss; set evalEvery > 0 (e.g. 100)");
        }
        if (adaptive == null) {
            throw new IllegalArgumentException("adaptive is null; use AdaptiveSchedule.Settings.defaults()");
        }
        if (!(rewardWeight >= 0f) || Float.isInfinite(rewardWeight)) {
            throw new IllegalArgumentException("rewardWeight must be finite and >= 0 (0 = off), got " + rewardWeight);
        }
        crossTokenizer = crossTokenizer == null ? CrossTokenizer.OFF : crossTokenizer;
        if (crossTokenizer != CrossTokenizer.OFF && rewardWeight > 0f) {
            throw new IllegalArgumentException("crossTokenizer " + crossTokenizer.label() + " with rewardWeight "
                    + rewardWeight + ": the reward term reads the student's tokens against one vocabulary; set"
                    + " rewardWeight to 0 or crossTokenizer to off");
        }
        if (fusedHead && (rewardWeight > 0f || crossTokenizer != CrossTokenizer.OFF)) {
            String w = rewardWeight > 0f ? "rewardWeight " + rewardWeight : "crossTokenizer " + crossTokenizer.label();
            throw new IllegalArgumentException(
                    "fusedHead with " + w + ": it reads the student's logits; set fusedHead false");
        }
    }

    /** @return a copy comparing a teacher of another vocabulary as {@code value} says */
    public DistillationConfig withCrossTokenizer(CrossTokenizer value) {
        return edit(f -> f.crossTokenizer = value);
    }

    /**
     * On-policy GKD with the generalized JSD at beta 0.5, lambda 1, temperatures 1, 64 new tokens,
     * {@link TrainConfig#defaults()}, no chunking, a 1000-sequence buffer, DistiLLM's schedule, no reward.
     */
    public static DistillationConfig defaults() {
        return new DistillationConfig(
                Regime.ON_POLICY,
                1f,
                DivergenceSpec.jsd(0.5f),
                1f,
                1f,
                64,
                0f,
                TrainConfig.defaults(),
                0,
                1000,
                AdaptiveSchedule.Settings.defaults(),
                0f,
                CrossTokenizer.OFF,
                false);
    }

    /** @return a copy with the given regime; SUPERVISED_KD and SFT also set lambda to 0 */
    public DistillationConfig withRegime(Regime value) {
        float l = value == Regime.SUPERVISED_KD || value == Regime.SFT || value == Regime.SEQ_KD ? 0f : lambda;
        return edit(f -> {
            f.regime = value;
            f.lambda = l;
        });
    }

    /** @return a copy with the given on-policy fraction */
    public DistillationConfig withLambda(float value) {
        return edit(f -> f.lambda = value);
    }

    /** @return a copy with the given divergence */
    public DistillationConfig withDivergence(DivergenceSpec value) {
        return edit(f -> f.divergence = value);
    }

    /** @return a copy with the given KD temperature */
    public DistillationConfig withTemperature(float value) {
        return edit(f -> f.temperature = value);
    }

    /** @return a copy with the given student sampling temperature */
    public DistillationConfig withStudentTemperature(float value) {
        return edit(f -> f.studentTemperature = value);
    }

    /** @return a copy with the given maximum generation length */
    public DistillationConfig withMaxNewTokens(int value) {
        return edit(f -> f.maxNewTokens = value);
    }

    /** @return a copy with the given SeqKD teacher temperature (0 = greedy) */
    public DistillationConfig withTeacherTemperature(float value) {
        return edit(f -> f.teacherTemperature = value);
    }

    /** @return a copy with the given training settings */
    public DistillationConfig withTrain(TrainConfig value) {
        return edit(f -> f.train = value);
    }

    /** @return a copy with the given chunk size */
    public DistillationConfig withChunkSize(int value) {
        return edit(f -> f.chunkSize = value);
    }

    /** @return a copy with the given replay buffer capacity */
    public DistillationConfig withBufferSize(int value) {
        return edit(f -> f.bufferSize = value);
    }

    /** @return a copy with the given adaptive schedule */
    public DistillationConfig withAdaptive(AdaptiveSchedule.Settings value) {
        return edit(f -> f.adaptive = value);
    }

    /** @return a copy with the given reward weight */
    public DistillationConfig withRewardWeight(float value) {
        return edit(f -> f.rewardWeight = value);
    }

    /** @return a copy that fuses the student's head with the divergence ({@code true}) or computes its logits */
    public DistillationConfig withFusedHead(boolean value) {
        return edit(f -> f.fusedHead = value);
    }
    /** The components as mutable fields: a wither changes some and builds a checked copy. */
    private static final class Fields {
        private Regime regime;
        private float lambda;
        private DivergenceSpec divergence;
        private float temperature;
        private float studentTemperature;
        private int maxNewTokens;
        private float teacherTemperature;
        private TrainConfig train;
        private int chunkSize;
        private int bufferSize;
        private AdaptiveSchedule.Settings adaptive;
        private float rewardWeight;
        private CrossTokenizer crossTokenizer;
        private boolean fusedHead;

        private Fields(DistillationConfig c) {
            regime = c.regime;
            lambda = c.lambda;
            divergence = c.divergence;
            temperature = c.temperature;
            studentTemperature = c.studentTemperature;
            maxNewTokens = c.maxNewTokens;
            teacherTemperature = c.teacherTemperature;
            train = c.train;
            chunkSize = c.chunkSize;
            bufferSize = c.bufferSize;
            adaptive = c.adaptive;
            rewardWeight = c.rewardWeight;
            crossTokenizer = c.crossTokenizer;
            fusedHead = c.fusedHead;
        }

        private DistillationConfig build() {
            return new DistillationConfig(
                    regime,
                    lambda,
                    divergence,
                    temperature,
                    studentTemperature,
                    maxNewTokens,
                    teacherTemperature,
                    train,
                    chunkSize,
                    bufferSize,
                    adaptive,
                    rewardWeight,
                    crossTokenizer,
                    fusedHead);
        }
    }

    private DistillationConfig edit(Consumer<Fields> change) {
        Fields f = new Fields(this);
        change.accept(f);
        return f.build();
    }
}
