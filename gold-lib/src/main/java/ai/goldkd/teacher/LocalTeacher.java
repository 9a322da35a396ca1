package ai.goldkd.teacher;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.goldkd.config.Devices;
import ai.goldkd.model.Checkpoint;
import ai.goldkd.model.Generation;
import ai.goldkd.model.LanguageModel;
import ai.goldkd.model.Sampler;
import ai.goldkd.model.SamplingConfig;
import ai.goldkd.model.hf.HfChatTemplate;
import ai.goldkd.model.hf.HfCheckpoint;
import ai.goldkd.tokenizer.CheckpointTokenizer;
import ai.goldkd.tokenizer.Tokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link LanguageModel} on DJL (gold's own or a Hugging Face checkpoint's) as a teacher: it samples text through {@link Sampler} and gives its logits.
 * Calls are serialised by a lock, so one instance may be shared by threads (a server's handlers).
 *
 * <p>A request's sample {@code i} is drawn with seed {@code seed + i}, so a seeded request returns the
 * same texts every time. Each prompt is read after a BOS token, which counts as a prompt token.
 *
 * <p>A teacher is not trained: {@link #logits} turns the model's parameter gradients off, so its
 * logits are constants and autograd keeps no graph for them (a trainer that later trains the same
 * model as a student turns them back on).
 *
 * <pre>{@code
 * try (LocalTeacher teacher = LocalTeacher.load(Path.of("runs/lm"))) {
 *     List<Completion> out = teacher.generate(GenerationRequest.of("The movie").withN(4).withSeed(1L));
 * }
 * }</pre>
 */
public final class LocalTeacher implements HiddenStateTeacher, ServableModel, AutoCloseable {

    private final LanguageModel model;
    private final Tokenizer tokenizer;
    private final Sampler sampler;
    private final NDManager owned;
    private final ReentrantLock lock = new ReentrantLock();

    /**
     * Wraps a model that the caller owns (and closes).
     *
     * @param model the model, initialised
     * @param tokenizer its tokenizer
     */
    public LocalTeacher(LanguageModel model, Tokenizer tokenizer) {
        this(model, tokenizer, null);
    }

    private LocalTeacher(LanguageModel model, Tokenizer tokenizer, NDManager owned) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.sampler = new Sampler(model, tokenizer);
        this.owned = owned;
    }

    /**
     * Loads a checkpoint directory (as written by {@code gold lm train}, or a Hugging Face model
     * directory) onto {@link Devices#choose()}.
     *
     * @param dir the checkpoint directory
     * @return the teacher; close it to free the model
     */
    public static LocalTeacher load(Path dir) {
        return load(dir, Devices.choose());
    }

    /**
     * Loads a checkpoint directory onto a device.
     *
     * @param dir the checkpoint directory
     * @param device where the model lives
     * @return the teacher; close it to free the model
     */
    public static LocalTeacher load(Path dir, Device device) {
        NDManager manager = NDManager.newBaseManager(device);
        try {
            // a gold run directory holds the run's config.json beside its checkpoint: gold's files win
            if (!Checkpoint.exists(dir) && HfCheckpoint.isCheckpoint(dir)) {
                HfCheckpoint hf = HfCheckpoint.load(dir.toString(), manager, HfCheckpoint.Options.defaults());
                return new LocalTeacher(hf.model(), hf.tokenizer(), manager);
            }
            Checkpoint checkpoint = Checkpoint.load(dir, manager);
            return new LocalTeacher(checkpoint.languageModel(), checkpoint.tokenizer(), manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Loads a model a config or command line names: a gold checkpoint directory ({@code ~/} expanded), or a
     * Hugging Face directory as {@code hf:DIR} or a plain path. A hub id fails: the machine is offline.
     *
     * @param spec the model
     * @param device where the model lives
     * @return the teacher; close it to free the model
     */
    public static LocalTeacher open(String spec, Device device) {
        Path dir = Checkpoint.path(spec);
        if (!spec.startsWith(HfCheckpoint.SCHEME) && Checkpoint.exists(dir)) {
            return load(dir, device);
        }
        return load(HfCheckpoint.resolve(spec), device);
    }

    @Override
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public int context() {
        return model.context();
    }

    @Override
    public int vocabSize() {
        return model.vocab();
    }

    /** The model this teacher wraps, for scoring and inspection; do not train it while it teaches. */
    public LanguageModel model() {
        return model;
    }

    /**
     * One answer per prompt, decoded in batches of {@code batchSize} (batch {@code k} seeded with
     * {@code sampling.seed() + k * batchSize}), each cut before its end-of-sequence token.
     */
    @Override
    public List<String> answers(List<String> prompts, SamplingConfig sampling, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        int eos = tokenizer.specials().eos();
        List<String> out = new ArrayList<>(prompts.size());
        lock.lock();
        try {
            for (int from = 0; from < prompts.size(); from += batchSize) {
                List<int[]> ids = new ArrayList<>();
                for (String prompt : prompts.subList(from, Math.min(prompts.size(), from + batchSize))) {
                    ids.add(tokenizer.encodePrompt(prompt));
                }
                for (Generation g : sampler.generateIds(ids, sampling.withSeed(sampling.seed() + from))) {
                    int[] tokens = g.tokens();
                    int n = tokens.length > 0 && tokens[tokens.length - 1] == eos ? tokens.length - 1 : tokens.length;
                    out.add(tokenizer.decode(Arrays.copyOf(tokens, n)));
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /**
     * How many tokens a prompt takes as the sampler encodes it (its BOS or the checkpoint's specials
     * included): what {@code usage.prompt_tokens} reports.
     *
     * @param prompt the prompt
     * @return the token count
     */
    @Override
    public int promptTokens(String prompt) {
        return tokenizer.encodePrompt(prompt).length;
    }

    /**
     * A token as text for log-probability listings: its decoded text, or {@code token_id:N} when it does
     * not decode to whole characters on its own (a byte of a multi-byte character, a special token), so
     * that distinct tokens never share a name.
     *
     * @param id the token id
     * @return its name
     */
    @Override
    public String tokenText(int id) {
        String text = id < tokenizer.vocabSize() ? tokenizer.decode(new int[] {id}) : "";
        return text.isEmpty() || text.indexOf('\uFFFD') >= 0 ? "token_id:" + id : text;
    }

    /**
     * Checks that a prompt and a token limit fit the context.
     *
     * @param prompt the prompt
     * @param maxTokens the most new tokens
     * @throws IllegalArgumentException naming both lengths and the context when they do not fit
     */
    @Override
    public void checkFits(String prompt, int maxTokens) {
        int promptTokens = promptTokens(prompt);
        if (promptTokens + maxTokens > context()) {
            throw new IllegalArgumentException("prompt of " + promptTokens + " tokens + max_tokens " + maxTokens
                    + " exceeds the model's context of " + context() + " tokens; lower max_tokens to at most "
                    + Math.max(0, context() - promptTokens) + " or shorten the prompt");
        }
    }

    /**
     * Renders a conversation with the checkpoint's own Jinja chat template when its tokenizer has one
     * (as transformers' apply_chat_template, generation prompt added), else the plain template. A
     * leading bos token the template writes is left to the tokenizer's post-processor, which adds
     * it when the prompt is encoded, so the ids are the template's with one bos.
     */
    @Override
    public String chatPrompt(List<ChatTemplate.Message> messages) {
        if (!(tokenizer instanceof CheckpointTokenizer hf) || hf.chatTemplate() == null) {
            return ChatTemplate.render(messages);
        }
        List<Map<String, String>> maps = new ArrayList<>();
        for (ChatTemplate.Message m : messages) {
            maps.add(Map.of("role", m.role(), "content", m.content()));
        }
        String text = new HfChatTemplate(hf.chatTemplate()).render(maps, true, hf.bosToken(), hf.eosToken());
        int[] empty = hf.encodePrompt("");
        boolean postAddsBos = empty.length > 0 && empty[0] == hf.specials().bos();
        if (postAddsBos && hf.bosToken() != null && text.startsWith(hf.bosToken())) {
            text = text.substring(hf.bosToken().length());
        }
        return text;
    }

    @Override
    public int textOffset(int[] tokens, int t) {
        return tokenizer.decode(Arrays.copyOf(tokens, t)).length();
    }

    @Override
    public List<Completion> generate(GenerationRequest request) {
        checkFits(request.prompt(), request.maxTokens());
        long seed = request.seed() != null
                ? request.seed()
                : ThreadLocalRandom.current().nextLong();
        SamplingConfig config = new SamplingConfig(
                request.maxTokens(), request.temperature(), request.topK(), request.topP(), seed, request.stop(), true);
        lock.lock();
        try {
            List<Generation> generations = sampler.generate(Collections.nCopies(request.n(), request.prompt()), config);
            List<List<List<TokenLogprob>>> top = request.topLogprobs() > 0
                    ? topLogprobs(request.prompt(), generations, request.topLogprobs())
                    : null;
            List<Completion> out = new ArrayList<>(generations.size());
            for (int i = 0; i < generations.size(); i++) {
                Generation g = generations.get(i);
                out.add(new Completion(
                        g.text(),
                        g.tokens(),
                        request.logprobs() ? g.logprobs() : null,
                        top == null ? null : top.get(i),
                        g.finish().equals("length") ? "length" : "stop"));
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Lists the k most likely tokens at each generated position by teacher-forcing prompt and sample. */
    private List<List<List<TokenLogprob>>> topLogprobs(String prompt, List<Generation> generations, int k) {
        int[] promptIds = tokenizer.encodePrompt(prompt);
        int start = promptIds.length;
        int longest =
                generations.stream().mapToInt(g -> g.tokens().length).max().orElse(0);
        int rows = generations.size();
        int length = start + longest;
        long[] ids = new long[rows * length];
        Arrays.fill(ids, tokenizer.specials().pad());
        for (int b = 0; b < rows; b++) {
            for (int t = 0; t < promptIds.length; t++) {
                ids[b * length + t] = promptIds[t];
            }
            int[] generated = generations.get(b).tokens();
            for (int t = 0; t < generated.length; t++) {
                ids[b * length + start + t] = generated[t];
            }
        }
        float[] logp;
        int vocab = model.vocab();
        // Right padding needs no mask: a causal model's position t never sees the padding after it.
        try (NDManager scope = NDManager.newBaseManager(device())) {
            NDArray logits = model.logits(
                    new ParameterStore(scope, false),
                    scope.create(ids, new Shape(rows, length)),
                    null,
                    false); // (B, T, V)
            logp = logits.logSoftmax(2).toFloatArray();
        }
        int readable = Math.min(vocab, tokenizer.vocabSize());
        List<List<List<TokenLogprob>>> out = new ArrayList<>(rows);
        for (int b = 0; b < rows; b++) {
            List<List<TokenLogprob>> positions = new ArrayList<>();
            for (int t = 0; t < generations.get(b).tokens().length; t++) {
                int offset = (b * length + start + t - 1) * vocab; // position start+t-1 predicts token t
                positions.add(best(logp, offset, readable, k));
            }
            out.add(positions);
        }
        return out;
    }

    private List<TokenLogprob> best(float[] logp, int offset, int vocab, int k) {
        Integer[] order = new Integer[vocab];
        for (int v = 0; v < vocab; v++) {
            order[v] = v;
        }
        Arrays.sort(order, (a, b) -> Float.compare(logp[offset + b], logp[offset + a]));
        List<TokenLogprob> top = new ArrayList<>(k);
        for (int i = 0; i < Math.min(k, vocab); i++) {
            top.add(new TokenLogprob(tokenText(order[i]), logp[offset + order[i]]));
        }
        return top;
    }

    private Device device() {
        return model.getParameters().valueAt(0).getArray().getDevice();
    }

    @Override
    public NDArray logits(NDArray ids, NDArray mask) {
        lock.lock();
        try {
            // a teacher's logits are constants: no parameter of it requires a gradient while it teaches
            model.getParameters().forEach(p -> p.getValue().getArray().setRequiresGradient(false));
            return model.logits(new ParameterStore(ids.getManager(), false), ids, mask, false);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public NDArray hidden(NDArray ids, NDArray mask) {
        lock.lock();
        try {
            model.getParameters().forEach(p -> p.getValue().getArray().setRequiresGradient(false));
            return model.hiddenBySequence(ids, mask);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public NDArray head() {
        model.getParameters().forEach(p -> p.getValue().getArray().setRequiresGradient(false));
        return model.head(
                new ParameterStore(model.getParameters().valueAt(0).getArray().getManager(), false), device(), false);
    }

    /** Frees the model when this teacher loaded it; a model passed in stays open. */
    @Override
    public void close() {
        if (owned != null) {
            owned.close();
        }
    }

    @Override
    public String toString() {
        return "LocalTeacher[" + model.getClass().getSimpleName() + " vocab=" + model.vocab() + " context="
                + model.context() + ", " + tokenizer + "]";
    }
}
