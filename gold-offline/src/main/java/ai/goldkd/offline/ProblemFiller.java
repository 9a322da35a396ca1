package ai.goldkd.offline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Turns a written skeleton (delexicalised tokens, {@link ProblemText}) into words: new names and things,
 * new numbers drawn from the family's slot ranges, and the answer's results computed from them. Numbers
 * are redrawn (up to {@value #TRIES} times) until every step is a whole number in [0, {@value #MAX_VALUE}]
 * and every division is exact, as a writer picks numbers that work. Then the configured mistakes:
 * a <em>misread</em> operand (the answer uses a number 1 to 5 away from the one the text states, and
 * computes on with it) and a <em>slip</em> (one step's result written wrong; later steps go on from it).
 * An answer operand that the body never states ({@code <x>}, or {@code <v3>} in a two-number body) is
 * drawn fresh: the text does not express it, as in an LLM's muddled sample.
 */
final class ProblemFiller {

    static final int TRIES = 200;
    static final int MAX_VALUE = 999;

    private final ArithmeticWriterModel model;
    private final ArithmeticWriterConfig config;

    ProblemFiller(ArithmeticWriterModel model, ArithmeticWriterConfig config) {
        this.model = model;
        this.config = config;
    }

    /**
     * The filled sample: each delexicalised token's surface tokens, per field.
     *
     * @param body the body's surface tokens, one list per written token
     * @param question the question's
     * @param answer the answer's
     */
    record Filled(List<List<String>> body, List<List<String>> question, List<List<String>> answer) {}

    /**
     * Fills a skeleton.
     *
     * @param family the family it was written from (its number ranges)
     * @param body the body's slotted tokens
     * @param question the question's
     * @param answer the answer's
     * @param rng the sample's random source
     * @return the words
     */
    Filled fill(int family, List<String> body, List<String> question, List<String> answer, SplittableRandom rng) {
        Map<String, String> words = new HashMap<>();
        Set<String> used = new HashSet<>();
        List<String> given = new ArrayList<>(); // number slots the text states
        for (List<String> part : List.of(body, question)) {
            for (String t : part) {
                if (t.startsWith("<v") && !given.contains(t)) {
                    given.add(t);
                }
            }
        }
        Map<String, Integer> numbers = new HashMap<>();
        List<Integer> results = new ArrayList<>();
        for (int attempt = 0; attempt < TRIES; attempt++) {
            numbers.clear();
            for (String slot : given) {
                numbers.put(slot, draw(family, slot, rng));
            }
            if (solve(family, answer, numbers, results, rng, -1, 0)) {
                break;
            }
        }
        boolean misread = rng.nextDouble() < config.misread();
        boolean slip = rng.nextDouble() < config.slip();
        if (misread || slip) {
            int steps = Math.max(1, results.size());
            int wrongStep = slip ? rng.nextInt(steps) : -1;
            int wrongBy = slip ? (rng.nextInt(4) == 0 ? 10 : 1 + rng.nextInt(3)) * (rng.nextBoolean() ? 1 : -1) : 0;
            if (misread) {
                List<String> operands = answer.stream().filter(given::contains).toList();
                if (!operands.isEmpty()) {
                    String slot = operands.get(rng.nextInt(operands.size()));
                    int v = numbers.get(slot);
                    int off = (1 + rng.nextInt(5)) * (v > 5 && rng.nextBoolean() ? -1 : 1);
                    Map<String, Integer> stated = new HashMap<>(numbers);
                    numbers.put(slot, v + off); // the answer computes with this one
                    solve(family, answer, numbers, results, rng, wrongStep, wrongBy);
                    numbers.clear();
                    numbers.putAll(stated);
                    return new Filled(
                            words(body, words, used, numbers, results, rng),
                            words(question, words, used, numbers, results, rng),
                            answerWords(answer, words, used, withMisread(numbers, slot, v + off), results, rng));
                }
            }
            solve(family, answer, numbers, results, rng, wrongStep, wrongBy);
        }
        return new Filled(
                words(body, words, used, numbers, results, rng),
                words(question, words, used, numbers, results, rng),
                answerWords(answer, words, used, numbers, results, rng));
    }

    private static Map<String, Integer> withMisread(Map<String, Integer> numbers, String slot, int value) {
        Map<String, Integer> out = new HashMap<>(numbers);
        out.put(slot, value);
        return out;
    }

    private int draw(int family, String slot, SplittableRandom rng) {
        int[] r = model.ranges().get(family).get(slot);
        if (r == null) {
            r = model.ranges().get(model.frequency().length).get(slot);
        }
        if (r == null) {
            r = new int[] {2, 60};
        }
        return r[0] + rng.nextInt(r[1] - r[0] + 1);
    }

    /**
     * Computes the answer's steps ({@code a op b = <rK>}) into {@code results}; operands the text does not
     * state are drawn fresh (and kept in {@code numbers}). Step {@code wrongStep}'s result is written
     * {@code wrongBy} off.
     *
     * @return whether every step is a whole number in [0, MAX_VALUE]
     */
    private boolean solve(
            int family,
            List<String> answer,
            Map<String, Integer> numbers,
            List<Integer> results,
            SplittableRandom rng,
            int wrongStep,
            int wrongBy) {
        results.clear();
        boolean ok = true;
        for (int i = 0; i + 4 < answer.size(); i++) {
            String op = answer.get(i + 1);
            if (!isOperator(op)
                    || !answer.get(i + 3).equals("=")
                    || !answer.get(i + 4).startsWith("<r")) {
                continue;
            }
            long a = operand(family, answer.get(i), numbers, results, rng);
            long b = operand(family, answer.get(i + 2), numbers, results, rng);
            long v = switch (op) {
                case "+" -> a + b;
                case "-" -> a - b;
                case "*" -> a * b;
                default -> b == 0 ? -1 : a / b;
            };
            if (op.equals("/") && (b == 0 || a % b != 0)) {
                ok = false;
            }
            if (v < 0 || v > MAX_VALUE) {
                ok = false;
            }
            if (results.size() == wrongStep) {
                v = Math.max(0, v + wrongBy == v ? v + 1 : v + wrongBy);
            }
            results.add((int) Math.max(0, Math.min(v, 9 * MAX_VALUE)));
            i += 3;
        }
        return ok;
    }

    private long operand(
            int family, String token, Map<String, Integer> numbers, List<Integer> results, SplittableRandom rng) {
        if (token.startsWith("<r")) {
            int k = Integer.parseInt(token.substring(2, token.length() - 1)) - 1;
            if (k < results.size()) {
                return results.get(k);
            }
        }
        return numbers.computeIfAbsent(token, s -> draw(family, s.startsWith("<v") ? s : "<v1>", rng));
    }

    static boolean isOperator(String t) {
        return t.equals("+") || t.equals("-") || t.equals("*") || t.equals("/");
    }

    private List<List<String>> answerWords(
            List<String> answer,
            Map<String, String> words,
            Set<String> used,
            Map<String, Integer> numbers,
            List<Integer> results,
            SplittableRandom rng) {
        List<List<String>> out = new ArrayList<>();
        int step = 0; // results written so far
        for (int i = 0; i < answer.size(); i++) {
            String t = answer.get(i);
            boolean afterIs = i > 0 && answer.get(i - 1).equals("is");
            if (t.startsWith("<r") && !afterIs && i > 0 && answer.get(i - 1).equals("=")) {
                out.add(List.of(Integer.toString(step < results.size() ? results.get(step) : 0)));
                step++;
            } else if (t.startsWith("<r")) {
                int k = Integer.parseInt(t.substring(2, t.length() - 1)) - 1;
                int v = k < results.size()
                        ? results.get(k)
                        : results.isEmpty()
                                ? numbers.values().stream().findFirst().orElse(0)
                                : results.get(results.size() - 1);
                out.add(List.of(Integer.toString(v)));
            } else {
                out.add(word(t, words, used, numbers, rng));
            }
        }
        return out;
    }

    private List<List<String>> words(
            List<String> tokens,
            Map<String, String> words,
            Set<String> used,
            Map<String, Integer> numbers,
            List<Integer> results,
            SplittableRandom rng) {
        List<List<String>> out = new ArrayList<>();
        for (String t : tokens) {
            if (t.startsWith("<r")) {
                int k = Integer.parseInt(t.substring(2, t.length() - 1)) - 1;
                out.add(List.of(Integer.toString(k < results.size() ? results.get(k) : 0)));
            } else {
                out.add(word(t, words, used, numbers, rng));
            }
        }
        return out;
    }

    /** A slot's surface words (drawn once per sample, distinct within a kind), or a literal word. */
    private List<String> word(
            String t, Map<String, String> words, Set<String> used, Map<String, Integer> numbers, SplittableRandom rng) {
        if (!ProblemText.isSlot(t)) {
            return List.of(t);
        }
        if (t.startsWith("<v") || t.equals(ProblemText.UNKNOWN)) {
            return List.of(Integer.toString(numbers.computeIfAbsent(t, s -> 2 + rng.nextInt(59))));
        }
        ProblemText text = model.text();
        if (t.equals(ProblemText.PRONOUN)) {
            String name = words.get("<name1>");
            return List.of(name != null ? text.pronouns().get(name) : rng.nextBoolean() ? "He" : "She");
        }
        String w = words.get(t);
        if (w == null) {
            List<String> pool = t.startsWith("<name") ? text.names() : text.things();
            do {
                w = pool.get(rng.nextInt(pool.size()));
            } while (used.contains(w)
                    && used.size() < text.names().size() + text.things().size() - 1
                    && pool.stream().anyMatch(x -> !used.contains(x)));
            used.add(w);
            words.put(t, w);
        }
        return List.of(w.split(" "));
    }
}
