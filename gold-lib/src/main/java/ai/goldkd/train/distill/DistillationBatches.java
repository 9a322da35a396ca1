package ai.goldkd.train.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.goldkd.model.Generation;
import ai.goldkd.model.LanguageModel;
import ai.goldkd.model.Sampler;
import ai.goldkd.model.SamplingConfig;
import ai.goldkd.teacher.HiddenStateTeacher;
import ai.goldkd.teacher.Teacher;
import ai.goldkd.teacher.TopKTeacher;
import ai.goldkd.tokenizer.Tokenizer;
import ai.goldkd.train.BatchSource;
import ai.goldkd.train.EpochOrder;
import ai.goldkd.train.SequenceBatches;
import ai.goldkd.train.SequenceExample;
import ai.goldkd.train.TrainBatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The batches of a distillation regime: prompts in seeded random order, epoch after epoch, with outputs
 * from the data set, from the student's own samples, or from the replay buffer, and the teacher's logits
 * on whatever outputs were chosen. A batch is {@code data = [ids (B, T), mask (B, T)]} and
 * {@link KdLabels} as labels: the targets y (B, T) (SFT, SeqKD), the teacher's logits (B, T, V)
 * (token-level KD), and the advantage (B) on student samples when a reward is on; y is -100 on prompt
 * and padding, so the loss covers output tokens only. The step metrics here are the data's (on-policy
 * share, replay, reward); the loss's own parts come from {@link DistillationLoss.Terms}.
 *
 * <p>On-policy samples are drawn without gradient (the sampler runs outside the step's gradient
 * collector) at the student's sampling temperature; the teacher then scores prompt + sample by teacher
 * forcing. The teacher ({@link Teacher#logits}) runs in inference mode and never takes part in a
 * gradient. The decision is made per micro-batch. A {@link TopKTeacher} (an endpoint, a cache) gives
 * its (B, T, K) top-k distributions instead of logits ({@link KdLabels#teacherTopK()}).
 */
public final class DistillationBatches implements BatchSource {

    private final DistillationConfig config;
    private final LanguageModel student;
    private final Tokenizer tokenizer;
    private final Teacher teacher;
    private final RewardFunction reward;
    private final List<PromptExample> examples;
    private final List<int[]> prompts = new ArrayList<>();
    private final List<int[]> answers = new ArrayList<>();
    private final SplittableRandom random;
    private final ReplayBuffer buffer;
    private final AdaptiveSchedule schedule;
    private final EpochOrder order;
    private long batches;
    private long studentBatches;
    private long replayBatches;
    private double lastReward = Double.NaN;

    /**
     * Creates the source.
     *
     * @param config the regime's settings
     * @param student the student, whose samples feed on-policy steps
     * @param tokenizer the student's tokenizer (the teacher's vocabulary, for token-level regimes)
     * @param teacher the teacher, or null for SFT and SeqKD
     * @param reward the reward of student samples, or null
     * @param examples the training prompts and answers (SeqKD: the teacher's answers), at least one
     */
    public DistillationBatches(
            DistillationConfig config,
            LanguageModel student,
            Tokenizer tokenizer,
            Teacher teacher,
            RewardFunction reward,
            List<PromptExample> examples) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no training examples; give at least one prompt and answer");
        }
        if (config.regime().tokenLevel() && teacher == null) {
            throw new IllegalArgumentException(config.regime() + " needs a teacher; give one or use SFT");
        }
        this.config = config;
        this.student = student;
        this.tokenizer = tokenizer;
        this.teacher = config.regime().tokenLevel() ? teacher : null;
        this.reward = config.rewardWeight() > 0f ? reward : null;
        if (config.rewardWeight() > 0f && reward == null) {
            throw new IllegalArgumentException("rewardWeight " + config.rewardWeight() + " > 0 but no reward"
                    + " function; pass one (e.g. RewardFunction.finalNumber()) or set rewardWeight to 0");
        }
        this.examples = List.copyOf(examples);
        for (PromptExample e : this.examples) {
            prompts.add(promptIds(tokenizer, e.prompt()));
            answers.add(answerIds(tokenizer, e.answer()));
        }
        this.random = new SplittableRandom(config.train().seed());
        this.buffer = new ReplayBuffer(config.bufferSize());
        this.schedule = new AdaptiveSchedule(config.adaptive(), config.train().maxSteps());
        this.order = new EpochOrder(this.examples.size(), random);
    }

    /**
     * The prompt's ids as {@link Tokenizer#encodePrompt} gives them: BOS + the prompt for gold's tokenizers,
     * the post-processor's specials for a Hugging Face checkpoint's (nothing extra prepended).
     */
    public static int[] promptIds(Tokenizer tokenizer, String prompt) {
        return tokenizer.encodePrompt(prompt);
    }

    /** The answer's ids + EOS. */
    public static int[] answerIds(Tokenizer tokenizer, String answer) {
        int[] body = tokenizer.encode(answer);
        int[] ids = Arrays.copyOf(body, body.length + 1);
        ids[body.length] = tokenizer.specials().eos();
        return ids;
    }

    private List<Integer> nextIndices() {
        List<Integer> picked = new ArrayList<>();
        for (int i = 0; i < config.train().batchSize(); i++) {
            picked.add(order.next());
        }
        return picked;
    }

    /** The adaptive schedule (used by {@link Regime#ADAPTIVE_OFF_POLICY} only). */
    public AdaptiveSchedule schedule() {
        return schedule;
    }

    /** The replay buffer (used by {@link Regime#ADAPTIVE_OFF_POLICY} only). */
    public ReplayBuffer buffer() {
        return buffer;
    }

    @Override
    public TrainBatch next(NDManager manager) {
        int step = (int) (batches / config.train().gradAccumulation());
        batches++;
        List<Integer> picked = nextIndices();
        List<ReplayBuffer.Entry> sampled = switch (config.regime()) {
            case SFT, SEQ_KD, SUPERVISED_KD -> null;
            case ON_POLICY -> random.nextDouble() < config.lambda() ? samples(picked) : null;
            case ADAPTIVE_OFF_POLICY ->
                switch (schedule.decide(step, random.nextDouble(), buffer.full())) {
                    case DATASET -> null;
                    case FRESH -> {
                        List<ReplayBuffer.Entry> fresh = samples(picked);
                        fresh.forEach(buffer::add);
                        yield fresh;
                    }
                    case REPLAY -> {
                        replayBatches++;
                        yield buffer.sample(picked.size(), random);
                    }
                };
        };
        List<SequenceExample> sequences = new ArrayList<>();
        List<String> promptTexts = new ArrayList<>();
        if (sampled == null) {
            for (int i : picked) {
                sequences.add(SequenceExample.promptAnswer(prompts.get(i), answers.get(i)));
                promptTexts.add(examples.get(i).prompt());
            }
        } else {
            studentBatches++;
            for (ReplayBuffer.Entry e : sampled) {
                sequences.add(SequenceExample.promptAnswer(e.prompt(), e.completion()));
                promptTexts.add(e.example().prompt());
            }
        }
        TrainBatch batch =
                SequenceBatches.batchOf(manager, sequences, tokenizer.specials().pad());
        if (teacher == null) {
            return batch;
        }
        if (config.crossTokenizer() != CrossTokenizer.OFF) {
            // the teacher reads the same text through its own tokenizer (no reward term: the config refuses it)
            return CrossTokenizerLabels.batch(manager, batch, sequences, promptTexts, tokenizer, teacher);
        }
        NDList data = batch.data();
        if (config.fusedHead() && teacher instanceof HiddenStateTeacher local) {
            // the fused head makes the teacher's logits a chunk at a time from its hidden states and head
            NDArray hidden = local.hidden(data.get(0), TrainBatch.maskOf(data)); // (B, T, D_t)
            return new TrainBatch(
                    data,
                    KdLabels.ofHidden(batch.labels().get(0), hidden, local.head())
                            .toNDList(),
                    batch.tokens());
        }
        TopKTeacher sparse = teacher instanceof TopKTeacher top ? top : null;
        NDArray teacherLogits = sparse != null
                ? null
                : teacher.logits(data.get(0), TrainBatch.maskOf(data)).stopGradient(); // (B, T, V)
        NDArray advantage = null;
        if (reward != null && sampled != null) {
            float[] centred = new float[sampled.size()];
            double mean = sampled.stream()
                    .mapToDouble(ReplayBuffer.Entry::reward)
                    .average()
                    .orElse(0);
            for (int b = 0; b < centred.length; b++) {
                centred[b] = (float) (sampled.get(b).reward() - mean);
            }
            lastReward = mean;
            advantage = manager.create(centred); // (B)
        }
        KdLabels labels = new KdLabels(
                batch.labels().get(0),
                teacherLogits,
                advantage,
                sparse == null
                        ? null
                        : TopKBatches.of(manager, sparse, sequences, (int)
                                data.get(0).getShape().get(1))); // (B, T, K)
        return new TrainBatch(data, labels.toNDList(), batch.tokens());
    }

    /** The student's samples for some prompts, without gradient, with their rewards. */
    private List<ReplayBuffer.Entry> samples(List<Integer> picked) {
        List<int[]> batchPrompts = new ArrayList<>();
        for (int i : picked) {
            batchPrompts.add(prompts.get(i));
        }
        SamplingConfig sampling = SamplingConfig.defaults()
                .withTemperature(config.studentTemperature())
                .withMaxNewTokens(config.maxNewTokens())
                .withSeed(random.nextLong());
        List<Generation> out = new Sampler(student, tokenizer).generateIds(batchPrompts, sampling);
        List<ReplayBuffer.Entry> entries = new ArrayList<>();
        for (int k = 0; k < picked.size(); k++) {
            PromptExample example = examples.get(picked.get(k));
            Generation g = out.get(k);
            double r = reward == null ? 0 : reward.reward(example, g.text());
            entries.add(new ReplayBuffer.Entry(example, batchPrompts.get(k), g.tokens(), r));
        }
        return entries;
    }

    @Override
    public Map<String, Double> stepMetrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        if (batches > 0) {
            m.put("on_policy_fraction", (double) studentBatches / batches);
        }
        if (config.regime() == Regime.ADAPTIVE_OFF_POLICY) {
            m.put("replay_fraction", batches == 0 ? 0 : (double) replayBatches / batches);
            m.put("adaptive_threshold", (double) schedule.threshold());
            m.put("buffer_size", (double) buffer.size());
        }
        if (!Double.isNaN(lastReward)) {
            m.put("reward", lastReward);
        }
        if (teacher instanceof TopKTeacher top) {
            m.putAll(top.stats()); // an endpoint's requests and retries
        }
        return m;
    }

    /** The fraction of batches so far whose outputs came from the student (fresh or replayed). */
    public double onPolicyFraction() {
        return batches == 0 ? 0 : (double) studentBatches / batches;
    }
}
