package ai.goldkd.teacher;

/** A generation request that could not be answered; the message says why and, where it can, what to change. */
public final class GenerationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, with the backend's own message when there is one
     * @param status the HTTP status of the last answer, or 0 when none came (connection error, local model)
     */
    public GenerationException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** The HTTP status of the last answer, or 0 when none came. */
    public int status() {
        return status;
    }
}
