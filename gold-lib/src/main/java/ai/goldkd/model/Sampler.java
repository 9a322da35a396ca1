package ai.goldkd.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.goldkd.tokenizer.SpecialTokens;
import ai.goldkd.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates text from a {@link LanguageModel}: greedy, temperature, top-k and top-p sampling over batched
 * prompts of different lengths (left-padded), with stop sequences, a seed, and the KV cache or not.
 *
 * <pre>{@code
 * Sampler sampler = new Sampler(model, tokenizer);
 * List<Generation> out = sampler.generate(List.of("The movie"), SamplingConfig.defaults().withTopK(20));
 * }</pre>
 */
public final class Sampler {

    private final LanguageModel model;
    private final int[] stops;
    private final Tokenizer tokenizer;
    private final int[] suppressed;

    /**
     * Creates a sampler.
     *
     * @param model the model, initialised
     * @param tokenizer its tokenizer; its vocabulary must fit the model's
     */
    public Sampler(LanguageModel model, Tokenizer tokenizer) {
        this(model, tokenizer, new int[0]);
    }

    /**
     * Creates a sampler that never picks some tokens (ids outside the tokenizer, such as a model's extra
     * conditioning tokens, or an unknown-word token), as Hugging Face's {@code suppress_tokens} does.
     * A generation's log-probabilities stay those of the model, before the suppression.
     *
     * @param model the model, initialised
     * @param tokenizer its tokenizer; its vocabulary must fit the model's
     * @param suppressed token ids never to pick, each in {@code [0, model vocab)}
     */
    public Sampler(LanguageModel model, Tokenizer tokenizer, int[] suppressed) {
        if (tokenizer.vocabSize() > model.vocab()) {
            throw new IllegalArgumentException("tokenizer vocab " + tokenizer.vocabSize() + " > model vocab "
                    + model.vocab() + "; use the tokenizer the model was trained with");
        }
        for (int id : suppressed) {
            if (id < 0 || id >= model.vocab()) {
                throw new IllegalArgumentException(
                        "suppressed token " + id + " is outside the model's vocabulary [0, " + model.vocab() + ")");
            }
        }
        this.model = model;
        this.tokenizer = tokenizer;
        this.suppressed = suppressed.clone();
        this.stops = tokenizer.stopIds();
    }

    /**
     * Generates one continuation per prompt, each encoded by {@link Tokenizer#encodePrompt} (after a
     * BOS token for gold's tokenizers; by its own post-processor for a Hugging Face checkpoint's).
     *
     * @param prompts the prompts
     * @param config how to decode
     * @return one generation per prompt, in order
     */
    public List<Generation> generate(List<String> prompts, SamplingConfig config) {
        List<int[]> ids = new ArrayList<>();
        for (String prompt : prompts) {
            ids.add(tokenizer.encodePrompt(prompt));
        }
        return generateIds(ids, config);
    }

