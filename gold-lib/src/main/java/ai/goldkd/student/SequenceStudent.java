package ai.goldkd.student;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.goldkd.config.Devices;
import ai.goldkd.loss.Reduction;
import ai.goldkd.model.CausalLm;
import ai.goldkd.model.Checkpoint;
import ai.goldkd.model.TransformerConfig;
import ai.goldkd.nd.Scalars;
import ai.goldkd.ood.Energy;
import ai.goldkd.teacher.Teacher;
import ai.goldkd.tokenizer.Tokenizer;
import ai.goldkd.tokenizer.Tokenizers;
import ai.goldkd.train.SequenceBatches;
import ai.goldkd.train.SequenceExample;
import ai.goldkd.train.TrainBatch;
import ai.goldkd.train.TrainConfig;
import ai.goldkd.train.distill.AnswerAccuracy;
import ai.goldkd.train.distill.DistillationBatches;
import ai.goldkd.train.distill.DistillationConfig;
import ai.goldkd.train.distill.DistillationTrainer;
import ai.goldkd.train.distill.PromptExample;
import ai.goldkd.train.distill.Regime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A causal language model as GOLD's student on a seq2seq task: it learns to write the answer after the
 * prompt, scores samples by their sequence energy (the mean of {@code -logsumexp} of its logits over the
 * answer's positions, {@link Energy#sequence}) and is judged by the final number of its greedy answers.
 * Training goes through {@link DistillationTrainer}: SFT on the answers, or token-level KD when a
 * white-box teacher is given.
 */
public final class SequenceStudent implements AutoCloseable {

    /** Sequences scored together. */
    private static final int SCORE_BATCH = 64;

    private final SequenceStudentConfig config;
    private final Model model;
    private final Tokenizer tokenizer;

    private SequenceStudent(SequenceStudentConfig config, Model model, Tokenizer tokenizer) {
        this.config = config;
        this.model = model;
        this.tokenizer = tokenizer;
    }

    /**
     * A student from a checkpoint ({@code config.init()}) or fresh weights.
     *
     * @param config the shape and settings
     * @param seed the initialisation seed of fresh weights
     * @return the student
     */
    public static SequenceStudent create(SequenceStudentConfig config, long seed) {
        Model model = Model.newInstance("sequence-student", Devices.choose());
        try {
            if (config.init() != null && !config.init().isBlank()) {
                Path dir = Checkpoint.path(config.init());
                if (!Checkpoint.exists(dir)) {
                    throw new IllegalArgumentException("student init " + dir + " holds no checkpoint (model.json and"
                            + " model.params); give a directory written by gold lm or gold distill, or no init");
                }
                Checkpoint c = Checkpoint.load(dir, model.getNDManager());
                model.setBlock(c.languageModel());
                return new SequenceStudent(config, model, c.tokenizer());
            }
            Tokenizer bytes = Tokenizers.bytes();
            TransformerConfig d = TransformerConfig.defaults();
            CausalLm lm = new CausalLm(new TransformerConfig(
                    config.layers(),
                    config.dim(),
                    config.heads(),
                    4 * config.dim(),
                    bytes.vocabSize(),
                    config.context(),
                    0f,
                    d.positions(),
                    true));
            Engine.getInstance().setRandomSeed((int) seed);
            lm.initialize(model.getNDManager());
            model.setBlock(lm);
            return new SequenceStudent(config, model, bytes);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Trains on prompts and answers, continuing from the current weights (each call a fresh AdamW
     * with a short warm-up and a cosine to a tenth of the step size).
     *
     * @param examples the prompts and answers
     * @param epochs passes over them, at least 1
     * @param seed the batch order's seed
     * @param teacher a white-box teacher for token-level KD (forward KL on the answers) with the student's
     *     vocabulary, or null for SFT
     * @param out where the update writes its metrics and checkpoint
     * @return the mean training loss of the last logged steps
     */
    public double train(List<PromptExample> examples, int epochs, long seed, Teacher teacher, Path out) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs = " + epochs + " must be >= 1");
        }
        int steps = (int) Math.max(1, Math.ceil(examples.size() * (double) epochs / config.batchSize()));
        TrainConfig train = TrainConfig.defaults()
                .withLearningRate(config.learningRate(), config.learningRate() / 10f)
                .withSteps(steps, Math.min(20, steps / 10))
                .withBatch(config.batchSize(), 1)
                .withSeed(seed)
                .withLogEvery(Math.max(1, Math.min(10, steps)));
        DistillationConfig distill = DistillationConfig.defaults()
                .withRegime(teacher == null ? Regime.SFT : Regime.SUPERVISED_KD)
                .withMaxNewTokens(config.maxNewTokens())
                .withTrain(train);
        DistillationTrainer.DistillationResult result =
                new DistillationTrainer(distill, tokenizer, teacher).train(model, examples, List.of(), out);
        return result.train().lastLoss();
    }

    /**
     * Sequence energies: for each example, the mean over its answer's positions of
     * {@code -T logsumexp(f / T)} of the student's teacher-forced logits (higher: less familiar).
     *
     * @param examples the prompts and answers
     * @param temperature T, > 0
     * @return one energy per example
     */
    public float[] energies(List<PromptExample> examples, float temperature) {
        if (!(temperature > 0f)) {
            throw new IllegalArgumentException("energy temperature must be > 0, got " + temperature + "; GOLD uses 1");
        }
        CausalLm lm = (CausalLm) model.getBlock();
        float[] out = new float[examples.size()];
        int pad = tokenizer.specials().pad();
        for (int from = 0; from < examples.size(); from += SCORE_BATCH) {
            List<SequenceExample> batch = new ArrayList<>();
            for (PromptExample e : examples.subList(from, Math.min(examples.size(), from + SCORE_BATCH))) {
                batch.add(sequence(e));
            }
            try (NDManager scope = model.getNDManager().newSubManager()) {
                TrainBatch b = SequenceBatches.batchOf(scope, batch, pad);
                NDList data = b.data();
                NDArray logits =
                        lm.logits(new ParameterStore(scope, false), data.get(0), TrainBatch.maskOf(data), false);
                if (temperature != 1f) {
                    logits = Scalars.div(logits, temperature);
                }
                NDArray target = b.labels().get(0).neq(Reduction.IGNORE_INDEX); // (B, T)
                float[] energies = Energy.sequence(logits, target).toFloatArray(); // (B)
                for (int i = 0; i < energies.length; i++) {
                    out[from + i] = temperature * energies[i];
                }
            }
        }
        return out;
    }

    /**
     * Greedy answers to the prompts, judged by their final number, overall and per slice.
     *
     * @param test the prompts and reference answers
     * @return the accuracy
     */
    public AnswerAccuracy evaluate(List<PromptExample> test) {
        return AnswerAccuracy.evaluate((CausalLm) model.getBlock(), tokenizer, test, config.maxNewTokens(), 100);
    }

    /**
     * Writes the student as a checkpoint (loadable as a later run's {@code init}).
     *
     * @param dir the directory
     */
    public void save(Path dir) {
        CausalLm lm = (CausalLm) model.getBlock();
        new Checkpoint(lm, Checkpoint.specOf(lm, null, 0), tokenizer).save(dir);
    }

    /**
     * Why the student cannot read an example: BOS, prompt, answer and EOS longer than its context allows.
     *
     * @param e the example
     * @return the reason, or null when it fits
     */
    public String unfit(PromptExample e) {
        return unfit(DistillationBatches.promptIds(tokenizer, e.prompt()).length
                + DistillationBatches.answerIds(tokenizer, e.answer()).length);
    }

    private String unfit(int tokens) {
        int context = ((CausalLm) model.getBlock()).config().context();
        return tokens - 1 > context
                ? "prompt and answer are " + tokens + " tokens; the student reads at most " + (context + 1)
                : null;
    }

    private SequenceExample sequence(PromptExample e) {
        int[] prompt = DistillationBatches.promptIds(tokenizer, e.prompt());
        int[] answer = DistillationBatches.answerIds(tokenizer, e.answer());
        String unfit = unfit(prompt.length + answer.length);
        if (unfit != null) {
            throw new IllegalArgumentException(unfit + ": " + e.prompt().strip() + "; shorten the task's maxChars"
                    + " or use a student with a longer context");
        }
        return SequenceExample.promptAnswer(prompt, answer);
    }

    /** The language model. */
    public CausalLm model() {
        return (CausalLm) model.getBlock();
    }

    /** Its tokenizer. */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The settings. */
    public SequenceStudentConfig config() {
        return config;
    }

    @Override
    public void close() {
        model.close();
    }
}
