package ai.goldkd.offline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.goldkd.teacher.Completion;
import ai.goldkd.teacher.GenerationRequest;
import ai.goldkd.teacher.Teacher;
import ai.goldkd.tokenizer.ByteTokenizer;
import ai.goldkd.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A white-box teacher: a {@link MarkovLanguage} behind the {@link Teacher} interface, on gold's byte
 * tokenizer (a letter is its ASCII byte, the end symbol is EOS), so that every distillation regime takes
 * it as it takes a trained model. Its logits are the chain's log-probabilities, exactly; every token that
 * is neither a letter of the alphabet nor EOS gets logit -30 (a probability of about 1e-13), so that a
 * reverse KL stays finite where the student puts mass on them.
 */
public final class MarkovTeacher implements Teacher {

    /** The logit of a token the language never writes. */
    public static final float NEVER = -30f;

    private final MarkovLanguage language;
    private final double[][] table;
    private final ByteTokenizer tokenizer = ByteTokenizer.create();

    /**
     * A teacher for a language.
     *
     * @param language the language
     */
    public MarkovTeacher(MarkovLanguage language) {
        this.language = language;
        this.table = language.table();
    }

    /** The language this teacher writes. */
    public MarkovLanguage language() {
        return language;
    }

    @Override
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public int vocabSize() {
        return ByteTokenizer.VOCAB;
    }

    /** No limit of its own: the chain reads two tokens back; this bounds what a caller may ask. */
    @Override
    public int context() {
        return 4096;
    }

    /**
     * The chain's next-token log-probabilities at every position (padding included: the loss masks it).
     *
     * @param ids token ids (B, T)
     * @param mask ignored: the chain reads the last two tokens, whatever comes before
     * @return (B, T, 259) logits, float32
     */
    @Override
    public NDArray logits(NDArray ids, NDArray mask) {
        Shape shape = ids.getShape();
        int b = (int) shape.get(0);
        int t = (int) shape.get(1);
        int v = ByteTokenizer.VOCAB;
        long[] flat = ids.toType(DataType.INT64, false).toLongArray();
        float[] out = new float[b * t * v];
        Arrays.fill(out, NEVER);
        for (int row = 0; row < b; row++) {
            for (int i = 0; i < t; i++) {
                int previous = i == 0 ? language.boundary() : language.symbol((int) flat[row * t + i - 1]);
                double[] p = table[language.state(previous, language.symbol((int) flat[row * t + i]))];
                int base = (row * t + i) * v;
                for (int j = 0; j < language.letters(); j++) {
                    out[base + 'a' + j] = (float) p[j];
                }
                out[base + ByteTokenizer.EOS] = (float) p[language.end()];
            }
        }
        return ids.getManager().create(out, new Shape(b, t, v));
    }

    /**
     * Continues a prompt from the chain: greedy at temperature 0, else drawn from the chain's row raised
     * to {@code 1 / temperature}; up to {@code maxTokens} tokens, the end symbol counted.
     *
     * @param request the request; top-k, top-p, stop sequences and top logprobs are refused
     * @return {@code n} completions; logprobs (when asked) are the chain's own, untempered
     */
    @Override
    public List<Completion> generate(GenerationRequest request) {
        if (request.topK() > 0 || request.topP() < 1f || !request.stop().isEmpty() || request.topLogprobs() > 0) {
            throw new IllegalArgumentException("a Markov teacher samples its chain at a temperature only; got top-k "
                    + request.topK() + ", top-p " + request.topP() + ", stop " + request.stop() + ", top logprobs "
                    + request.topLogprobs() + ": leave them at 0, 1, none and 0");
        }
        Random random = new Random(
                request.seed() != null
                        ? request.seed()
                        : ThreadLocalRandom.current().nextLong());
        String prompt = request.prompt();
        List<Completion> out = new ArrayList<>(request.n());
        for (int k = 0; k < request.n(); k++) {
            int at = language.stateAfter(prompt);
            StringBuilder text = new StringBuilder();
            List<Integer> tokens = new ArrayList<>();
            List<Float> logprobs = new ArrayList<>();
            String finish = "length";
            while (tokens.size() < request.maxTokens()) {
                double[] row = table[at];
                int next = MarkovLanguage.pick(row, row.length, request.temperature(), random);
                logprobs.add((float) row[next]);
                if (next == language.end()) {
                    tokens.add(ByteTokenizer.EOS);
                    finish = "stop";
                    break;
                }
                tokens.add('a' + next);
                text.append((char) ('a' + next));
                at = language.next(at, next);
            }
            float[] lp = new float[logprobs.size()];
            for (int i = 0; i < lp.length; i++) {
                lp[i] = logprobs.get(i);
            }
            out.add(new Completion(
                    text.toString(),
                    tokens.stream().mapToInt(Integer::intValue).toArray(),
                    request.logprobs() ? lp : null,
                    null,
                    finish));
        }
        return out;
    }

    @Override
    public String toString() {
        return "MarkovTeacher(" + language + ")";
    }
}
