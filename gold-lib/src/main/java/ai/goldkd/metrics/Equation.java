package ai.goldkd.metrics;

/**
 * A safe evaluator of arithmetic equations: numbers, {@code + - * /}, unary signs and parentheses,
 * parsed by recursive descent. Nothing is executed: there is no script engine and no other syntax.
 * The signs {@code × ÷ −} that language models like to write are read as {@code * / -}.
 *
 * <p>Grammar: {@code expr := term (('+'|'-') term)*}, {@code term := factor (('*'|'/') factor)*},
 * {@code factor := ('+'|'-') factor | number | '(' expr ')'}.
 */
public final class Equation {

    /** Deeper nesting than this is rejected rather than risking the stack. */
    static final int MAX_DEPTH = 64;

    private final String text;
    private int pos;
    private int depth;

    private Equation(String text) {
        this.text = text;
    }

    /**
     * Evaluates an equation.
     *
     * @param equation such as {@code ( 12 + 5 ) * 3} or {@code 7.5 / 2.5}
     * @return its value
     * @throws EquationException when the text is not an equation or divides by zero; the message
     *     gives the position
     */
    public static double evaluate(String equation) {
        if (equation == null || equation.isBlank()) {
            throw new EquationException("the equation is empty; write one such as '3 + 4 * 2'");
        }
        Equation parser = new Equation(equation);
        double value = parser.expression();
        parser.skipSpaces();
        if (parser.pos < equation.length()) {
            throw parser.error("unexpected '" + equation.charAt(parser.pos) + "'");
        }
        return value;
    }

    /**
     * Evaluates an equation, or says it cannot.
     *
     * @param equation the text
     * @return whether {@link #evaluate(String)} succeeds on it
     */
    public static boolean isValid(String equation) {
        try {
            evaluate(equation);
            return true;
        } catch (EquationException e) {
            return false;
        }
    }

    private double expression() {
        if (++depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH + " levels");
        }
        double value = term();
        while (true) {
            char op = peek();
            if (op == '+') {
                pos++;
                value += term();
            } else if (op == '-') {
                pos++;
                value -= term();
            } else {
                depth--;
                return value;
            }
        }
    }

    private double term() {
        double value = factor();
        while (true) {
            char op = peek();
            if (op == '*') {
                pos++;
                value *= factor();
            } else if (op == '/') {
                pos++;
                int at = pos;
                double divisor = factor();
                if (divisor == 0) {
                    throw new EquationException("division by zero at position " + at + " in '" + text + "'");
                }
                value /= divisor;
            } else {
                return value;
            }
        }
    }

    private double factor() {
        char c = peek();
        if (c == '+' || c == '-') {
            pos++;
            if (++depth > MAX_DEPTH) {
                throw error("more than " + MAX_DEPTH + " signs in a row");
            }
            double value = factor();
            depth--;
            return c == '-' ? -value : value;
        }
        if (c == '(') {
            pos++;
            double value = expression();
            if (peek() != ')') {
                throw error("missing ')'");
            }
            pos++;
            return value;
        }
        if ((c >= '0' && c <= '9') || c == '.') {
            return number();
        }
        throw error(c == 0 ? "the equation ends where a number or '(' should come" : "unexpected '" + c + "'");
    }

    private double number() {
        int start = pos;
        boolean dot = false;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c >= '0' && c <= '9') {
                pos++;
            } else if (c == '.' && !dot) {
                dot = true;
                pos++;
            } else {
                break;
            }
        }
        String digits = text.substring(start, pos);
        if (digits.equals(".")) {
            throw new EquationException("a lone '.' at position " + start + " in '" + text + "'; write 0.5, not .");
        }
        return Double.parseDouble(digits);
    }

    /** The next operator or symbol after spaces, normalised, or 0 at the end; does not consume it. */
    private char peek() {
        skipSpaces();
        if (pos >= text.length()) {
            return 0;
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '×' -> '*';
            case '÷' -> '/';
            case '−', '–' -> '-';
            default -> c;
        };
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private EquationException error(String what) {
        return new EquationException(what + " at position " + pos + " in '" + text
                + "'; an equation uses numbers, + - * /, and parentheses");
    }
}
