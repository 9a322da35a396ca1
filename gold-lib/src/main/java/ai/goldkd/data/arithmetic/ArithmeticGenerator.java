package ai.goldkd.data.arithmetic;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Generates arithmetic word problems from templates: each {@link Family} has a few sentence
 * templates filled with a name, an object and numbers below 100 (values stay below 200). A set of
 * {@code n} problems holds exactly {@link Family#counts(int)} of each family, in a shuffled order.
 * Everything follows from the seed ({@link SplitMix64}), so a seed gives the same problems, byte
 * for byte, on every machine.
 */
public final class ArithmeticGenerator {

    private final SplitMix64 random;

    /**
     * Creates a generator.
     *
     * @param seed the seed; the same seed gives the same problems
     */
    public ArithmeticGenerator(long seed) {
        this.random = new SplitMix64(seed);
    }

    /**
     * Generates a set of distinct problems with the families' exact shares.
     *
     * @param n how many
     * @param idPrefix the ids' prefix; ids are the prefix and a zero-padded index from 1
     * @param exclude body-and-question texts (see {@link #key}) that must not recur, such as a test set's
     * @return the problems, families shuffled
     */
    public List<WordProblem> generate(int n, String idPrefix, Set<String> exclude) {
        if (n <= 0) {
            throw new IllegalArgumentException("n = " + n + "; generate at least one problem");
        }
        List<Family> order = new ArrayList<>();
        int[] counts = Family.counts(n);
        for (Family f : Family.values()) {
            for (int i = 0; i < counts[f.ordinal()]; i++) {
                order.add(f);
            }
        }
        for (int i = order.size() - 1; i > 0; i--) { // Fisher-Yates
            int j = random.nextInt(i + 1);
            Family swap = order.get(i);
            order.set(i, order.get(j));
            order.set(j, swap);
        }
        int width = Integer.toString(n).length();
        Set<String> seen = new HashSet<>(exclude);
        List<WordProblem> problems = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String id = idPrefix + String.format("%0" + width + "d", i + 1);
            WordProblem p;
            int tries = 0;
            do {
                if (++tries > 1000) {
                    throw new IllegalStateException(
                            "could not make a new " + order.get(i).label() + " problem after"
                                    + " 1000 tries; generate fewer problems or add templates");
                }
                p = problem(id, order.get(i));
            } while (!seen.add(key(p)));
            problems.add(p);
        }
        return problems;
    }

    /**
     * The text that makes two problems the same: body and question.
     *
     * @param p a problem
     * @return its key
     */
    public static String key(WordProblem p) {
        return p.body() + " " + p.question();
    }

    /**
     * Generates one problem of a family.
     *
     * @param id its id
     * @param family its family
     * @return the problem
     */
    public WordProblem problem(String id, Family family) {
        String[] person = random.pick(ProblemWords.PEOPLE);
        String[] other = random.pick(ProblemWords.PEOPLE);
        while (other[0].equals(person[0])) {
            other = random.pick(ProblemWords.PEOPLE);
        }
        String n = person[0];
        String p = person[1];
        String m = other[0];
        String x = random.pick(ProblemWords.THINGS);
        return switch (family) {
            case ADD -> add(id, n, p, m, x);
            case SUBTRACT -> subtract(id, n, p, m, x);
            case MULTIPLY -> multiply(id, n, x);
            case DIVIDE -> divide(id, n, p, x);
            case TWO_STEP -> twoStep(id, n, p, m, x);
            case TWO_STEP_MULTIPLY -> twoStepMultiply(id, n, p, m, x);
            case DISTRACTOR -> distractor(id, n, p, m, x);
        };
    }

    private WordProblem add(String id, String n, String p, String m, String x) {
        int a = random.between(2, 60);
        int b = random.between(2, 39);
        String[] t = switch (random.nextInt(4)) {
            case 0 ->
                new String[] {
                    n + " had " + a + " " + x + ". " + p + " bought " + b + " more " + x + ".",
                    "How many " + x + " does " + n + " have now?"
                };
            case 1 ->
                new String[] {
                    "There are " + a + " " + x + " in a basket. " + n + " puts " + b + " more " + x + " in the basket.",
                    "How many " + x + " are in the basket now?"
                };
            case 2 ->
                new String[] {
                    n + " has " + a + " " + x + ". " + m + " has " + b + " " + x + ".",
                    "How many " + x + " do they have together?"
                };
            default ->
                new String[] {
                    n + " found " + a + " " + x + " on Monday and " + b + " " + x + " on Tuesday.",
                    "How many " + x + " did " + n + " find in all?"
                };
        };
        return oneStep(id, Family.ADD, t, a, '+', b);
    }

    private WordProblem subtract(String id, String n, String p, String m, String x) {
        int a = random.between(10, 99);
        int b = random.between(1, a - 1);
        String[] t = switch (random.nextInt(4)) {
            case 0 ->
                new String[] {
                    n + " had " + a + " " + x + ". " + p + " gave " + b + " " + x + " to " + m + ".",
                    "How many " + x + " does " + n + " have left?"
                };
            case 1 ->
                new String[] {
                    "There were " + a + " " + x + " in a box. " + n + " took " + b + " of them.",
                    "How many " + x + " are in the box now?"
                };
            case 2 ->
                new String[] {
                    n + " has " + a + " " + x + ". " + m + " has " + b + " " + x + ".",
                    "How many more " + x + " does " + n + " have than " + m + "?"
                };
            default ->
                new String[] {
                    n + " needs " + a + " " + x + ". " + p + " already has " + b + " " + x + ".",
                    "How many more " + x + " does " + n + " need?"
                };
        };
        return oneStep(id, Family.SUBTRACT, t, a, '-', b);
    }

    private WordProblem multiply(String id, String n, String x) {
        int a = random.between(2, 9);
        int b = random.between(2, 12);
        String c = random.pick(ProblemWords.CONTAINERS);
        String[] t = switch (random.nextInt(3)) {
            case 0 ->
                new String[] {
                    n + " has " + a + " " + c + ". Each of them holds " + b + " " + x + ".",
                    "How many " + x + " does " + n + " have?"
                };
            case 1 ->
                new String[] {
                    n + " buys " + a + " " + c + " of " + x + " with " + b + " " + x + " in each.",
                    "How many " + x + " does " + n + " buy?"
                };
            default ->
                new String[] {
                    "There are " + a + " rows of " + x + ". Each row has " + b + " " + x + ".",
                    "How many " + x + " are there in all?"
                };
        };
        return oneStep(id, Family.MULTIPLY, t, a, '*', b);
    }

    private WordProblem divide(String id, String n, String p, String x) {
        int b = random.between(2, 9);
        int a = b * random.between(2, 11);
        String[] t = switch (random.nextInt(3)) {
            case 0 ->
                new String[] {
                    n + " has " + a + " " + x + ". " + p + " shares them equally among " + b + " friends.",
                    "How many " + x + " does each friend get?"
                };
            case 1 ->
                new String[] {
                    n + " puts " + a + " " + x + " into bags of " + b + ".", "How many bags does " + n + " fill?"
                };
            default ->
                new String[] {
                    "There are " + a + " " + x + " in " + b + " equal rows.", "How many " + x + " are in each row?"
                };
        };
        return oneStep(id, Family.DIVIDE, t, a, '/', b);
    }

    private WordProblem twoStep(String id, String n, String p, String m, String x) {
        int a = random.between(5, 50);
        int b = random.between(2, 30);
        switch (random.nextInt(3)) {
            case 0 -> {
                int c = random.between(1, a + b - 1);
                return twoSteps(
                        id,
                        Family.TWO_STEP,
                        n + " had " + a + " " + x + ". " + p + " bought " + b + " more and then gave " + c + " to " + m
                                + ".",
                        "How many " + x + " does " + n + " have now?",
                        a,
                        '+',
                        b,
                        '-',
                        c);
            }
            case 1 -> {
                int taken = random.between(1, a - 1);
                int c = random.between(1, 30);
                return twoSteps(
                        id,
                        Family.TWO_STEP,
                        "There were " + a + " " + x + " in a box. " + n + " took " + taken + " of them and later put "
                                + c + " back.",
                        "How many " + x + " are in the box now?",
                        a,
                        '-',
                        taken,
                        '+',
                        c);
            }
            default -> {
                int c = random.between(1, a + b - 1);
                return twoSteps(
                        id,
                        Family.TWO_STEP,
                        n + " has " + a + " " + x + " and " + m + " has " + b + " " + x + ". They give " + c + " " + x
                                + " away.",
                        "How many " + x + " do they have left?",
                        a,
                        '+',
                        b,
                        '-',
                        c);
            }
        }
    }

    private WordProblem twoStepMultiply(String id, String n, String p, String m, String x) {
        int a = random.between(2, 9);
        int b = random.between(2, 9);
        String c = random.pick(ProblemWords.CONTAINERS);
        if (random.nextInt(2) == 0) {
            int extra = random.between(1, 20);
            return twoSteps(
                    id,
                    Family.TWO_STEP_MULTIPLY,
                    n + " has " + a + " " + c + " with " + b + " " + x + " in each. " + p + " also has " + extra
                            + " loose " + x + ".",
                    "How many " + x + " does " + n + " have in all?",
                    a,
                    '*',
                    b,
                    '+',
                    extra);
        }
        int given = random.between(1, a * b - 1);
        return twoSteps(
                id,
                Family.TWO_STEP_MULTIPLY,
                n + " buys " + a + " " + c + " of " + x + " with " + b + " in each. " + p + " gives " + given + " " + x
                        + " to " + m + ".",
                "How many " + x + " does " + n + " have left?",
                a,
                '*',
                b,
                '-',
                given);
    }

    private WordProblem distractor(String id, String n, String p, String m, String x) {
        String y = random.pick(ProblemWords.THINGS);
        while (y.equals(x)) {
            y = random.pick(ProblemWords.THINGS);
        }
        int a = random.between(10, 60);
        int b = random.between(2, a - 1);
        int d = random.between(2, 60);
        while (d == a || d == b) {
            d = random.between(2, 60);
        }
        return switch (random.nextInt(4)) {
            case 0 ->
                oneStep(
                        id,
                        Family.DISTRACTOR,
                        new String[] {
                            n + " had " + a + " " + x + " and " + d + " " + y + ". " + p + " bought " + b + " more " + x
                                    + ".",
                            "How many " + x + " does " + n + " have now?"
                        },
                        a,
                        '+',
                        b);
            case 1 ->
                oneStep(
                        id,
                        Family.DISTRACTOR,
                        new String[] {
                            n + " is " + d + " years old. " + p + " has " + a + " " + x + " and gives " + b
                                    + " of them to " + m + ".",
                            "How many " + x + " does " + n + " have left?"
                        },
                        a,
                        '-',
                        b);
            case 2 ->
                oneStep(
                        id,
                        Family.DISTRACTOR,
                        new String[] {
                            "There are " + a + " " + x + " and " + d + " " + y + " in a box. " + n + " takes " + b + " "
                                    + x + " out.",
                            "How many " + x + " are in the box now?"
                        },
                        a,
                        '-',
                        b);
            default ->
                oneStep(
                        id,
                        Family.DISTRACTOR,
                        new String[] {
                            n + " has " + a + " " + x + ". " + m + " has " + b + " " + x + " and " + d + " " + y + ".",
                            "How many " + x + " do they have together?"
                        },
                        a,
                        '+',
                        b);
        };
    }

    private static WordProblem oneStep(String id, Family family, String[] text, int a, char op, int b) {
        int v = apply(a, op, b);
        String eq = a + " " + op + " " + b;
        return new WordProblem(id, family, text[0], text[1], eq, v, eq + " = " + v + ". The answer is " + v + ".");
    }

    private static WordProblem twoSteps(
            String id, Family family, String body, String question, int a, char op1, int b, char op2, int c) {
        int first = apply(a, op1, b);
        int v = apply(first, op2, c);
        String answer = a + " " + op1 + " " + b + " = " + first + ". " + first + " " + op2 + " " + c + " = " + v
                + ". The answer is " + v + ".";
        return new WordProblem(id, family, body, question, a + " " + op1 + " " + b + " " + op2 + " " + c, v, answer);
    }

    private static int apply(int a, char op, int b) {
        return switch (op) {
            case '+' -> a + b;
            case '-' -> a - b;
            case '*' -> a * b;
            case '/' -> a / b;
            default -> throw new IllegalArgumentException("operator " + op);
        };
    }
}
