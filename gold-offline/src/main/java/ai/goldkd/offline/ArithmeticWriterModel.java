package ai.goldkd.offline;

import ai.goldkd.data.arithmetic.Family;
import ai.goldkd.data.arithmetic.WordProblem;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@link ArithmeticWriter} knows, all counted from the arithmetic TRAIN split in well under a second:
 * <ul>
 *   <li>the lexicon ({@link ProblemText#mine}) and each problem's delexicalised tokens;</li>
 *   <li>the families' frequencies, the prior of the latent family;</li>
 *   <li>a naive-Bayes family model over the delexicalised unigrams and bigrams, which reads a prompt's
 *       examples as evidence: {@code log P(f | x) = log P(f) + sum log P(g | f) + c}, add-one smoothed;</li>
 *   <li>one word 4-gram model per family over the delexicalised body, question and answer, interpolated
 *       with its shorter contexts ({@link #WEIGHTS}) and mixed with the all-families model (the config's
 *       {@code familyMix}), so a hot sample can wander across templates and families as a hot LLM does;
 *       each field writes only tokens TRAIN wrote in that field;</li>
 *   <li>how TRAIN went on from each body skeleton (its questions) and each body-and-question skeleton
 *       (its worked answers), per family and over all families: a writer that has written a familiar
 *       body asks a question that fits it, as an LLM keeps a story coherent;</li>
 *   <li>the range of each number slot per family, from which new numbers are drawn.</li>
 * </ul>
 *
 * @param text the lexicon
 * @param frequency each family's share of TRAIN, by {@link Family#ordinal()}
 * @param logLikelihood per family, the log-probability of each feature (unigram or bigram)
 * @param logUnseen per family, the log-probability of a feature it never saw
 * @param ngrams per family (by ordinal), then the all-families model at index {@code families}
 * @param fieldTokens the tokens TRAIN writes in the body, the question and the answer (with the
 *     separator that ends each field: {@code <q>}, {@code <a>}, {@code </s>})
 * @param continuations a skeleton (tokens through {@code <q>} or through {@code <a>}, space-joined,
 *     prefixed by the family's label and a bar for the family's own) and the counts of what followed:
 *     the question and {@code <a>}, or the answer
 * @param ranges per family, each number slot's {@code [min, max]} in TRAIN
 * @param problems how many problems it was built from
 */
public record ArithmeticWriterModel(
        ProblemText text,
        double[] frequency,
        List<Map<String, Double>> logLikelihood,
        double[] logUnseen,
        List<Ngrams> ngrams,
        List<Set<String>> fieldTokens,
        Map<String, Map<String, Integer>> continuations,
        List<Map<String, int[]>> ranges,
        int problems) {

    /** The n-gram order. */
    static final int ORDER = 4;
    /** Interpolation weights from the longest context (3 tokens) to none. */
    static final double[] WEIGHTS = {0.95, 0.04, 0.008, 0.002};
    /** The start of a sequence (twice), and its end. */
    static final String START = "<s>";

    static final String END = "</s>";

    /**
     * Counts a model.
     *
     * @param train the TRAIN problems (never validation or test: the writer must not know them)
     * @return the model
     */
    public static ArithmeticWriterModel build(List<WordProblem> train) {
        if (train.isEmpty()) {
            throw new IllegalArgumentException("no TRAIN problems to build the arithmetic writer from; check"
                    + " datasets/arithmetic/train.jsonl");
        }
        ProblemText text = ProblemText.mine(train);
        int k = Family.values().length;
        double[] frequency = new double[k];
        List<Map<String, Integer>> featureCounts = new ArrayList<>();
        List<Ngrams> ngrams = new ArrayList<>();
        List<Set<String>> fieldTokens = List.of(new HashSet<>(), new HashSet<>(), new HashSet<>());
        List<Map<String, int[]>> ranges = new ArrayList<>();
        for (int f = 0; f <= k; f++) {
            featureCounts.add(new HashMap<>());
            ngrams.add(new Ngrams());
            ranges.add(new HashMap<>());
        }
        Map<String, Map<String, Integer>> continuations = new HashMap<>();
        Set<String> features = new HashSet<>();
        for (WordProblem p : train) {
            int f = p.family().ordinal();
            frequency[f]++;
            List<String> tokens = text.delexicalise(p.body(), p.question(), p.answer());
            for (String g : features(tokens)) {
                featureCounts.get(f).merge(g, 1, Integer::sum);
                features.add(g);
            }
            ngrams.get(f).add(tokens);
            ngrams.get(k).add(tokens);
            int q = tokens.indexOf(ProblemText.QUESTION);
            int a = tokens.indexOf(ProblemText.ANSWER);
            fieldTokens.get(0).addAll(tokens.subList(0, q + 1));
            fieldTokens.get(1).addAll(tokens.subList(q + 1, a + 1));
            fieldTokens.get(2).addAll(tokens.subList(a + 1, tokens.size()));
            fieldTokens.get(2).add(END);
            for (String prefix : new String[] {"", p.family().label() + "|"}) {
                continuations
                        .computeIfAbsent(prefix + String.join(" ", tokens.subList(0, q + 1)), x -> new HashMap<>())
                        .merge(String.join(" ", tokens.subList(q + 1, a + 1)), 1, Integer::sum);
                continuations
                        .computeIfAbsent(prefix + String.join(" ", tokens.subList(0, a + 1)), x -> new HashMap<>())
                        .merge(String.join(" ", tokens.subList(a + 1, tokens.size())), 1, Integer::sum);
            }
            List<String> body = ProblemText.tokens(p.body());
            List<String> slotted = tokens.subList(0, tokens.indexOf(ProblemText.QUESTION));
            // Names and two-word things shift positions, so pair the numbers in order instead.
            List<String> numbers =
                    body.stream().filter(t -> Character.isDigit(t.charAt(0))).toList();
            List<String> numberSlots =
                    slotted.stream().filter(t -> t.startsWith("<v")).toList();
            for (int i = 0; i < Math.min(numbers.size(), numberSlots.size()); i++) {
                int v = Integer.parseInt(numbers.get(i));
                for (int into : new int[] {f, k}) {
                    ranges.get(into).merge(numberSlots.get(i), new int[] {v, v}, (x, y) ->
                            new int[] {Math.min(x[0], y[0]), Math.max(x[1], y[1])});
                }
            }
        }
        List<Map<String, Double>> logLikelihood = new ArrayList<>();
        double[] logUnseen = new double[k];
        for (int f = 0; f < k; f++) {
            long total = featureCounts.get(f).values().stream()
                    .mapToLong(Integer::longValue)
                    .sum();
            double denominator = total + features.size() + 1.0;
            Map<String, Double> ll = new HashMap<>();
            featureCounts.get(f).forEach((g, c) -> ll.put(g, Math.log((c + 1.0) / denominator)));
            logLikelihood.add(ll);
            logUnseen[f] = Math.log(1.0 / denominator);
            frequency[f] /= train.size();
        }
        return new ArithmeticWriterModel(
                text,
                frequency,
                logLikelihood,
                logUnseen,
                ngrams,
                fieldTokens.stream().map(Set::copyOf).toList(),
                continuations,
                ranges.subList(0, k + 1),
                train.size());
    }

    /** The naive-Bayes features of delexicalised tokens: unigrams and bigrams. */
    static List<String> features(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens);
        for (int i = 0; i + 1 < tokens.size(); i++) {
            out.add(tokens.get(i) + " " + tokens.get(i + 1));
        }
        return out;
    }

    /**
     * The family posterior of one problem written out (a prompt's example).
     *
     * @param tokens its delexicalised tokens
     * @return {@code P(f | tokens)} by ordinal, from the prior and the features
     */
    public double[] posterior(List<String> tokens) {
        int k = frequency.length;
        double[] log = new double[k];
        List<String> fs = features(tokens);
        for (int f = 0; f < k; f++) {
            log[f] = Math.log(frequency[f]);
            for (String g : fs) {
                log[f] += logLikelihood.get(f).getOrDefault(g, logUnseen[f]);
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double x : log) {
            max = Math.max(max, x);
        }
        double sum = 0;
        double[] p = new double[k];
        for (int f = 0; f < k; f++) {
            p[f] = Math.exp(log[f] - max);
            sum += p[f];
        }
        for (int f = 0; f < k; f++) {
            p[f] /= sum;
        }
        return p;
    }

    /**
     * The next-token distribution of a family's writer.
     *
     * @param family the family's ordinal
     * @param familyMix the all-families model's weight
     * @param history the tokens so far, padded in front with {@code ORDER - 1} {@code <s>}
     * @return each candidate and its probability (summing to 1)
     */
    Map<String, Double> next(int family, double familyMix, List<String> history) {
        Map<String, Double> p = new HashMap<>();
        ngrams.get(family).addNext(p, 1 - familyMix, history);
        if (familyMix > 0) {
            ngrams.get(frequency.length).addNext(p, familyMix, history);
        }
        return p;
    }

    /**
     * What TRAIN wrote after a skeleton, in a family's problems, else in any.
     *
     * @param family the family's ordinal
     * @param skeleton the tokens through {@code <q>} or {@code <a>}
     * @return the continuations' counts (space-joined tokens), or null for a skeleton TRAIN never wrote
     */
    public Map<String, Integer> continuations(int family, List<String> skeleton) {
        String key = String.join(" ", skeleton);
        Map<String, Integer> own = continuations.get(Family.values()[family].label() + "|" + key);
        return own != null ? own : continuations.get(key);
    }

    /** The number of distinct body-and-question skeletons in TRAIN. */
    public int skeletons() {
        return (int) continuations.keySet().stream()
                .filter(k -> k.indexOf('|') < 0 && k.endsWith(ProblemText.ANSWER))
                .count();
    }

    /**
     * N-gram counts up to order {@value #ORDER} over token sequences, each padded with {@code <s>} and
     * ended by {@code </s>}, interpolated as {@link #WEIGHTS} says.
     */
    static final class Ngrams {
        private final List<Map<String, Map<String, Integer>>> next = new ArrayList<>();
        private final List<Map<String, Integer>> totals = new ArrayList<>();

        Ngrams() {
            for (int k = 0; k < ORDER; k++) {
                next.add(new HashMap<>());
                totals.add(new HashMap<>());
            }
        }

        void add(List<String> tokens) {
            List<String> seq = new ArrayList<>();
            for (int k = 1; k < ORDER; k++) {
                seq.add(START);
            }
            seq.addAll(tokens);
            seq.add(END);
            for (int i = ORDER - 1; i < seq.size(); i++) {
                String w = seq.get(i);
                for (int k = 0; k < ORDER; k++) { // k tokens of context
                    String context = String.join(" ", seq.subList(i - k, i));
                    next.get(k).computeIfAbsent(context, c -> new HashMap<>()).merge(w, 1, Integer::sum);
                    totals.get(k).merge(context, 1, Integer::sum);
                }
            }
        }

        /**
         * Adds {@code weight * P(w | history)} for every w it knows; a context it never saw passes its
         * interpolation weight down to the shorter ones.
         *
         * @param history the tokens so far, at least {@code ORDER - 1} of them (padded with {@code <s>})
         */
        void addNext(Map<String, Double> into, double weight, List<String> history) {
            double carried = 0;
            for (int k = ORDER - 1; k >= 0; k--) {
                String context = String.join(" ", history.subList(history.size() - k, history.size()));
                Map<String, Integer> counts = next.get(k).get(context);
                double lambda = WEIGHTS[ORDER - 1 - k] + carried;
                if (counts == null) {
                    carried = lambda;
                    continue;
                }
                carried = 0;
                double n = totals.get(k).get(context);
                double w = weight * lambda;
                counts.forEach((token, c) -> into.merge(token, w * c / n, Double::sum));
            }
        }

        /** The tokens it has seen, sorted. */
        Set<String> vocabulary() {
            return new TreeSet<>(next.get(0).getOrDefault("", Map.of()).keySet());
        }
    }
}
