package ai.goldkd.train;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import ai.goldkd.config.Devices;
import ai.goldkd.hf.DType;
import ai.goldkd.io.OutputDirectory;
import ai.goldkd.io.OutputMode;
import ai.goldkd.io.RunLock;
import ai.goldkd.model.CausalLm;
import ai.goldkd.model.Checkpoint;
import ai.goldkd.model.HiddenAndHead;
import ai.goldkd.model.LanguageModel;
import ai.goldkd.model.TransformerConfig;
import ai.goldkd.model.hf.HfCheckpoint;
import ai.goldkd.model.hf.HfExport;
import ai.goldkd.tokenizer.Tokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Trains a causal language model on documents, writing metrics and checkpoints into a directory
 * as it goes: {@code metrics.csv}, the latest checkpoint in the directory itself and the best (by
 * held-out loss) in {@code best/}. A killed run continues with {@code resume}.
 */
public final class LmTraining {

    private LmTraining() {}

    /**
     * Splits documents into training sequences of at most {@code context + 1} tokens: each document
     * as {@link Tokenizer#encodePrompt} encodes it ({@code BOS doc} for gold's tokenizers, the
     * post-processor's specials for a Hugging Face checkpoint's), then EOS when the tokenizer has one,
     * cut into consecutive windows.
     *
     * @param documents the documents
     * @param tokenizer the tokenizer
     * @param context the model's context length
     * @return the sequences
     */
    public static List<SequenceExample> sequences(List<String> documents, Tokenizer tokenizer, int context) {
        int[] stops = tokenizer.stopIds();
        List<SequenceExample> out = new ArrayList<>();
        for (String doc : documents) {
            int[] body = tokenizer.encodePrompt(doc);
            int[] ids = Arrays.copyOf(body, body.length + (stops.length > 0 ? 1 : 0));
            if (stops.length > 0) {
                ids[ids.length - 1] = stops[0];
            }
            for (int start = 0; start < ids.length - 1; start += context) {
                int end = Math.min(ids.length, start + context + 1);
                out.add(new SequenceExample(Arrays.copyOfRange(ids, start, end), 1));
            }
        }
        return out;
    }

    /**
     * Trains, or resumes, a language model.
     *
     * @param documents the training documents, one per element
     * @param tokenizer the tokenizer (ignored, and may be null, when resuming: the checkpoint's is used)
     * @param config the model's shape; its vocab is set to the tokenizer's
     * @param train the training settings
     * @param evalFraction the share of documents held out for the evaluation loss (every k-th)
     * @param out the run directory
     * @param resume continue from the checkpoint in {@code out}
     * @return what the run did
     */
    public static TrainResult train(
            List<String> documents,
            Tokenizer tokenizer,
            TransformerConfig config,
            TrainConfig train,
            double evalFraction,
            Path out,
            boolean resume) {
        return train(
                documents,
                tokenizer,
                resume ? null : config,
                train,
                evalFraction,
                out,
                resume ? OutputMode.RESUME : OutputMode.NEW,
                0);
    }

