package ai.goldkd.train.distill;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import ai.goldkd.data.Example;
import ai.goldkd.data.Jsonl;
import ai.goldkd.hf.DType;
import ai.goldkd.loss.CrossEntropyLoss;
import ai.goldkd.loss.FusedHeadDivergence;
import ai.goldkd.loss.TopKDivergences;
import ai.goldkd.loss.VocabularyMatch;
import ai.goldkd.model.CausalLm;
import ai.goldkd.model.Checkpoint;
import ai.goldkd.model.HiddenAndHead;
import ai.goldkd.model.LanguageModel;
import ai.goldkd.model.SamplingConfig;
import ai.goldkd.model.hf.HfDecoder;
import ai.goldkd.model.hf.HfExport;
import ai.goldkd.teacher.Teacher;
import ai.goldkd.teacher.TopKTeacher;
import ai.goldkd.tokenizer.CheckpointTokenizer;
import ai.goldkd.tokenizer.Tokenizer;
import ai.goldkd.train.Evaluation;
import ai.goldkd.train.MetricsLog;
import ai.goldkd.train.SequenceBatches;
import ai.goldkd.train.SequenceExample;
import ai.goldkd.train.StepListener;
import ai.goldkd.train.TrainBatch;
import ai.goldkd.train.TrainResult;
import ai.goldkd.train.TrainingLoop;
import com.google.gson.GsonBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Distils a teacher into a student under one {@link Regime}, on the project's one {@link TrainingLoop}:
 * the regime is a {@link DistillationBatches} (what the student trains on) and a {@link DistillationLoss}
 * (against what). Writes {@code distillation.json} (the config), {@code metrics.csv}, the latest
 * checkpoint in the output directory and the best by validation cross-entropy in {@code best/}.
 *
 * <pre>{@code
 * DistillationTrainer trainer = new DistillationTrainer(config, tokenizer, new LocalTeacher(teacherModel, tokenizer));
 * DistillationResult result = trainer.train(studentModel, train, validation, Path.of("runs/gkd"));
 * }</pre>
 */
public final class DistillationTrainer {

    private final DistillationConfig config;
    private final Tokenizer tokenizer;
    private final Teacher teacher;
    private final RewardFunction reward;
    private final StepListener listener;

    /**
     * What a run did.
     *
     * @param train the training loop's result
     * @param seconds the run's wall time, teacher generation (SeqKD) included
     * @param generationSeconds the time SeqKD's teacher spent answering the training prompts
     * @param onPolicyFraction the fraction of batches whose outputs were the student's
     */
    public record DistillationResult(
            TrainResult train, double seconds, double generationSeconds, double onPolicyFraction) {}

    /**
     * Creates a trainer without a reward term.
     *
     * @param config the regime's settings
     * @param tokenizer the student's tokenizer
     * @param teacher the teacher, or null for SFT
     */
    public DistillationTrainer(DistillationConfig config, Tokenizer tokenizer, Teacher teacher) {
        this(config, tokenizer, teacher, null);
    }

    /**
     * Creates a trainer.
     *
     * @param config the regime's settings
     * @param tokenizer the student's tokenizer
     * @param teacher the teacher, or null for SFT
     * @param reward the reward of student samples when {@link DistillationConfig#rewardWeight()} > 0, else null
     */
    public DistillationTrainer(DistillationConfig config, Tokenizer tokenizer, Teacher teacher, RewardFunction reward) {
        if (config.regime().needsTeacher() && teacher == null) {
            throw new IllegalArgumentException(config.regime() + " needs a teacher; give one (a model through"
                    + " new LocalTeacher(model, tokenizer)), or use regime SFT");
        }
        if (teacher instanceof TopKTeacher
                && config.fusedHead()
                && config.regime().tokenLevel()) {
            throw new IllegalArgumentException(DistillationLoss.TOP_K_FUSED);
        }
        if (teacher instanceof TopKTeacher top && config.regime().tokenLevel()) {
            TopKDivergences.of(config.divergence()); // refuses a kind without a top-k form, before any step
            if (top.temperature() != config.temperature()) {
                throw new IllegalArgumentException("the top-k teacher's log-probabilities are at temperature "
                        + top.temperature() + " but the config's KD temperature is " + config.temperature()
                        + "; set \"temperature\": " + top.temperature() + " (a top-k teacher cannot be re-tempered)");
            }
        }
        if (config.fusedHead() && config.regime().needsTeacher()) {
            String note = FusedHeadDivergence.fallbackNote(config.divergence().create());
            if (note != null) {
                System.err.println("gold: " + note);
            }
        }
        this.config = config;
        this.tokenizer = tokenizer;
        this.teacher = teacher;
        this.reward = reward;
        this.listener = StepListener.none();
    }

