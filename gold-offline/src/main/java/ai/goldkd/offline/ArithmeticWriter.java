package ai.goldkd.offline;

import ai.goldkd.data.arithmetic.Family;
import ai.goldkd.teacher.Completion;
import ai.goldkd.teacher.GenerationRequest;
import ai.goldkd.teacher.ServableModel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The latent-family arithmetic writer: an offline teacher that writes whole arithmetic word problems
 * (body, question, worked answer) for the {@code arithmetic-answer} task. The family (add, subtract,
 * multiply, ...) is latent: the prompt's numbered examples are read by a naive-Bayes family model
 * ({@link ArithmeticWriterModel}) and shift a belief over families; a family is drawn from it and a
 * problem is written <em>fresh</em> from that family's 4-gram model over delexicalised text, with new names,
 * things and numbers ({@link ProblemFiller}). Examples are never copied: they only move the family.
 *
 * <p>The belief, with {@code f} the families' TRAIN frequencies, {@code m} examples whose posteriors
 * average {@code q}:
 * <pre>
 *   prior(F)     ∝ f(F) ^ (1 / priorTemperature)
 *   belief(F)    = (1 - r) prior(F) + r q(F),   r = m / (m + evidence)
 *   different(F) ∝ f(F) (1 - q(F))             when the prompt asks for something "clearly different"
 * </pre>
 * A sample's family is drawn with weights {@code belief ^ (1 / T)} (the most believed at T = 0); its
 * tokens at temperature T with the request's top-k and top-p. A body skeleton seen in TRAIN gets one
 * of the questions TRAIN asked after it, and a known body and question the answer TRAIN gave (drawn by
 * count ^ (1 / T)); a new one is continued by the 4-gram model, which may ask a question that does not
 * fit or refer to numbers the text does not give. Add the configured slips and misreads, and a share of
 * the samples is wrong, as an LLM's are ({@link ArithmeticCheck} measures it).
 *
 * <p>The completion continues the prompt's pre-filled {@code body:} the way an LLM's reply does:
 * {@code " Sam had 24 marbles. ...\nquestion: How many ...?\nanswer: 24 - 7 = 17. The answer is 17."}.
 * Tokens are words, numbers and marks; log-probabilities are those of the writer's choices at
 * temperature 1 (0 where a word follows from an earlier choice).
 *
 * <pre>{@code
 * Generator teacher = ArithmeticWriters.writer();
 * List<Completion> out = teacher.generate(GenerationRequest.of(prompt).withN(8).withTemperature(0.8f)
 *         .withTopK(20).withMaxTokens(160).withStop(List.of("\n\n")).withSeed(1L));
 * }</pre>
 */
public final class ArithmeticWriter implements ServableModel {

    /** The longest request, in tokens. */
    static final int CONTEXT = 1 << 16;
    /** The most delexicalised tokens of one sample. */
    static final int MAX_STEPS = 80;

    private final ArithmeticWriterModel model;
    private final ArithmeticWriterConfig config;
    private final ProblemFiller filler;
    private final SurfaceTokens surface;

    /**
     * Creates the writer.
     *
     * @param model the counted model
     * @param config the belief and error settings
     */
    public ArithmeticWriter(ArithmeticWriterModel model, ArithmeticWriterConfig config) {
        this.model = model;
        this.config = config;
        this.filler = new ProblemFiller(model, config);
        this.surface = SurfaceTokens.of(model);
    }

    /** The model it writes from. */
    public ArithmeticWriterModel model() {
        return model;
    }

    /** Its settings. */
    public ArithmeticWriterConfig config() {
        return config;
    }

    /**
     * The weights with which a request's samples pick families.
     *
     * @param prompt the prompt
     * @param temperature the request's temperature
     * @return one weight per family ({@link Family#ordinal()}), summing to 1 (one-hot at temperature 0)
     */
    public double[] familyWeights(String prompt, float temperature) {
        TeacherPrompt read = TeacherPrompt.read(prompt, List.of());
        double[] f = model.frequency();
        int k = f.length;
        double[] q = new double[k];
        int m = 0;
        for (String block : read.examples()) {
            Map<String, String> fields = fields(block);
            if (fields.get("body") == null) {
                continue; // not a word problem: no evidence
            }
            double[] p = model.posterior(model.text()
                    .delexicalise(fields.get("body"), fields.getOrDefault("question", ""), fields.get("answer")));
            for (int t = 0; t < k; t++) {
                q[t] += p[t];
            }
            m++;
        }
        return LatentBelief.weights(
                f, q, m, read.clearlyDifferent(), config.priorTemperature(), config.evidence(), temperature);
    }