    /**
     * Trains, or resumes, a language model in a locked output directory.
     *
     * @param documents the training documents, one per element
     * @param tokenizer the tokenizer (ignored, and may be null, when resuming: the checkpoint's is used)
     * @param config the model's shape, its vocab set to the tokenizer's; when resuming, null to take the
     *     checkpoint's, or the shape asked for, which must equal the checkpoint's (vocab aside)
     * @param train the training settings
     * @param evalFraction the share of documents held out for the evaluation loss (every k-th)
     * @param out the run directory
     * @param mode {@link OutputMode#NEW} refuses a directory that holds files, {@link OutputMode#RESUME}
     *     continues from its checkpoint, {@link OutputMode#OVERWRITE} deletes the run there first
     * @param fusedHead positions per chunk of a fused head and cross-entropy ({@link FusedLmLoss}: no
     *     (B, T, V) logits in a step), or 0 to compute the logits whole
     * @return what the run did
     */
    public static TrainResult train(
            List<String> documents,
            Tokenizer tokenizer,
            TransformerConfig config,
            TrainConfig train,
            double evalFraction,
            Path out,
            OutputMode mode,
            int fusedHead) {
        FusedLmLoss.orLogits(fusedHead); // refuses a negative chunk before anything is written
        if (documents.isEmpty()) {
            throw new IllegalArgumentException("the corpus is empty: give at least one document (one per line, "
                    + "or JSONL with a \"text\" field)");
        }
        if (!(evalFraction >= 0 && evalFraction < 1)) {
            throw new IllegalArgumentException("evalFraction must be in [0, 1), got " + evalFraction);
        }
        boolean resume = mode == OutputMode.RESUME;
        if (resume && !Checkpoint.exists(out)) {
            throw new IllegalArgumentException(
                    "--resume: no checkpoint in " + out + "; start a new run without" + " --resume"
                            + (OutputDirectory.isEmpty(out) ? "" : ", with --overwrite to replace what is there"));
        }
        try (RunLock lock = OutputDirectory.open(out, mode);
                Model model = Model.newInstance("lm", Devices.choose())) {
            int startStep = 0;
            Tokenizer tok = tokenizer;
            TransformerConfig shape;
            Checkpoint previous = null;
            // The seed comes before the parameters are drawn, so two runs with one seed start alike.
            Engine.getInstance().setRandomSeed((int) train.seed());
            if (resume) {
                previous = Checkpoint.load(out, model.getNDManager());
                tok = previous.tokenizer();
                shape = previous.spec().config();
                if (config != null) {
                    checkSameShape(out, shape, config.withVocab(shape.vocab()));
                }
                startStep = previous.spec().step();
                model.setBlock(previous.block());
                MetricsLog.dropFrom(out.resolve("metrics.csv"), startStep);
            } else {
                shape = config.withVocab(tokenizer.vocabSize());
                model.setBlock(new CausalLm(shape));
            }
            try (MetricsLog metrics = MetricsLog.open(
                    out.resolve("metrics.csv"), out.getFileName().toString())) {
                return train(
                        model,
                        previous == null,
                        documents,
                        tok,
                        shape,
                        train,
                        evalFraction,
                        out,
                        startStep,
                        metrics,
                        fusedHead);
            }
        }
    }

    private static TrainResult train(
            Model model,
            boolean fresh,
            List<String> documents,
            Tokenizer tok,
            TransformerConfig shape,
            TrainConfig train,
            double evalFraction,
            Path out,
            int startStep,
            MetricsLog metrics,
            int fusedHead) {
        List<String> trainDocs = new ArrayList<>();
        List<String> evalDocs = new ArrayList<>();
        int every = evalFraction > 0 ? (int) Math.max(2, Math.round(1 / evalFraction)) : 0;
        for (int i = 0; i < documents.size(); i++) {
            (every > 0 && i % every == every - 1 ? evalDocs : trainDocs).add(documents.get(i));
        }
        List<SequenceExample> examples = sequences(trainDocs, tok, shape.context());
        List<SequenceExample> held = sequences(evalDocs, tok, shape.context());
        SequenceBatches batches =
                new SequenceBatches(examples, train.batchSize(), tok.specials().pad(), train.seed());
        batches.skip((long) startStep * train.gradAccumulation());

        TrainingLoop loop = new TrainingLoop(train, metrics, 0);
        CausalLm lm = (CausalLm) model.getBlock();
        try (Model view = fusedHead > 0 ? HiddenAndHead.asModel(model.getName(), lm) : null;
                Trainer trainer = loop.newTrainer(view != null ? view : model, FusedLmLoss.orLogits(fusedHead))) {
            if (fresh) {
                lm.initialize(trainer.getManager());
            }
            if (!fresh) {
                OptimizerState.load(loop, trainer, out.resolve(OptimizerState.FILE), startStep);
            }
            TrainingLoop.Checkpoints save = (steps, best) -> {
                Path dir = best ? out.resolve("best") : out;
                new Checkpoint(lm, Checkpoint.specOf(lm, null, steps), tok).save(dir);
                OptimizerState.save(loop, trainer, dir.resolve(OptimizerState.FILE), steps);
            };
            Evaluation evaluation = held.isEmpty()
                    ? null
                    : t -> heldOutLoss(
                            t, held, train.batchSize(), tok.specials().pad());
            return loop.run(
                    trainer, batches, evaluation, startStep, train.evalEvery() > 0 ? train.evalEvery() : 100, save);
        }
    }