    private DistillationTrainer(DistillationTrainer other, StepListener listener) {
        this.config = other.config;
        this.tokenizer = other.tokenizer;
        this.teacher = other.teacher;
        this.reward = other.reward;
        this.listener = listener;
    }

    /**
     * The same trainer, telling a listener about each logged step (a live loss curve).
     *
     * @param value the listener
     * @return a new trainer
     */
    public DistillationTrainer withListener(StepListener value) {
        if (value == null) {
            throw new IllegalArgumentException("listener must not be null; use StepListener.none()");
        }
        return new DistillationTrainer(this, value);
    }

    /**
     * Fails unless teacher and student share a vocabulary, for the token-level regimes: same size,
     * same special tokens, same ids for a probe text.
     *
     * @param regime the regime; SFT and SEQ_KD pass whatever the vocabularies
     * @param student the student
     * @param studentTokenizer its tokenizer
     * @param teacher the teacher, whose {@link Teacher#tokenizer()} is compared
     * @param probe a text both tokenizers encode, such as a training prompt
     */
    public static void checkVocabulary(
            Regime regime, LanguageModel student, Tokenizer studentTokenizer, Teacher teacher, String probe) {
        if (!regime.tokenLevel()) {
            return;
        }
        String fix = "; token-level KD (" + regime + ") compares next-token distributions, so it needs one"
                + " shared vocabulary: set crossTokenizer to hybrid (shared tokens by the divergence, the rest by ULD)"
                + " or uld in the distillation config, use sequence-level KD (regime SEQ_KD), which passes the"
                + " teacher's answers as text, or build the student with the teacher's tokenizer";
        int sv = student.vocab();
        int tv = teacher.vocabSize();
        Tokenizer teacherTokenizer = teacher.tokenizer();
        if (sv != tv || studentTokenizer.vocabSize() != teacherTokenizer.vocabSize()) {
            throw new IllegalArgumentException("student vocab " + sv + " (tokenizer " + studentTokenizer.vocabSize()
                    + ") != teacher vocab " + tv + " (tokenizer " + teacherTokenizer.vocabSize() + ")" + fix);
        }
        if (!studentTokenizer.specials().equals(teacherTokenizer.specials())) {
            throw new IllegalArgumentException("student special tokens " + studentTokenizer.specials()
                    + " != teacher special tokens " + teacherTokenizer.specials() + fix);
        }
        if (!Arrays.equals(studentTokenizer.encode(probe), teacherTokenizer.encode(probe))) {
            throw new IllegalArgumentException("student and teacher tokenizers have the same size " + sv
                    + " but encode '" + probe.strip() + "' differently" + fix);
        }
    }

    /**
     * The tokens the teacher's and the student's vocabularies share, matched by each token's decoded
     * text (ids past a tokenizer's size, padding rows of a model's vocabulary, match nothing).
     *
     * @param student the student
     * @param studentTokenizer its tokenizer
     * @param teacher the teacher
     * @return the match
     */
    public static VocabularyMatch vocabularyMatch(LanguageModel student, Tokenizer studentTokenizer, Teacher teacher) {
        Tokenizer t = teacher.tokenizer();
        VocabularyMatch byText = VocabularyMatch.byText(
                id -> t.decode(new int[] {id}),
                Math.min(t.vocabSize(), teacher.vocabSize()),
                id -> studentTokenizer.decode(new int[] {id}),
                Math.min(studentTokenizer.vocabSize(), student.vocab()));
        return new VocabularyMatch(byText.teacher(), byText.student(), teacher.vocabSize(), student.vocab());
    }

