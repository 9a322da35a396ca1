package ai.goldkd.offline;

import ai.goldkd.data.arithmetic.Family;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a written arithmetic problem by rules that read only its text, independent of the writer.
 *
 * <p>A sample is <b>correct</b> when its answer is right for its own text: the answer holds at least one
 * step {@code a op b = c}, with nothing else but {@code "The answer is N."}; every operand {@code a},
 * {@code b} is a number the body or question states, or an earlier step's result; every step's arithmetic
 * is right (a division exact); and N is the last step's result. It does not judge whether the operation
 * fits the story (a sum where the text asks for a difference passes).
 *
 * <p>Its <b>family</b> follows from the answer's operations and the count of the body's numbers: two
 * steps starting with {@code *} are two-step-multiply, other two steps two-step; one {@code *} multiply,
 * one {@code /} divide; one {@code +} or {@code -} with three or more numbers in the body distractor,
 * else add or subtract. On the TRAIN split this gives each problem's own family.
 */
public final class ArithmeticCheck {

    private static final Pattern STEP = Pattern.compile("(\\d+) ([-+*/]) (\\d+) = (\\d+)\\.");
    private static final Pattern FINAL = Pattern.compile("The answer is (\\d+)\\.");
    private static final Pattern NUMBER = Pattern.compile("\\d+");

    private ArithmeticCheck() {}

    /** One step of a worked answer. */
    private record Step(long a, char op, long b, long c) {}

    private static List<Step> steps(String answer) {
        List<Step> out = new ArrayList<>();
        String rest = answer.strip();
        while (true) {
            Matcher m = STEP.matcher(rest);
            if (!m.lookingAt()) {
                break;
            }
            out.add(new Step(
                    Long.parseLong(m.group(1)),
                    m.group(2).charAt(0),
                    Long.parseLong(m.group(3)),
                    Long.parseLong(m.group(4))));
            rest = rest.substring(m.end()).strip();
        }
        return FINAL.matcher(rest).matches() ? out : null;
    }

    /**
     * Whether a sample's answer is right for its own text (see the class comment).
     *
     * @param body the body
     * @param question the question
     * @param answer the worked answer
     * @return whether it is correct
     */
    public static boolean correct(String body, String question, String answer) {
        List<Step> steps = steps(answer);
        if (steps == null || steps.isEmpty()) {
            return false;
        }
        Set<Long> known = new HashSet<>();
        Matcher m = NUMBER.matcher(body + " " + question);
        while (m.find()) {
            known.add(Long.parseLong(m.group()));
        }
        for (Step s : steps) {
            if (!known.contains(s.a()) || !known.contains(s.b())) {
                return false;
            }
            long v = switch (s.op()) {
                case '+' -> s.a() + s.b();
                case '-' -> s.a() - s.b();
                case '*' -> s.a() * s.b();
                default -> s.b() != 0 && s.a() % s.b() == 0 ? s.a() / s.b() : -1;
            };
            if (v != s.c()) {
                return false;
            }
            known.add(v);
        }
        Matcher f = FINAL.matcher(answer);
        long last = -1;
        while (f.find()) {
            last = Long.parseLong(f.group(1));
        }
        return last == steps.get(steps.size() - 1).c();
    }

    /**
     * The family a sample's text shows (see the class comment).
     *
     * @param body the body
     * @param answer the worked answer
     * @return the family, or null when the answer has no steps or more than two
     */
    public static Family family(String body, String answer) {
        List<Step> steps = steps(answer);
        if (steps == null || steps.isEmpty() || steps.size() > 2) {
            return null;
        }
        if (steps.size() == 2) {
            return steps.get(0).op() == '*' ? Family.TWO_STEP_MULTIPLY : Family.TWO_STEP;
        }
        char op = steps.get(0).op();
        if (op == '*') {
            return Family.MULTIPLY;
        }
        if (op == '/') {
            return Family.DIVIDE;
        }
        int numbers = 0;
        Matcher m = NUMBER.matcher(body);
        while (m.find()) {
            numbers++;
        }
        return numbers >= 3 ? Family.DISTRACTOR : op == '+' ? Family.ADD : Family.SUBTRACT;
    }
}
