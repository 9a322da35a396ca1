package ai.goldkd.data.arithmetic;

import ai.goldkd.data.Example;
import ai.goldkd.metrics.Equation;

/**
 * An arithmetic word problem, SVAMP-style: a body and a question; the equation that answers it, its
 * value, and a worked answer ({@code "12 + 5 = 17. 17 - 4 = 13. The answer is 13."}) for training
 * a model that reasons before answering.
 *
 * @param id a stable id, such as {@code arith-test-0042}
 * @param family the template family
 * @param body the situation, with the numbers
 * @param question what is asked
 * @param equation the equation over the body's numbers, such as {@code 12 + 5 - 4}
 * @param value the equation's value, an integer
 * @param answer the worked answer, ending in "The answer is N."
 */
public record WordProblem(
        String id, Family family, String body, String question, String equation, int value, String answer) {

    /** Checks that the equation evaluates to the value. */
    public WordProblem {
        double actual = Equation.evaluate(equation);
        if (actual != value) {
            throw new IllegalArgumentException(
                    "problem " + id + ": equation '" + equation + "' is " + actual + ", not " + value);
        }
    }

    /** The problem as a JSONL row: id, family, body, question, equation, value, answer. */
    public Example toExample() {
        return Example.of(
                "id",
                id,
                "family",
                family.label(),
                "body",
                body,
                "question",
                question,
                "equation",
                equation,
                "value",
                Integer.toString(value),
                "answer",
                answer);
    }

    /**
     * Reads a problem from a JSONL row written by {@link #toExample()}.
     *
     * @param e the row
     * @return the problem
     */
    public static WordProblem fromExample(Example e) {
        return new WordProblem(
                e.get("id"),
                Family.parse(e.get("family")),
                e.get("body"),
                e.get("question"),
                e.get("equation"),
                Integer.parseInt(e.get("value")),
                e.get("answer"));
    }
}