    /**
     * Trains the student.
     *
     * @param student the student model; its block is a {@link LanguageModel}: gold's {@link CausalLm},
     *     initialised or not (then it is initialised with the run's seed), or a Hugging Face decoder loaded from
     *     a checkpoint, which is saved back as a Hugging Face directory of its family (below)
     * @param train the training prompts and answers
     * @param validation held-out prompts and answers for the validation cross-entropy (DistiLLM's schedule
     *     reads it); may be empty
     * @param out the run directory
     * @return what the run did
     */
    public DistillationResult train(
            Model student, List<PromptExample> train, List<PromptExample> validation, Path out) {
        if (!(student.getBlock() instanceof LanguageModel lm)) {
            throw new IllegalArgumentException("the student's block is a "
                    + (student.getBlock() == null
                            ? "null"
                            : student.getBlock().getClass().getSimpleName()) + "; distillation trains a LanguageModel"
                    + " (a CausalLm or a Hugging Face checkpoint's decoder)");
        }
        if (train.isEmpty()) {
            throw new IllegalArgumentException("no training examples; give at least one prompt and answer");
        }
        if (config.regime() == Regime.ADAPTIVE_OFF_POLICY && validation.isEmpty()) {
            throw new IllegalArgumentException("ADAPTIVE_OFF_POLICY needs validation examples: its schedule reads"
                    + " the validation loss; hold out some training examples");
        }
        long started = System.nanoTime();
        writeConfig(out);
        List<PromptExample> examples = train;
        double generationSeconds = 0;
        if (config.regime() == Regime.SEQ_KD) {
            long t0 = System.nanoTime();
            SamplingConfig sampling = SamplingConfig.defaults()
                    .withTemperature(config.teacherTemperature())
                    .withMaxNewTokens(config.maxNewTokens())
                    .withSeed(config.train().seed());
            examples = teacherAnswers(teacher, train, sampling, 64);
            generationSeconds = (System.nanoTime() - t0) / 1e9;
            List<Example> rows = new ArrayList<>();
            for (PromptExample e : examples) {
                rows.add(Example.of("prompt", e.prompt(), "answer", e.answer(), "slice", e.slice()));
            }
            Jsonl.write(out.resolve("seqkd-train.jsonl"), rows);
        }
        try (MetricsLog metrics =
                MetricsLog.open(out.resolve("metrics.csv"), out.getFileName().toString())) {
            boolean cross = config.regime().tokenLevel() && config.crossTokenizer() != CrossTokenizer.OFF;
            if (config.regime().tokenLevel() && !cross) {
                checkVocabulary(
                        config.regime(), lm, tokenizer, teacher, train.get(0).prompt());
            }
            metrics.write(0, 0, "seqkd_generation_seconds", generationSeconds);
            TrainingLoop loop = new TrainingLoop(config.train(), metrics, 0, listener);
            DistillationLoss loss = cross
                    ? DistillationLoss.crossTokenizer(config, vocabularyMatch(lm, tokenizer, teacher))
                    : DistillationLoss.of(config);
            // fusedHead: the trainer drives the student through its hidden states and head, never its logits
            try (Model trained = config.fusedHead() ? HiddenAndHead.asModel(student.getName(), lm) : null;
                    Trainer trainer = loop.newTrainer(trained != null ? trained : student, loss)) {
                if (lm instanceof CausalLm fresh && !fresh.isInitialized()) {
                    Engine.getInstance().setRandomSeed((int) config.train().seed());
                    // The model's manager, not the trainer's: the student outlives this run.
                    fresh.initialize(student.getNDManager());
                }
                // Loaded parameters get their gradients back in TrainingLoop.newTrainer.
                DistillationBatches source = new DistillationBatches(
                        config, lm, tokenizer, config.regime().tokenLevel() ? teacher : null, reward, examples);
                List<SequenceExample> held = new ArrayList<>();
                for (PromptExample e : validation) {
                    held.add(SequenceExample.promptAnswer(
                            DistillationBatches.promptIds(tokenizer, e.prompt()),
                            DistillationBatches.answerIds(tokenizer, e.answer())));
                }
                Evaluation evaluation = null;
                if (!held.isEmpty()) {
                    int pad = tokenizer.specials().pad();
                    int batch = config.train().batchSize();
                    if (config.regime() == Regime.ADAPTIVE_OFF_POLICY) {
                        source.schedule().observe(validationLoss(trainer, held, batch, pad));
                    }
                    evaluation = t -> {
                        double value = validationLoss(t, held, batch, pad);
                        if (config.regime() == Regime.ADAPTIVE_OFF_POLICY) {
                            source.schedule().observe(value);
                        }
                        return value;
                    };
                }
                TrainingLoop.Checkpoints save = saver(lm, tokenizer, out);
                TrainResult result = loop.run(trainer, source, evaluation, 0, 0, save);
                return new DistillationResult(
                        result, (System.nanoTime() - started) / 1e9, generationSeconds, source.onPolicyFraction());
            }
        }
    }

