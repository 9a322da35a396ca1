package ai.goldkd.offline;

import ai.goldkd.data.arithmetic.WordProblem;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words of arithmetic word problems, and their delexicalised form: what the arithmetic writer
 * learns from and writes in. Names, pronouns, objects and numbers become slots, so that
 * {@code "Sam had 24 marbles. He gave 7 marbles to Umar."} / {@code "24 - 7 = 17. The answer is 17."}
 * reads {@code <name1> had <v1> <thing1> . <pron> gave <v2> <thing1> to <name2> .} /
 * {@code <v1> - <v2> = <r1> . The answer is <r1> .}: body numbers are {@code <vK>} by first
 * appearance (equal numbers too), the answer's results {@code <rK>} by step; an answer operand that is neither is {@code <x>}.
 *
 * <p>The lexicon is mined from the TRAIN split, not listed: a <b>name</b> is a capitalised word seen
 * both at a sentence start and inside a sentence (so {@code Monday} and {@code There} are not names),
 * its pronoun the {@code He}/{@code She} that most often follows it in a body; a <b>thing</b> is what a
 * question counts ({@code How many X does ...}) when the body also gives a number of X.
 *
 * @param names the names, sorted
 * @param pronouns each name's pronoun ({@code He} or {@code She})
 * @param things the things counted, sorted, some of two words ({@code toy cars})
 */
public record ProblemText(List<String> names, Map<String, String> pronouns, List<String> things) {