    /**
     * Refuses a resume whose requested shape is not the checkpoint's, naming each difference.
     *
     * @param out the run directory
     * @param saved the checkpoint's shape
     * @param asked the shape asked for, with the checkpoint's vocab
     */
    static void checkSameShape(Path out, TransformerConfig saved, TransformerConfig asked) {
        List<String> changed = new ArrayList<>();
        differ(changed, "layers", saved.layers(), asked.layers());
        differ(changed, "dim", saved.dim(), asked.dim());
        differ(changed, "heads", saved.heads(), asked.heads());
        differ(changed, "mlp", saved.mlpDim(), asked.mlpDim());
        differ(changed, "context", saved.context(), asked.context());
        differ(changed, "dropout", saved.dropout(), asked.dropout());
        differ(changed, "positions", saved.positions(), asked.positions());
        differ(changed, "tied head", saved.tiedHead(), asked.tiedHead());
        if (!changed.isEmpty()) {
            throw new IllegalArgumentException("--resume: the checkpoint in " + out + " has another shape ("
                    + String.join(", ", changed) + "); resume without the shape options, or start a new run"
                    + " with --overwrite or another --out");
        }
    }

    private static void differ(List<String> changed, String name, Object saved, Object asked) {
        if (!saved.equals(asked)) {
            changed.add(name + " " + saved + " in the checkpoint, " + asked + " asked");
        }
    }

    /**
     * Fine-tunes a Hugging Face checkpoint with the logits computed whole (no fused head).
     *
     * @param documents the training documents
     * @param init the checkpoint directory ({@code hf:DIR} or a plain path)
     * @param context the longest training sequence, or 0 for the checkpoint's context
     * @param train the training settings
     * @param evalFraction the share of documents held out for the evaluation loss
     * @param out the run directory, which receives the fine-tuned checkpoint
     * @return what the run did
     */
    public static TrainResult fineTune(
            List<String> documents, String init, int context, TrainConfig train, double evalFraction, Path out) {
        return fineTune(documents, init, context, train, evalFraction, out, 0);
    }

    /**
     * Fine-tunes a Hugging Face checkpoint: every parameter trains in float32, and each save writes
     * a Hugging Face directory of the same family (the checkpoint's stored dtype) into {@code out}.
     *
     * @param documents the training documents
     * @param init the checkpoint directory ({@code hf:DIR} or a plain path)
     * @param context the longest training sequence, or 0 for the checkpoint's context
     * @param train the training settings
     * @param evalFraction the share of documents held out for the evaluation loss
     * @param out the run directory, which receives the fine-tuned checkpoint
     * @param fusedHead positions per chunk of a fused head and cross-entropy, or 0 for the logits whole
     * @return what the run did
     */
    public static TrainResult fineTune(
            List<String> documents,
            String init,
            int context,
            TrainConfig train,
            double evalFraction,
            Path out,
            int fusedHead) {
        FusedLmLoss.orLogits(fusedHead);
        checkCorpus(documents, evalFraction);
        try (Model model = Model.newInstance("lm", Devices.choose());
                MetricsLog metrics = MetricsLog.open(
                        out.resolve("metrics.csv"), out.getFileName().toString())) {
            HfCheckpoint checkpoint = HfCheckpoint.load(
                    init, model.getNDManager(), HfCheckpoint.Options.defaults().withContext(context));
            model.setBlock(checkpoint.model());
            DType stored = HfExport.sourceType(checkpoint.dir());
            TrainingLoop.Checkpoints save = (steps, best) -> HfExport.write(
                    checkpoint.model(),
                    checkpoint.tokenizer(),
                    checkpoint.dir(),
                    best ? out.resolve("best") : out,
                    stored);
            try {
                return run(
                        model,
                        checkpoint.model(),
                        false,
                        checkpoint.tokenizer(),
                        documents,
                        train,
                        evalFraction,
                        0,
                        save,
                        metrics,
                        fusedHead);
            } finally {
                checkpoint.tokenizer().close();
            }
        }
    }