    /** An example block's fields: {@code body}, {@code question}, {@code answer}, by their line prefixes. */
    static Map<String, String> fields(String block) {
        Map<String, String> out = new HashMap<>();
        for (String line : block.split("\n")) {
            String l = line.replaceFirst("^\\s*\\d+\\.\\s+", "").strip();
            int colon = l.indexOf(':');
            if (colon > 0) {
                String name = l.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                if (name.equals("body") || name.equals("question") || name.equals("answer")) {
                    out.put(name, l.substring(colon + 1).strip());
                }
            }
        }
        return out;
    }

    @Override
    public List<Completion> generate(GenerationRequest request) {
        checkFits(request.prompt(), request.maxTokens());
        if (request.topLogprobs() > 0) {
            throw new IllegalArgumentException("the arithmetic writer lists no alternative tokens (top_logprobs "
                    + request.topLogprobs() + "); ask with top_logprobs 0, logprobs alone are given");
        }
        double[] weights = familyWeights(request.prompt(), request.temperature());
        long seed = request.seed() != null
                ? request.seed()
                : ThreadLocalRandom.current().nextLong();
        List<Completion> out = new ArrayList<>(request.n());
        for (int i = 0; i < request.n(); i++) {
            SplittableRandom rng = new SplittableRandom(seed + i);
            out.add(write(draw(weights, rng), request, rng));
        }
        return out;
    }

    /** Writes one sample of a family: skeleton, then words, then the completion's tokens. */
    private Completion write(int family, GenerationRequest request, SplittableRandom rng) {
        List<String> seq = new ArrayList<>();
        List<Double> logprobs = new ArrayList<>();
        List<String> history = new ArrayList<>();
        for (int k = 1; k < ArithmeticWriterModel.ORDER; k++) {
            history.add(ArithmeticWriterModel.START);
        }
        int field = 0; // body, question, answer
        boolean entered = false; // a field has just begun
        while (seq.size() < MAX_STEPS) {
            Map<String, Integer> known = entered ? model.continuations(family, seq) : null;
            entered = false;
            if (known != null) {
                Map<String, Double> p = new HashMap<>();
                known.forEach((c, count) -> p.put(c, (double) count));
                String chosen = draw(p, request.temperature(), 0, 1f, rng);
                double lp = Math.log(p.get(chosen)
                        / p.values().stream().mapToDouble(Double::doubleValue).sum());
                for (String t : chosen.split(" ")) {
                    seq.add(t);
                    history.add(t);
                    logprobs.add(lp);
                    lp = 0;
                }
                if (field == 2) {
                    break;
                }
                field = 2;
                entered = true;
                continue;
            }
            Map<String, Double> p = model.next(family, config.familyMix(), history);
            p.keySet().retainAll(model.fieldTokens().get(field));
            if (seq.isEmpty() || ProblemText.isMark(seq.get(seq.size() - 1))) {
                p.keySet().removeIf(ProblemText::isMark);
            }
            if (p.isEmpty()) {
                break;
            }
            String w = draw(p, request.temperature(), request.topK(), request.topP(), rng);
            if (w.equals(ArithmeticWriterModel.END)) {
                break;
            }
            double sum = p.values().stream().mapToDouble(Double::doubleValue).sum();
            seq.add(w);
            history.add(w);
            logprobs.add(Math.log(p.get(w) / sum));
            if (w.equals(ProblemText.QUESTION) || w.equals(ProblemText.ANSWER)) {
                field++;
                entered = true;
            }
        }
        int q = seq.indexOf(ProblemText.QUESTION);
        int a = seq.indexOf(ProblemText.ANSWER);
        int bodyEnd = q >= 0 ? q : a >= 0 ? a : seq.size();
        List<String> body = seq.subList(0, bodyEnd);
        List<String> quest = q >= 0 ? seq.subList(q + 1, a >= 0 ? a : seq.size()) : List.of();
        List<String> ans = a >= 0 ? seq.subList(a + 1, seq.size()) : List.of();
        ProblemFiller.Filled filled = filler.fill(family, body, quest, ans, rng);
        List<String> tokens = new ArrayList<>();
        List<Double> lps = new ArrayList<>();
        append(tokens, lps, filled.body(), logprobs.subList(0, bodyEnd));
        if (q >= 0) {
            tokens.addAll(List.of("\n", "question", ":"));
            lps.addAll(List.of(0.0, logprobs.get(q), 0.0));
            append(tokens, lps, filled.question(), logprobs.subList(q + 1, a >= 0 ? a : seq.size()));
        }
        if (a >= 0) {
            tokens.addAll(List.of("\n", "answer", ":"));
            lps.addAll(List.of(0.0, logprobs.get(a), 0.0));
            append(tokens, lps, filled.answer(), logprobs.subList(a + 1, seq.size()));
        }
        return surface.completion(tokens, lps, request);
    }

