package ai.goldkd.offline;

import ai.goldkd.train.distill.PromptExample;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * A designed language whose next-token distribution is known exactly: a random second-order Markov chain
 * over {@code letters} lowercase letters and an end symbol. The next symbol depends on the last two
 * (a symbol before the start, or any token that is not a letter, counts as the boundary), with
 * probabilities {@code softmax(z)} where every row {@code z} of the table is drawn once from
 * {@code N(0, sigma^2)}, the end symbol's entry raised by {@code endBias}. Most rows put most of their mass
 * on a few letters, so a student too small to store the whole table has to choose what to get wrong:
 * spread its mass over every row's letters (what forward KL and maximum likelihood ask) or keep to
 * each row's likely ones (what reverse KL asks). This is the oracle of the synthetic-data experiments
 * of the text-generation literature (an oracle model whose likelihood of the student's samples can be
 * computed exactly), as a table instead of a random network, so that a notebook can print it.
 *
 * <p>A prompt is the first {@code promptLetters} letters (drawn from the chain, never ending early); its
 * answer is the chain's continuation up to its end symbol, at most {@code maxLetters} letters (a longer
 * draw is drawn again, so the data is the chain conditioned on that length).
 *
 * @param letters the alphabet's size, 2 to 26 ({@code a}, {@code b}, ...)
 * @param sigma the spread of the table's logits, > 0 (larger: peakier rows)
 * @param endBias added to the end symbol's logit in every row (larger: shorter answers)
 * @param seed the table's seed
 * @param promptLetters the prompt's length in letters, >= 2
 * @param maxLetters the longest answer in letters, >= 1
 */
public record MarkovLanguage(int letters, double sigma, double endBias, long seed, int promptLetters, int maxLetters) {

    /** Checks the settings and names the bad one. */
    public MarkovLanguage {
        if (letters < 2 || letters > 26) {
            throw new IllegalArgumentException("letters " + letters + " must be in [2, 26]");
        }
        if (!(sigma > 0) || Double.isInfinite(sigma) || Double.isNaN(endBias) || Double.isInfinite(endBias)) {
            throw new IllegalArgumentException(
                    "sigma " + sigma + " must be finite and > 0, endBias " + endBias + " finite");
        }
        if (promptLetters < 2 || maxLetters < 1) {
            throw new IllegalArgumentException(
                    "promptLetters " + promptLetters + " must be >= 2 and maxLetters " + maxLetters + " >= 1");
        }
    }

    /** The language of notebook 05: 16 letters, sigma 2.5, end bias 0.8, seed 1234, 4-letter prompts, 32-letter answers. */
    public static MarkovLanguage defaults() {
        return new MarkovLanguage(16, 2.5, 0.8, 1234, 4, 32);
    }

    /** The index of the end symbol in a row of {@link #table()}; letters are 0 to {@code letters - 1}. */
    public int end() {
        return letters;
    }

    /** The boundary symbol's index in a state (what comes before the start, and any non-letter token). */
    public int boundary() {
        return letters;
    }

    /** The number of states: (letters + 1)^2, a pair of (letter or boundary). */
    public int states() {
        return (letters + 1) * (letters + 1);
    }

    /** The state after {@code previous} then {@code last}, each a letter index or {@link #boundary()}. */
    public int state(int previous, int last) {
        return previous * (letters + 1) + last;
    }

    /** A letter's index, or {@link #boundary()} for any other character or token id. */
    public int symbol(int c) {
        int i = c - 'a';
        return i >= 0 && i < letters ? i : boundary();
    }

    /** The state after a text: its last two characters, the boundary standing in for what is missing. */
    public int stateAfter(CharSequence text) {
        int n = text.length();
        return state(
                n >= 2 ? symbol(text.charAt(n - 2)) : boundary(), n >= 1 ? symbol(text.charAt(n - 1)) : boundary());
    }

    /** The state after {@code state} and then {@code symbol} (a letter index or {@link #boundary()}). */
    public int next(int state, int symbol) {
        return state(state % (letters + 1), symbol);
    }