    private static void checkCorpus(List<String> documents, double evalFraction) {
        if (documents.isEmpty()) {
            throw new IllegalArgumentException("the corpus is empty: give at least one document (one per line, "
                    + "or JSONL with a \"text\" field)");
        }
        if (!(evalFraction >= 0 && evalFraction < 1)) {
            throw new IllegalArgumentException("evalFraction must be in [0, 1), got " + evalFraction);
        }
    }

    private static TrainResult run(
            Model model,
            LanguageModel lm,
            boolean initialize,
            Tokenizer tok,
            List<String> documents,
            TrainConfig train,
            double evalFraction,
            int startStep,
            TrainingLoop.Checkpoints save,
            MetricsLog metrics,
            int fusedHead) {
        List<String> trainDocs = new ArrayList<>();
        List<String> evalDocs = new ArrayList<>();
        int every = evalFraction > 0 ? (int) Math.max(2, Math.round(1 / evalFraction)) : 0;
        for (int i = 0; i < documents.size(); i++) {
            (every > 0 && i % every == every - 1 ? evalDocs : trainDocs).add(documents.get(i));
        }
        List<SequenceExample> examples = sequences(trainDocs, tok, lm.context());
        List<SequenceExample> held = sequences(evalDocs, tok, lm.context());
        SequenceBatches batches =
                new SequenceBatches(examples, train.batchSize(), tok.specials().pad(), train.seed());
        batches.skip((long) startStep * train.gradAccumulation());
        TrainingLoop loop = new TrainingLoop(train, metrics, 0);
        try (Model view = fusedHead > 0 ? HiddenAndHead.asModel(model.getName(), lm) : null;
                Trainer trainer = loop.newTrainer(view != null ? view : model, FusedLmLoss.orLogits(fusedHead))) {
            if (initialize) {
                ((CausalLm) lm).initialize(trainer.getManager());
            }
            Evaluation evaluation = held.isEmpty()
                    ? null
                    : t -> heldOutLoss(
                            t, held, train.batchSize(), tok.specials().pad());
            return loop.run(
                    trainer, batches, evaluation, startStep, train.evalEvery() > 0 ? train.evalEvery() : 100, save);
        }
    }

    /**
     * The mean next-token loss of held-out sequences.
     *
     * @param trainer the trainer
     * @param held the sequences
     * @param batchSize sequences per batch
     * @param pad the padding id
     * @return the loss, averaged over batches
     */
    public static double heldOutLoss(Trainer trainer, List<SequenceExample> held, int batchSize, int pad) {
        double sum = 0;
        int batches = 0;
        for (int i = 0; i < held.size(); i += batchSize) {
            try (NDManager scope = trainer.getManager().newSubManager()) {
                TrainBatch batch =
                        SequenceBatches.batchOf(scope, held.subList(i, Math.min(held.size(), i + batchSize)), pad);
                NDList predictions = trainer.evaluate(batch.data());
                sum += trainer.getLoss().evaluate(batch.labels(), predictions).getFloat();
                batches++;
            }
        }
        return sum / batches;
    }
}
