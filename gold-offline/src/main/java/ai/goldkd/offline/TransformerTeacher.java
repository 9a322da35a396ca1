package ai.goldkd.offline;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.goldkd.model.CausalLm;
import ai.goldkd.model.Generation;
import ai.goldkd.model.Sampler;
import ai.goldkd.model.SamplingConfig;
import ai.goldkd.teacher.Completion;
import ai.goldkd.teacher.GenerationRequest;
import ai.goldkd.teacher.ServableModel;
import ai.goldkd.tokenizer.Tokenizer;
import ai.goldkd.tokenizer.Tokenizers;
import ai.goldkd.tokenizer.WordTokenizer;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The small-transformer IMDB teacher: a label-conditioned causal transformer LM trained by
 * {@link TransformerTraining} on the TRAIN reviews, sampled with the KV-cached {@link Sampler}.
 *
 * <p>A request is read with {@link TeacherPrompt}. The model's input is
 * <pre>
 *   &lt;bos&gt; &lt;label_k&gt; example_k &lt;eos&gt; ... &lt;label_n&gt; example_n &lt;eos&gt; &lt;label&gt;
 * </pre>
 * with the prompt's last examples that fit the context (each cut as training reviews are, to at most half
 * the room the sample leaves, so the last two always fit; with the label
 * its block names, else the requested one) and the requested label (else one drawn uniformly per sample);
 * the sample is what the model writes after it, up to its end token. The examples steer only as far as
 * the model learnt to read earlier reviews of a packed sequence; a prompt asking for something "clearly
 * different" is sampled without its examples (the model cannot be told to avoid them). The unknown-word,
 * label and other special tokens are never sampled. Temperature, top-k, top-p, max tokens, stop sequences
 * and the seed are honoured (sample {@code i} uses {@code seed + i}); top log-probabilities are not given.
 *
 * <p>A sample is its words with capitals at sentence starts, followed by a line break (so the stop
 * sequence {@code "\n"} ends it, as for the n-gram teachers); one that reaches its token limit or
 * {@value #MAX_CHARS} characters without ending is cut back to its last sentence end, and one the model
 * ends within {@value #MIN_CHARS} characters is drawn again (up to {@value #REDRAWS} times, with seeds
 * past the request's).
 *
 * <p>Calls are serialised by a lock; close the teacher to free the model.
 */
public final class TransformerTeacher implements ServableModel, AutoCloseable {

    /** The parameter file in a teacher directory. */
    public static final String PARAMS_FILE = "transformer.params";
    /** The description file in a teacher directory: recipe, labels, build facts. */
    public static final String META_FILE = "teacher.json";
    /** The most characters of a sample, its line break included (the imdb-sentiment task's limit). */
    static final int MAX_CHARS = TransformerText.MAX_CHARS;
    /** The fewest characters of a sample: one the model ends earlier is drawn again. */
    static final int MIN_CHARS = TransformerText.MIN_CHARS;
    /** How many times a sample ended too early is drawn again before it is kept as it is. */
    static final int REDRAWS = 4;

    private final TransformerRecipe recipe;
    private final List<String> labels;
    private final WordTokenizer tokenizer;
    private final CausalLm model;
    private final Sampler sampler;
    private final NDManager manager;
    private final ReentrantLock lock = new ReentrantLock();

    private TransformerTeacher(
            TransformerRecipe recipe, List<String> labels, WordTokenizer tokenizer, CausalLm model, NDManager manager) {
        this.recipe = recipe;
        this.labels = List.copyOf(labels);
        this.tokenizer = tokenizer;
        this.model = model;
        this.manager = manager;
        int words = tokenizer.vocabSize();
        int[] suppressed = new int[3 + labels.size()];
        suppressed[0] = tokenizer.specials().pad();
        suppressed[1] = tokenizer.specials().bos();
        suppressed[2] = WordTokenizer.UNK_ID;
        for (int l = 0; l < labels.size(); l++) {
            suppressed[3 + l] = words + l;
        }
        this.sampler = new Sampler(model, tokenizer, suppressed);
    }

    /**
     * Trains a teacher from a corpus and writes it into a directory ({@link #PARAMS_FILE}, {@link #META_FILE},
     * the tokenizer's files and {@code metrics.csv}); {@link #load} reads it back.
     *
     * @param corpus the labelled training texts
     * @param recipe the recipe
     * @param dir an existing directory
     * @param log progress lines
     */
    public static void build(TeacherStore.Corpus corpus, TransformerRecipe recipe, Path dir, Consumer<String> log) {
        TransformerTraining.Built built = TransformerTraining.train(corpus, recipe, dir, log);
        JsonObject o = new JsonObject();
        o.addProperty("version", TransformerRecipe.VERSION);
        o.addProperty("hash", recipe.hash());
        o.addProperty("canonical", recipe.canonical());
        o.add("recipe", new Gson().toJsonTree(recipe));
        o.add("labels", new Gson().toJsonTree(corpus.labelNames()));
        o.add("build", new Gson().toJsonTree(built));
        try {
            Files.writeString(
                    dir.resolve(META_FILE),
                    new GsonBuilder()
                                    .setPrettyPrinting()
                                    .serializeSpecialFloatingPointValues()
                                    .create()
                                    .toJson(o) + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(META_FILE), e);
        }
    }

    /**
     * Loads a teacher directory written by {@link #build} onto the CPU.
     *
     * @param dir the directory
     * @return the teacher; close it to free the model
     * @throws IllegalArgumentException when the directory holds no transformer teacher, naming the fix
     */
    public static TransformerTeacher load(Path dir) {
        Path meta = dir.resolve(META_FILE);
        if (!Files.isRegularFile(meta) || !Files.isRegularFile(dir.resolve(PARAMS_FILE))) {
            throw new IllegalArgumentException(dir + " holds no transformer teacher (" + META_FILE + " and "
                    + PARAMS_FILE + "); build one with `gold teacher build imdb-transformer`");
        }
        TransformerRecipe recipe;
        List<String> labels;
        try {
            JsonObject o = JsonParser.parseString(Files.readString(meta, StandardCharsets.UTF_8))
                    .getAsJsonObject();
            recipe = new Gson().fromJson(o.get("recipe"), TransformerRecipe.class);
            labels = new ArrayList<>();
            o.getAsJsonArray("labels").forEach(e -> labels.add(e.getAsString()));
            if (o.get("version").getAsInt() != TransformerRecipe.VERSION) {
                throw new IllegalArgumentException("it was built by recipe version " + o.get("version")
                        + ", this code is version " + TransformerRecipe.VERSION);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + meta, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    meta + " is not a transformer teacher description (" + e.getMessage() + "); delete " + dir
                            + " and build it again with `gold teacher build imdb-transformer`",
                    e);
        }
        Tokenizer loaded = Tokenizers.load(dir);
        if (!(loaded instanceof WordTokenizer words)) {
            throw new IllegalArgumentException(dir + " holds a " + loaded + ", not a word vocabulary; build it again");
        }
        NDManager manager = NDManager.newBaseManager(Device.cpu());
        try {
            CausalLm lm = new CausalLm(TransformerTraining.shape(recipe, words.vocabSize() + labels.size()));
            try (InputStream in = Files.newInputStream(dir.resolve(PARAMS_FILE));
                    DataInputStream data = new DataInputStream(new BufferedInputStream(in))) {
                lm.loadParameters(manager, data);
            }
            return new TransformerTeacher(recipe, labels, words, lm, manager);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            manager.close();
            throw new IllegalArgumentException(
                    "cannot load the transformer in " + dir + " (" + e.getMessage()
                            + "); delete the directory and build it again with `gold teacher build imdb-transformer`",
                    e);
        }
    }

    /** The recipe it was built from. */
    public TransformerRecipe recipe() {
        return recipe;
    }

    /** The label names, in the order of their tokens. */
    public List<String> labels() {
        return labels;
    }

    /**
     * A label's token id.
     *
     * @param label a label name
     * @return its id, past the word vocabulary
     */
    public int labelToken(String label) {
        int l = labels.indexOf(label);
        if (l < 0) {
            throw new IllegalArgumentException("label '" + label + "' is not one of " + labels);
        }
        return tokenizer.vocabSize() + l;
    }

    /** How many new tokens a request may produce: its limit, at most a training review and its end. */
    private int newTokens(GenerationRequest request) {
        return Math.min(request.maxTokens(), recipe.docTokens() + 1);
    }

    /**
     * The model's input for a prompt: BOS, the last examples that fit with {@code maxNew} new tokens, the
     * label token.
     *
     * @param prompt the prompt as read
     * @param label the sample's label
     * @param maxNew how many new tokens must still fit
     * @return the ids
     */
    int[] inputIds(TeacherPrompt prompt, String label, int maxNew) {
        int budget = recipe.context() - maxNew - 2; // BOS and the label token
        // Each example is cut to half the room, so the last two (a GOLD prompt's feedback) always fit.
        int perExample = Math.min(recipe.docTokens(), budget / 2 - 2);
        List<int[]> kept = new ArrayList<>();
        int used = 0;
        if (!prompt.clearlyDifferent() && perExample >= 1) {
            for (int i = prompt.examples().size() - 1; i >= 0; i--) {
                int[] words =
                        TransformerTraining.review(tokenizer, prompt.contents().get(i), perExample);
                if (words.length == 0) {
                    continue;
                }
                if (used + words.length + 2 > budget) {
                    break;
                }
                String own =
                        TeacherPrompt.read(prompt.examples().get(i), labels).label();
                int[] doc = new int[words.length + 2];
                doc[0] = labelToken(own != null ? own : label);
                System.arraycopy(words, 0, doc, 1, words.length);
                doc[doc.length - 1] = tokenizer.specials().eos();
                kept.add(0, doc);
                used += doc.length;
            }
        }
        int[] ids = new int[used + 2];
        ids[0] = tokenizer.specials().bos();
        int at = 1;
        for (int[] doc : kept) {
            System.arraycopy(doc, 0, ids, at, doc.length);
            at += doc.length;
        }
        ids[at] = labelToken(label);
        return ids;
    }

    @Override
    public List<Completion> generate(GenerationRequest request) {
        checkFits(request.prompt(), request.maxTokens());
        TeacherPrompt prompt = TeacherPrompt.read(request.prompt(), labels);
        long seed = request.seed() != null
                ? request.seed()
                : ThreadLocalRandom.current().nextLong();
        int maxNew = newTokens(request);
        List<int[]> inputs = new ArrayList<>(request.n());
        int[][] byLabel = new int[labels.size()][];
        for (int i = 0; i < request.n(); i++) {
            int label = prompt.label() != null
                    ? labels.indexOf(prompt.label())
                    : new SplittableRandom(seed + i).nextInt(labels.size());
            if (byLabel[label] == null) {
                byLabel[label] = inputIds(prompt, labels.get(label), maxNew);
            }
            inputs.add(byLabel[label]);
        }
        SamplingConfig config = new SamplingConfig(
                maxNew, request.temperature(), request.topK(), request.topP(), seed, List.of(), true);
        Completion[] out = new Completion[request.n()];
        lock.lock();
        try {
            List<Generation> generations = sampler.generateIds(inputs, config);
            for (int i = 0; i < out.length; i++) {
                out[i] = TransformerText.completion(generations.get(i), request, tokenizer);
            }
            // A sample the model ended before MIN_CHARS is drawn again (seeds seed + n * round + i), as the
            // n-gram teachers may not end a review that early.
            for (int round = 1; round <= REDRAWS && request.temperature() > 0; round++) {
                for (int i = 0; i < out.length; i++) {
                    if (tooShort(out[i])) {
                        Generation again = sampler.generateIds(
                                        List.of(inputs.get(i)), config.withSeed(seed + (long) request.n() * round + i))
                                .get(0);
                        out[i] = TransformerText.completion(again, request, tokenizer);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        return List.of(out);
    }

    private boolean tooShort(Completion c) {
        int end = c.tokens().length > 0
                        && c.tokens()[c.tokens().length - 1]
                                == tokenizer.specials().eos()
                ? c.tokens().length - 1
                : -1;
        return end >= 0 && TransformerText.offset(c.tokens(), end, tokenizer) < MIN_CHARS;
    }

    /**
     * The model's next-token log-probabilities after some ids, by teacher forcing (no cache).
     *
     * @param ids the input ids, BOS first
     * @return (V) log-probabilities, label tokens included
     */
    float[] nextLogProbs(int[] ids) {
        lock.lock();
        try (NDManager scope = manager.newSubManager()) {
            long[] longs = Arrays.stream(ids).asLongStream().toArray();
            NDArray logits = model.logits(
                    new ParameterStore(scope, false),
                    scope.create(longs, new Shape(1, ids.length)),
                    null,
                    false); // (1, T, V)
            return logits.get(0, ids.length - 1).logSoftmax(-1).toFloatArray();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int promptTokens(String prompt) {
        TeacherPrompt read = TeacherPrompt.read(prompt, labels);
        return inputIds(read, read.label() != null ? read.label() : labels.get(0), recipe.docTokens() + 1).length;
    }

    @Override
    public String tokenText(int id) {
        if (id == tokenizer.specials().eos()) {
            return "\n";
        }
        if (id >= tokenizer.vocabSize() && id < tokenizer.vocabSize() + labels.size()) {
            return "<" + labels.get(id - tokenizer.vocabSize()) + ">";
        }
        String text = id >= 0 && id < tokenizer.vocabSize() ? tokenizer.decode(new int[] {id}) : "";
        return text.isEmpty() ? "token_id:" + id : text;
    }

    @Override
    public int textOffset(int[] tokens, int t) {
        return TransformerText.textOffset(tokens, t, tokenizer);
    }

    @Override
    public void checkFits(String prompt, int maxTokens) {
        if (maxTokens > OfflineTeacher.CONTEXT) {
            throw new IllegalArgumentException(
                    "max_tokens " + maxTokens + " exceeds the transformer teacher's limit of "
                            + OfflineTeacher.CONTEXT + "; it writes at most " + (recipe.docTokens() + 1)
                            + " tokens a sample, ask for fewer");
        }
    }

    /** The longest request a caller may make; the model itself reads {@link TransformerRecipe#context()} tokens. */
    @Override
    public int context() {
        return OfflineTeacher.CONTEXT;
    }

    /** Frees the model. */
    @Override
    public void close() {
        manager.close();
    }

    @Override
    public String toString() {
        return "TransformerTeacher[" + model.config() + ", " + tokenizer + ", labels " + labels + "]";
    }
}