    /** The separator before the question. */
    static final String QUESTION = "<q>";
    /** The separator before the answer. */
    static final String ANSWER = "<a>";
    /** A pronoun slot, realised as the first name's pronoun. */
    static final String PRONOUN = "<pron>";
    /** An answer operand that the body does not give. */
    static final String UNKNOWN = "<x>";

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z]+|\\d+|[^\\sA-Za-z\\d]");
    private static final Pattern COUNTED =
            Pattern.compile("^How many (?:more )?([a-z]+(?: [a-z]+)?) (?:does|do|did|are|is)\\b");
    private static final Set<String> OPERATORS = Set.of("+", "-", "*", "/");

    /** Copies the collections. */
    public ProblemText {
        names = List.copyOf(names);
        pronouns = Map.copyOf(pronouns);
        things = List.copyOf(things);
        if (names.size() < 2 || things.size() < 2) {
            throw new IllegalArgumentException("the lexicon has " + names.size() + " names and " + things.size()
                    + " things; a writer needs at least 2 of each: mine it from the arithmetic TRAIN split");
        }
    }

    /**
     * Mines the lexicon from problems.
     *
     * @param problems the TRAIN problems
     * @return the lexicon
     */
    public static ProblemText mine(List<WordProblem> problems) {
        Set<String> starts = new HashSet<>();
        Set<String> inside = new HashSet<>();
        Map<String, int[]> heShe = new HashMap<>();
        Map<String, Integer> counted = new HashMap<>();
        Map<String, Pattern> patterns = new HashMap<>();
        for (WordProblem p : problems) {
            for (String field : List.of(p.body(), p.question())) {
                List<String> tokens = tokens(field);
                for (int i = 0; i < tokens.size(); i++) {
                    String t = tokens.get(i);
                    if (Character.isUpperCase(t.charAt(0))) {
                        boolean start = i == 0
                                || tokens.get(i - 1).equals(".")
                                || tokens.get(i - 1).equals("?");
                        (start ? starts : inside).add(t);
                    }
                }
            }
            List<String> body = tokens(p.body());
            int he = body.indexOf("He");
            int she = body.indexOf("She");
            if (he > 0 || she > 0) {
                heShe.computeIfAbsent(body.get(0), k -> new int[2])[he > 0 && (she < 0 || he < she) ? 0 : 1]++;
            }
            Matcher m = COUNTED.matcher(p.question());
            if (m.find()
                    && patterns.computeIfAbsent(m.group(1), x -> Pattern.compile("\\b\\d+ " + Pattern.quote(x) + "\\b"))
                            .matcher(p.body())
                            .find()) {
                counted.merge(m.group(1), 1, Integer::sum);
            }
        }
        List<String> names = new ArrayList<>();
        Map<String, String> pronouns = new TreeMap<>();
        for (String w : new TreeSet<>(starts)) {
            if (inside.contains(w)) {
                names.add(w);
                int[] c = heShe.getOrDefault(w, new int[2]);
                pronouns.put(w, c[1] > c[0] ? "She" : "He");
            }
        }
        List<String> things = counted.entrySet().stream()
                .filter(e -> e.getValue() >= 5)
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
        return new ProblemText(names, pronouns, things);
    }

    /**
     * Splits a text into words, numbers and marks.
     *
     * @param text the text
     * @return the tokens
     */
    public static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /**
     * Delexicalises a problem: body, {@code <q>}, question, {@code <a>}, answer (the answer may be null,
     * for a problem without one).
     *
     * @param body the body
     * @param question the question
     * @param answer the worked answer, or null
     * @return the slotted tokens
     */
    public List<String> delexicalise(String body, String question, String answer) {
        Map<String, String> slots = new LinkedHashMap<>(); // surface name, thing or number -> slot
        List<String> out = new ArrayList<>(slotted(tokens(body), slots, true));
        out.add(QUESTION);
        out.addAll(slotted(tokens(question), slots, true));
        if (answer != null) {
            out.add(ANSWER);
            out.addAll(answerSlots(tokens(answer), slots));
        }
        return out;
    }

    private List<String> slotted(List<String> tokens, Map<String, String> slots, boolean numbersAreGiven) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            String two = i + 1 < tokens.size() ? t + " " + tokens.get(i + 1) : null;
            if (two != null && things.contains(two)) {
                out.add(slot(slots, two, "thing"));
                i++;
            } else if (things.contains(t)) {
                out.add(slot(slots, t, "thing"));
            } else if (pronouns.containsKey(t)) {
                out.add(slot(slots, t, "name"));
            } else if ((t.equals("He") || t.equals("She"))
                    && slots.values().stream().anyMatch(s -> s.startsWith("<name"))) {
                out.add(PRONOUN);
            } else if (numbersAreGiven && Character.isDigit(t.charAt(0))) {
                String v = "<v" + (numbers(slots).size() + 1) + ">"; // each stated number its own slot
                slots.put("#" + t + "@" + v, v);
                out.add(v);
            } else {
                out.add(t);
            }
        }
        return out;
    }

    private static String slot(Map<String, String> slots, String key, String kind) {
        String have = slots.get(key);
        if (have != null) {
            return have;
        }
        String prefix = "<" + kind;
        long k = slots.values().stream()
                .filter(s -> s.startsWith(prefix) && Character.isDigit(s.charAt(prefix.length())))
                .count();
        String s = prefix + (k + 1) + ">";
        slots.put(key, s);
        return s;
    }

    /** Numbers of an answer: results by step, operands from earlier results, then from the body. */
    private List<String> answerSlots(List<String> tokens, Map<String, String> slots) {
        List<String> out = new ArrayList<>();
        Map<String, String> results = new HashMap<>(); // value -> <rK>
        Set<String> usedHere = new HashSet<>();
        int steps = 0;
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (!Character.isDigit(t.charAt(0))) {
                out.add(slotted(List.of(t), slots, false).get(0));
                continue;
            }
            String prev = i > 0 ? tokens.get(i - 1) : "";
            String next = i + 1 < tokens.size() ? tokens.get(i + 1) : "";
            if (prev.equals("=")) {
                steps++;
                String r = "<r" + steps + ">";
                results.put(t, r);
                out.add(r);
            } else if (prev.equals("is")) {
                out.add(results.getOrDefault(t, UNKNOWN));
            } else if (OPERATORS.contains(next) && results.containsKey(t)) {
                out.add(results.get(t)); // a step's first operand: the last result
            } else if (stated(slots, t, usedHere) != null) {
                String v = stated(slots, t, usedHere);
                usedHere.add(v);
                out.add(v);
            } else {
                out.add(results.getOrDefault(t, UNKNOWN));
            }
        }
        return out;
    }

    /** The number slots so far, in order. */
    private static List<String> numbers(Map<String, String> slots) {
        return slots.entrySet().stream()
                .filter(e -> e.getKey().startsWith("#"))
                .map(Map.Entry::getValue)
                .toList();
    }

    /** The slot of a stated number of this value: the first the answer has not used yet, else the first. */
    private static String stated(Map<String, String> slots, String value, Set<String> usedHere) {
        String first = null;
        for (Map.Entry<String, String> e : slots.entrySet()) {
            if (e.getKey().startsWith("#" + value + "@")) {
                if (!usedHere.contains(e.getValue())) {
                    return e.getValue();
                }
                first = first == null ? e.getValue() : first;
            }
        }
        return first;
    }

    /**
     * Joins surface tokens as the data writes them: a space between words, none before a mark.
     *
     * @param tokens the tokens
     * @return the text
     */
    public static String join(List<String> tokens) {
        StringBuilder out = new StringBuilder();
        for (String t : tokens) {
            if (out.length() > 0 && !isMark(t)) {
                out.append(' ');
            }
            out.append(t);
        }
        return out.toString();
    }

    /** Whether a token is written without a space before it. */
    static boolean isMark(String token) {
        return token.equals(".") || token.equals("?") || token.equals(",") || token.equals(":") || token.equals("!");
    }

    /** Whether a token is a slot ({@code <...>}). */
    static boolean isSlot(String token) {
        return token.length() > 2 && token.charAt(0) == '<' && token.charAt(token.length() - 1) == '>';
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ProblemText[%d names, %d things]", names.size(), things.size());
    }
}
