package ai.goldkd.metrics;

/** An equation that {@link Equation} cannot evaluate; the message gives the position and the fix. */
public final class EquationException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong, where, and what an equation may contain
     */
    public EquationException(String message) {
        super(message);
    }
}