    /**
     * Generates one continuation per prompt of token ids (no BOS is added).
     *
     * @param prompts the prompts as token ids, each non-empty
     * @param config how to decode
     * @return one generation per prompt, in order
     */
    public List<Generation> generateIds(List<int[]> prompts, SamplingConfig config) {
        int batch = prompts.size();
        if (batch == 0) {
            return List.of();
        }
        int longest = prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
        if (prompts.stream().anyMatch(p -> p.length == 0)) {
            throw new IllegalArgumentException("a prompt is empty; give at least one token (e.g. BOS)");
        }
        int total = longest + config.maxNewTokens();
        if (total > model.context()) {
            throw new IllegalArgumentException("prompt of " + longest + " tokens + " + config.maxNewTokens()
                    + " new tokens exceeds the model's context " + model.context()
                    + "; shorten the prompt or lower maxNewTokens");
        }
        SpecialTokens specials = tokenizer.specials();
        SplittableRandom[] random = new SplittableRandom[batch];
        for (int b = 0; b < batch; b++) {
            random[b] = new SplittableRandom(config.seed() + b);
        }
        // Left-pad so that every row's last prompt token is at the same column.
        int[][] sequence = new int[batch][total];
        boolean[][] real = new boolean[batch][total];
        for (int b = 0; b < batch; b++) {
            int[] p = prompts.get(b);
            int offset = longest - p.length;
            Arrays.fill(sequence[b], specials.pad());
            System.arraycopy(p, 0, sequence[b], offset, p.length);
            Arrays.fill(real[b], offset, total, true);
        }
        List<List<Integer>> tokens = new ArrayList<>();
        List<List<Float>> logprobs = new ArrayList<>();
        String[] finish = new String[batch];
        String[] text = new String[batch];
        for (int b = 0; b < batch; b++) {
            tokens.add(new ArrayList<>());
            logprobs.add(new ArrayList<>());
        }
        ai.djl.Device device = model.getParameters().valueAt(0).getArray().getDevice();
        // One-row cached decoding is a string of small ops: a second OpenMP thread mostly spins and loses its
        // core to the JVM's own threads (PERFORMANCE.md measured +46% on one thread).
        boolean oneThread = batch == 1
                && config.useCache()
                && !device.isGpu()
                && "PyTorch".equals(Engine.getInstance().getEngineName());
        int threads = oneThread ? JniUtils.getNumThreads() : 0;
        if (oneThread) {
            JniUtils.setNumThreads(1);
        }
        // Plain top-k sampling (no suppressed tokens) selects its candidates natively.
        int nativeTopK = config.temperature() > 0f
                        && config.topK() > 0
                        && config.topK() < model.vocab()
                        && suppressed.length == 0
                ? config.topK()
                : 0;
        try (NDManager run = NDManager.newBaseManager(device)) {
            ParameterStore ps = new ParameterStore(run, false);
            KvCache cache = config.useCache() ? model.newCache(run, batch, total) : null;
            int length = longest;
            for (int step = 0; step < config.maxNewTokens(); step++) {
                float[][] logits; // (B, V) log-probabilities, or (B, k) of the native top k
                int[][] candidates = null; // (B, k) their token ids, largest first
                try (NDManager scope = run.newSubManager()) {
                    NDArray last = config.useCache()
                            ? cachedStep(ps, scope, sequence, real, cache, length)
                            : fullStep(ps, scope, sequence, real, length);
                    // Log-probabilities from one native op: sampling is shift-invariant, and the
                    // generation's logprobs are then read off instead of a Java pass over the vocabulary.
                    NDArray logp = last.logSoftmax(-1);
                    if (nativeTopK > 0) {
                        // Top-k sampling needs k values per row: the engine selects them, and only those
                        // cross into Java (not B x V floats).
                        NDList top = logp.topK(nativeTopK, -1, true, true);
                        logits = rows(top.get(0), batch);
                        candidates = TopK.byValueThenId(logits, top.get(1).toLongArray());
                    } else {
                        logits = rows(logp, batch);
                    }
                }
                boolean allDone = true;
                for (int b = 0; b < batch; b++) {
                    int next;
                    if (finish[b] != null) {
                        next = specials.pad();
                    } else {
                        float logprob;
                        if (candidates != null) {
                            int at = pickSorted(logits[b], config, random[b]);
                            next = candidates[b][at];
                            logprob = logits[b][at];
                        } else {
                            float[] row = logits[b];
                            if (suppressed.length > 0) {
                                row = row.clone();
                                for (int id : suppressed) {
                                    row[id] = Float.NEGATIVE_INFINITY;
                                }
                            }
                            next = pick(row, config, random[b]);
                            logprob = logits[b][next];
                        }
                        tokens.get(b).add(next);
                        logprobs.get(b).add(logprob);
                        finish[b] = finished(b, next, tokens.get(b), config, text, specials);
                    }
                    sequence[b][length] = next;
                    allDone &= finish[b] != null;
                }
                length++;
                if (allDone) {
                    break;
                }
            }
        } finally {
            if (oneThread) {
                JniUtils.setNumThreads(threads);
            }
        }
        List<Generation> out = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            int[] ids = tokens.get(b).stream().mapToInt(Integer::intValue).toArray();
            float[] lp = new float[ids.length];
            for (int i = 0; i < lp.length; i++) {
                lp[i] = logprobs.get(b).get(i);
            }
            String decoded = text[b] != null ? text[b] : tokenizer.decode(ids);
            out.add(new Generation(ids, decoded, lp, finish[b] == null ? "length" : finish[b]));
        }
        return out;
    }

    private NDArray cachedStep(
            ParameterStore ps, NDManager scope, int[][] sequence, boolean[][] real, KvCache cache, int length) {
        int from = cache.length();
        int steps = length - from;
        int batch = sequence.length;
        long[] ids = new long[batch * steps];
        boolean[][] mask = new boolean[batch][steps];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                ids[b * steps + t] = sequence[b][from + t];
                mask[b][t] = real[b][from + t];
            }
        }
        return model.step(ps, scope.create(ids, new Shape(batch, steps)), mask, cache);
    }

    private NDArray fullStep(ParameterStore ps, NDManager scope, int[][] sequence, boolean[][] real, int length) {
        int batch = sequence.length;
        long[] ids = new long[batch * length];
        int[] mask = new int[batch * length];
        boolean padded = false;
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < length; t++) {
                ids[b * length + t] = sequence[b][t];
                mask[b * length + t] = real[b][t] ? 1 : 0;
                padded |= !real[b][t];
            }
        }
        NDArray maskArray = padded ? scope.create(mask, new Shape(batch, length)) : null;
        NDArray logits = model.logits(ps, scope.create(ids, new Shape(batch, length)), maskArray, false);
        return logits.get(new NDIndex().addAllDim().addIndices(length - 1)); // (B, V)
    }

    private static float[][] rows(NDArray logits, int batch) {
        float[] flat = logits.toFloatArray();
        int vocab = flat.length / batch;
        float[][] out = new float[batch][];
        for (int b = 0; b < batch; b++) {
            out[b] = Arrays.copyOfRange(flat, b * vocab, (b + 1) * vocab);
        }
        return out;
    }

    private String finished(
            int row, int next, List<Integer> generated, SamplingConfig config, String[] text, SpecialTokens specials) {
        for (int stop : stops) {
            if (next == stop) {
                return "eos";
            }
        }
        if (config.stop().isEmpty()) {
            return null;
        }
        String decoded =
                tokenizer.decode(generated.stream().mapToInt(Integer::intValue).toArray());
        int cut = -1;
        for (String stop : config.stop()) {
            int at = decoded.indexOf(stop);
            if (at >= 0 && (cut < 0 || at < cut)) {
                cut = at;
            }
        }
        if (cut < 0) {
            return null;
        }
        text[row] = decoded.substring(0, cut);
        return "stop";
    }

    /**
     * Picks the next token from one row of logits (or log-probabilities: the same up to a shift).
     *
     * @param logits (V) the logits
     * @param config temperature, top-k, top-p
     * @param random the row's random source
     * @return the token id
     */
    static int pick(float[] logits, SamplingConfig config, SplittableRandom random) {
        if (config.temperature() == 0f) {
            return argmax(logits);
        }
        int vocab = logits.length;
        int keep = config.topK() > 0 ? Math.min(config.topK(), vocab) : vocab;
        if (keep < vocab || config.topP() < 1f) {
            // Only truncated sampling needs the tokens in order of their logits.
            int[] order = TopK.descending(logits, keep);
            float[] sorted = new float[keep];
            for (int i = 0; i < keep; i++) {
                sorted[i] = logits[order[i]];
            }
            return order[pickSorted(sorted, config, random)];
        }
        return draw(weights(logits, logits[argmax(logits)], config.temperature()), keep, random);
    }

    /** exp((v - max) / T) of each value: the softmax's numerators, largest 1. */
    private static double[] weights(float[] values, float max, float temperature) {
        double top = max / temperature;
        double[] p = new double[values.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(values[i] / temperature - top);
        }
        return p;
    }

    /** A draw from the first {@code keep} weights, in proportion to them. */
    private static int draw(double[] p, int keep, SplittableRandom random) {
        double sum = 0;
        for (int i = 0; i < keep; i++) {
            sum += p[i];
        }
        double u = random.nextDouble() * sum;
        for (int i = 0; i < keep; i++) {
            u -= p[i];
            if (u < 0) {
                return i;
            }
        }
        return keep - 1;
    }

    /**
     * Picks among candidates sorted largest first (the top k, then top-p within them).
     *
     * @param sorted the candidates' logits (or log-probabilities), largest first
     * @param config temperature and top-p
     * @param random the row's random source
     * @return the position of the pick in {@code sorted}
     */
    static int pickSorted(float[] sorted, SamplingConfig config, SplittableRandom random) {
        int keep = sorted.length;
        double[] p = weights(sorted, sorted[0], config.temperature());
        if (config.topP() < 1f) {
            double sum = 0;
            for (int i = 0; i < keep; i++) {
                sum += p[i];
            }
            double cumulative = 0;
            int nucleus = keep;
            for (int i = 0; i < keep; i++) {
                cumulative += p[i] / sum;
                if (cumulative >= config.topP()) {
                    nucleus = i + 1;
                    break;
                }
            }
            keep = nucleus;
        }
        return draw(p, keep, random);
    }

    static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