    /**
     * The chain's log-probabilities, one row per state, {@code letters + 1} entries (the letters, then
     * the end symbol). Computed from the seed each call; {@link MarkovTeacher} keeps one copy.
     *
     * @return the table, (states, letters + 1)
     */
    public double[][] table() {
        Random random = new Random(seed);
        double[][] out = new double[states()][letters + 1];
        for (double[] row : out) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j <= letters; j++) {
                row[j] = sigma * random.nextGaussian() + (j == letters ? endBias : 0);
                max = Math.max(max, row[j]);
            }
            double sum = 0;
            for (double z : row) {
                sum += Math.exp(z - max);
            }
            double log = max + Math.log(sum);
            for (int j = 0; j <= letters; j++) {
                row[j] -= log;
            }
        }
        return out;
    }

    /**
     * Draws prompts and their answers from the chain.
     *
     * @param n how many
     * @param drawSeed the draws' seed (the table's is {@link #seed})
     * @return the examples, slice "markov"
     */
    public List<PromptExample> examples(int n, long drawSeed) {
        double[][] table = table();
        Random random = new Random(drawSeed);
        List<PromptExample> out = new ArrayList<>(n);
        while (out.size() < n) {
            StringBuilder prompt = new StringBuilder();
            int at = state(boundary(), boundary());
            while (prompt.length() < promptLetters) {
                int next = pick(table[at], letters, 1, random); // a prompt never ends early
                prompt.append((char) ('a' + next));
                at = next(at, next);
            }
            String answer = continuation(table, prompt.toString(), random);
            if (answer != null) {
                out.add(new PromptExample(prompt.toString(), answer, "markov"));
            }
        }
        return out;
    }

    /**
     * The chain's continuation of a text: drawn when {@code random} is given, else the most likely
     * symbol at every step (greedy).
     *
     * @param table {@link #table()}
     * @param text the text so far (its last two characters decide the first state)
     * @param random the draws, or null for greedy
     * @return the letters up to the end symbol, or null past {@link #maxLetters} letters when drawn (a
     *     greedy continuation is cut there instead)
     */
    public String continuation(double[][] table, String text, Random random) {
        int at = stateAfter(text);
        StringBuilder out = new StringBuilder();
        while (true) {
            int next = pick(table[at], letters + 1, random == null ? 0 : 1, random);
            if (next == end()) {
                return out.toString();
            }
            if (out.length() == maxLetters) {
                return random == null ? out.toString() : null;
            }
            out.append((char) ('a' + next));
            at = next(at, next);
        }
    }

    /**
     * The chain's entropy rate on its answers, estimated on drawn examples: the mean negative
     * log-probability per answer symbol (letters and the end), in nats; no model can score the
     * chain's own samples better than this.
     *
     * @param examples examples of this language
     * @return nats per answer symbol
     */
    public double nll(List<PromptExample> examples) {
        double[][] table = table();
        double sum = 0;
        long count = 0;
        for (PromptExample e : examples) {
            int at = stateAfter(e.prompt());
            for (int i = 0; i < e.answer().length(); i++) {
                int next = symbol(e.answer().charAt(i));
                sum -= table[at][next];
                at = next(at, next);
            }
            sum -= table[at][end()];
            count += e.answer().length() + 1;
        }
        return sum / Math.max(1, count);
    }

    /**
     * Rows of the table as a reader would look them up: after each context, the most likely next
     * symbols with their probabilities ("." is the end), the end's probability and the row's entropy.
     *
     * @param contexts texts whose last two characters pick a row, e.g. "ab"
     * @param top how many symbols to list per row
     * @return the table
     */
    public Table rows(List<String> contexts, int top) {
        double[][] table = table();
        List<String> likely = new ArrayList<>();
        double[] end = new double[contexts.size()];
        double[] entropy = new double[contexts.size()];
        for (int i = 0; i < contexts.size(); i++) {
            double[] row = table[stateAfter(contexts.get(i))];
            likely.add(String.join(
                    ", ",
                    IntStream.rangeClosed(0, letters)
                            .boxed()
                            .sorted(Comparator.comparingDouble(j -> -row[j]))
                            .limit(top)
                            .map(j -> String.format(
                                    Locale.ROOT,
                                    "%s %.2f",
                                    j == letters ? "." : String.valueOf((char) ('a' + j)),
                                    Math.exp(row[j])))
                            .toList()));
            end[i] = Math.round(1000 * Math.exp(row[letters])) / 1000.0;
            for (double lp : row) {
                entropy[i] -= Math.exp(lp) * lp;
            }
            entropy[i] = Math.round(1000 * entropy[i]) / 1000.0;
        }
        return Table.create(
                "The chain after a few contexts",
                StringColumn.create("after", contexts),
                StringColumn.create("most likely next (probability)", likely),
                DoubleColumn.create("P(end)", end),
                DoubleColumn.create("entropy (nats)", entropy));
    }

    /**
     * A symbol from a row of log-probabilities, among its first {@code n}: the most likely at temperature
     * 0, else a draw from the row raised to {@code 1 / temperature} and renormalised.
     */
    static int pick(double[] row, int n, double temperature, Random random) {
        if (temperature == 0) {
            int best = 0;
            for (int j = 1; j < n; j++) {
                best = row[j] > row[best] ? j : best;
            }
            return best;
        }
        double[] w = new double[n];
        double total = 0;
        for (int j = 0; j < n; j++) {
            w[j] = Math.exp(row[j] / temperature);
            total += w[j];
        }
        double u = random.nextDouble() * total;
        for (int j = 0; j < n; j++) {
            u -= w[j];
            if (u <= 0) {
                return j;
            }
        }
        return n - 1;
    }
}
