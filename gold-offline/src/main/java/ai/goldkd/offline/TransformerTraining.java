package ai.goldkd.offline;

import ai.djl.Model;
import ai.djl.training.Trainer;
import ai.goldkd.config.Devices;
import ai.goldkd.loss.CrossEntropyLoss;
import ai.goldkd.model.CausalLm;
import ai.goldkd.model.Positions;
import ai.goldkd.model.TransformerConfig;
import ai.goldkd.tokenizer.Tokenizers;
import ai.goldkd.tokenizer.WordTokenizer;
import ai.goldkd.train.LmTraining;
import ai.goldkd.train.MetricsLog;
import ai.goldkd.train.Schedule;
import ai.goldkd.train.SequenceBatches;
import ai.goldkd.train.SequenceExample;
import ai.goldkd.train.TrainConfig;
import ai.goldkd.train.TrainResult;
import ai.goldkd.train.TrainingLoop;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * How {@link TransformerTeacher} is trained: the documents, their packing, and the run.
 *
 * <p>A review becomes {@code <label> words <eos>}: its text as {@link ReviewText} normalises it (lower-case
 * words and the marks {@code . , ! ? ; :}), encoded by a lower-cased word vocabulary of the training texts
 * ({@link Tokenizers#words}), cut after its last sentence end within {@code docTokens} tokens. Label tokens
 * are ids past the word vocabulary, one per label. Reviews are packed in the corpus's order, whole,
 * into sequences {@code <bos> doc doc ...} of at most {@code context + 1} tokens: the IMDB file keeps
 * reviews of one film together, so a review's neighbours tell something about it, and the model learns
 * to read them (the prompt's examples, at generation) before it writes.
 */
final class TransformerTraining {

    /** Every this-many-th packed sequence is held out for the final held-out loss. */
    static final int HOLD_OUT_EVERY = 50;

    private TransformerTraining() {}

    /** The word vocabulary of a corpus, lower-cased, of at most {@code recipe.vocab()} ids. */
    static WordTokenizer vocabulary(List<String> texts, TransformerRecipe recipe) {
        List<String> normalised =
                texts.stream().map(TransformerTraining::normalise).toList();
        return Tokenizers.words(
                normalised, WordTokenizer.Options.defaults().withLowercase(true).withMaxVocab(recipe.vocab()));
    }

    /** A text as the teacher reads and writes it: {@link ReviewText}'s tokens, put back together. */
    static String normalise(String text) {
        return ReviewText.detokenize(ReviewText.tokens(text));
    }

    /**
     * A review's word ids, cut after the last sentence end within {@code docTokens} ids (or at
     * {@code docTokens} when no sentence ends that early).
     *
     * @param tokenizer the word vocabulary
     * @param text the review
     * @param docTokens the most ids
     * @return the ids, possibly empty
     */
    static int[] review(WordTokenizer tokenizer, String text, int docTokens) {
        int[] ids = tokenizer.encode(normalise(text));
        if (ids.length <= docTokens) {
            return ids;
        }
        int cut = docTokens;
        for (int i = docTokens - 1; i >= 0; i--) {
            if (endsSentence(tokenizer, ids[i])) {
                cut = i + 1;
                break;
            }
        }
        return Arrays.copyOf(ids, cut);
    }

    static boolean endsSentence(WordTokenizer tokenizer, int id) {
        return id < tokenizer.vocabSize()
                && ReviewText.endsSentence(tokenizer.vocabulary().get(id));
    }

    /**
     * Packs reviews, whole and in order, into sequences {@code <bos> <label> words <eos> <label> ...} of at
     * most {@code context + 1} tokens.
     *
     * @param reviews each review's word ids
     * @param labelTokens each review's label token
     * @param tokenizer the word vocabulary (for BOS and EOS)
     * @param context the model's context
     * @return the sequences; the loss covers every token after BOS
     */
    static List<SequenceExample> pack(List<int[]> reviews, int[] labelTokens, WordTokenizer tokenizer, int context) {
        List<SequenceExample> out = new ArrayList<>();
        int[] sequence = new int[context + 1];
        int length = 0;
        for (int r = 0; r < reviews.size(); r++) {
            int[] words = reviews.get(r);
            if (words.length == 0) {
                continue;
            }
            int need = words.length + 2;
            if (length > 0 && length + need > sequence.length) {
                out.add(new SequenceExample(Arrays.copyOf(sequence, length), 1));
                length = 0;
            }
            if (length == 0) {
                sequence[length++] = tokenizer.specials().bos();
            }
            sequence[length++] = labelTokens[r];
            int fits = Math.min(words.length, sequence.length - length - 1);
            System.arraycopy(words, 0, sequence, length, fits);
            length += fits;
            sequence[length++] = tokenizer.specials().eos();
        }
        if (length > 2) {
            out.add(new SequenceExample(Arrays.copyOf(sequence, length), 1));
        }
        return out;
    }

    /** The model's shape for a recipe and a vocabulary with label tokens. */
    static TransformerConfig shape(TransformerRecipe recipe, int vocab) {
        return new TransformerConfig(
                recipe.layers(),
                recipe.dim(),
                recipe.heads(),
                recipe.mlp(),
                vocab,
                recipe.context(),
                0f,
                Positions.LEARNED,
                true);
    }

    /**
     * Trains the model and writes its parameters and the vocabulary into a directory.
     *
     * @param corpus the labelled training texts
     * @param recipe the recipe
     * @param dir where to write ({@link TransformerTeacher#PARAMS_FILE}, the tokenizer's files, {@code metrics.csv})
     * @param log progress lines
     * @return facts of the build, for {@code teacher.json}
     */
    static Built train(TeacherStore.Corpus corpus, TransformerRecipe recipe, Path dir, Consumer<String> log) {
        if (corpus.texts().isEmpty()) {
            throw new IllegalArgumentException("the corpus is empty; the transformer teacher needs labelled reviews");
        }
        long started = System.nanoTime();
        WordTokenizer tokenizer = vocabulary(corpus.texts(), recipe);
        int words = tokenizer.vocabSize();
        int[] labelTokens = new int[corpus.texts().size()];
        List<int[]> reviews = new ArrayList<>(corpus.texts().size());
        for (int i = 0; i < corpus.texts().size(); i++) {
            int label = corpus.labelNames().indexOf(corpus.labels().get(i));
            if (label < 0) {
                throw new IllegalArgumentException("training text " + i + " has label '"
                        + corpus.labels().get(i) + "', not one of " + corpus.labelNames());
            }
            labelTokens[i] = words + label;
            reviews.add(review(tokenizer, corpus.texts().get(i), recipe.docTokens()));
        }
        List<SequenceExample> packed = pack(reviews, labelTokens, tokenizer, recipe.context());
        List<SequenceExample> train = new ArrayList<>();
        List<SequenceExample> held = new ArrayList<>();
        for (int i = 0; i < packed.size(); i++) {
            (packed.size() >= 2 * HOLD_OUT_EVERY && i % HOLD_OUT_EVERY == HOLD_OUT_EVERY - 1 ? held : train)
                    .add(packed.get(i));
        }
        long tokens = train.stream().mapToLong(e -> e.ids().length - 1).sum();
        log.accept(String.format(
                Locale.ROOT,
                "%d reviews, %d words + %d labels, %d sequences of up to %d tokens"
                        + " (%d training tokens; %d steps x %d sequences is %.2f epochs)",
                reviews.size(),
                words,
                corpus.labelNames().size(),
                train.size(),
                recipe.context() + 1,
                tokens,
                recipe.steps(),
                recipe.batch(),
                (double) recipe.steps() * recipe.batch() / train.size()));
        TransformerConfig config = shape(recipe, words + corpus.labelNames().size());
        TrainConfig settings = new TrainConfig(
                recipe.learningRate(),
                recipe.learningRate() / 10,
                0.01f,
                Math.max(1, recipe.steps() / 20),
                recipe.steps(),
                Schedule.COSINE,
                recipe.batch(),
                1,
                1f,
                0,
                0,
                recipe.seed(),
                25);
        try (Model model = Model.newInstance("imdb-transformer", Devices.choose());
                MetricsLog metrics = MetricsLog.open(dir.resolve("metrics.csv"), "imdb-transformer")) {
            CausalLm lm = new CausalLm(config);
            model.setBlock(lm);
            TrainingLoop loop = new TrainingLoop(settings, metrics, 0);
            try (Trainer trainer = loop.newTrainer(model, CrossEntropyLoss.tokenMean())) {
                lm.initialize(trainer.getManager());
                SequenceBatches batches = new SequenceBatches(
                        train, recipe.batch(), tokenizer.specials().pad(), recipe.seed());
                TrainResult result = loop.run(trainer, batches, null, 0, 0, null);
                double heldOut = held.isEmpty()
                        ? Double.NaN
                        : LmTraining.heldOutLoss(
                                trainer,
                                held,
                                recipe.batch(),
                                tokenizer.specials().pad());
                try (OutputStream out = Files.newOutputStream(dir.resolve(TransformerTeacher.PARAMS_FILE));
                        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out))) {
                    lm.saveParameters(data);
                }
                tokenizer.save(dir);
                double seconds = (System.nanoTime() - started) / 1e9;
                log.accept(String.format(
                        Locale.ROOT,
                        "trained %d steps in %.0f s: last loss %.3f, held-out loss %.3f," + " %.0f tokens/s",
                        result.steps(),
                        seconds,
                        result.lastLoss(),
                        heldOut,
                        result.tokensPerSecond()));
                return new Built(
                        reviews.size(),
                        words,
                        train.size(),
                        tokens,
                        result.lastLoss(),
                        heldOut,
                        result.tokensPerSecond(),
                        seconds);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the transformer teacher into " + dir, e);
        }
    }

    /**
     * What a build did.
     *
     * @param reviews training reviews
     * @param words word ids, special tokens included
     * @param sequences packed training sequences
     * @param tokens training tokens in them
     * @param lastLoss the last step's training loss
     * @param heldOutLoss the mean loss on the held-out sequences (every {@value #HOLD_OUT_EVERY}th), or NaN
     * @param tokensPerSecond training throughput
     * @param seconds the whole build, vocabulary included
     */
    record Built(
            int reviews,
            int words,
            int sequences,
            long tokens,
            double lastLoss,
            double heldOutLoss,
            double tokensPerSecond,
            double seconds) {}
}