    private static void append(List<String> tokens, List<Double> lps, List<List<String>> words, List<Double> choice) {
        for (int i = 0; i < words.size(); i++) {
            double lp = choice.get(i);
            for (String w : words.get(i)) {
                tokens.add(w);
                lps.add(lp);
                lp = 0;
            }
        }
    }

    /** Draws a key at temperature T (argmax at 0) within the top k (0: all) and the nucleus top p. */
    static String draw(Map<String, Double> p, float temperature, int topK, float topP, SplittableRandom rng) {
        List<Map.Entry<String, Double>> ranked = new ArrayList<>(p.entrySet());
        ranked.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry::getKey));
        if (ranked.isEmpty()) {
            throw new IllegalStateException("no candidate token: the model is empty; rebuild it from the TRAIN split");
        }
        if (temperature == 0f) {
            return ranked.get(0).getKey();
        }
        int keep = topK > 0 ? Math.min(topK, ranked.size()) : ranked.size();
        double[] w = new double[keep];
        double sum = 0;
        for (int i = 0; i < keep; i++) {
            w[i] = Math.pow(ranked.get(i).getValue(), 1.0 / temperature);
            sum += w[i];
        }
        if (topP < 1f) {
            double mass = 0;
            int cut = 0;
            while (cut < keep && mass < topP * sum) {
                mass += w[cut++];
            }
            keep = Math.max(1, cut);
            sum = mass;
        }
        double r = rng.nextDouble() * sum;
        for (int i = 0; i < keep; i++) {
            r -= w[i];
            if (r < 0) {
                return ranked.get(i).getKey();
            }
        }
        return ranked.get(keep - 1).getKey();
    }

    private static int draw(double[] weights, SplittableRandom rng) {
        double r = rng.nextDouble();
        int last = 0;
        for (int t = 0; t < weights.length; t++) {
            if (weights[t] > 0) {
                last = t;
                r -= weights[t];
                if (r < 0) {
                    return t;
                }
            }
        }
        return last;
    }

    @Override
    public int promptTokens(String prompt) {
        return ProblemText.tokens(prompt).size();
    }

    @Override
    public String tokenText(int id) {
        return surface.text(id);
    }

    @Override
    public int textOffset(int[] tokens, int t) {
        return surface.offset(tokens, t);
    }

    @Override
    public void checkFits(String prompt, int maxTokens) {
        if (maxTokens > CONTEXT) {
            throw new IllegalArgumentException("max_tokens " + maxTokens + " exceeds the arithmetic writer's limit of "
                    + CONTEXT + "; a problem takes at most ~100 tokens, ask for fewer");
        }
    }

    @Override
    public int context() {
        return CONTEXT;
    }

    @Override
    public String toString() {
        return "ArithmeticWriter[" + model.problems() + " TRAIN problems, " + model.skeletons() + " skeletons, "
                + config + "]";
    }
}