    /** Where a student is saved: {@link #modelDir} and {@code best/}, as its own kind of checkpoint. */
    private static TrainingLoop.Checkpoints saver(LanguageModel lm, Tokenizer tokenizer, Path out) {
        if (lm instanceof HfDecoder hf) {
            Path source = tokenizer instanceof CheckpointTokenizer c ? c.dir() : null;
            DType stored = HfExport.sourceType(source);
            return (steps, best) ->
                    HfExport.write(hf, tokenizer, source, best ? out.resolve("best") : modelDir(lm, out), stored);
        }
        return (steps, best) -> new Checkpoint(lm, Checkpoint.specOf(lm, null, steps), tokenizer)
                .save(best ? out.resolve("best") : out);
    }

    /**
     * Where the latest student is saved in a run directory: the directory itself for gold's own
     * {@link CausalLm} (model.json, model.params), {@code model/} for a Hugging Face student, written as a
     * Hugging Face directory of its own family in its source's dtype (transformers and vLLM load it;
     * {@code gold export --model DIR/model --dtype} rewrites it in another type).
     *
     * @param lm the student
     * @param out the run directory
     * @return the student's directory
     */
    public static Path modelDir(LanguageModel lm, Path out) {
        return lm instanceof HfDecoder ? out.resolve("model") : out;
    }

    /**
     * The student's mean next-token cross-entropy on held-out answers (prompt positions excluded).
     *
     * @param trainer the trainer
     * @param held the sequences
     * @param batchSize sequences per batch
     * @param pad the padding id
     * @return the loss averaged over batches
     */
    static double validationLoss(Trainer trainer, List<SequenceExample> held, int batchSize, int pad) {
        CrossEntropyLoss ce = CrossEntropyLoss.tokenMean();
        double sum = 0;
        int batches = 0;
        for (int i = 0; i < held.size(); i += batchSize) {
            try (NDManager scope = trainer.getManager().newSubManager()) {
                TrainBatch batch =
                        SequenceBatches.batchOf(scope, held.subList(i, Math.min(held.size(), i + batchSize)), pad);
                NDList predictions = trainer.evaluate(batch.data());
                NDArray value = ce.evaluate(batch.labels(), new NDList(DistillationLoss.logits(predictions)));
                sum += value.getFloat();
                batches++;
            }
        }
        return sum / batches;
    }

    /**
     * SeqKD's data: the teacher's answer to every prompt, decoded to text (so a student with another
     * tokenizer can learn from it), the end-of-sequence token dropped.
     *
     * @param teacher the teacher
     * @param prompts the prompts (their reference answers are replaced)
     * @param sampling how the teacher decodes (temperature 0: greedy)
     * @param batchSize prompts decoded together
     * @return the prompts with the teacher's answers
     */
    public static List<PromptExample> teacherAnswers(
            Teacher teacher, List<PromptExample> prompts, SamplingConfig sampling, int batchSize) {
        List<String> answers = AnswerAccuracy.generate(teacher, prompts, sampling, batchSize);
        List<PromptExample> out = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            out.add(prompts.get(i).withAnswer(answers.get(i)));
        }
        return out;
    }

    private void writeConfig(Path out) {
        try {
            Files.createDirectories(out);
            Files.writeString(
                    out.resolve("distillation.json"),
                    new GsonBuilder()
                            .setPrettyPrinting()
                            .disableHtmlEscaping()
                            .create()
                            .toJson(DistillationJson.write(config)),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the config to " + out, e);
        }
    }
}
