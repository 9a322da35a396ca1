package ai.goldkd.cli;

/** A command line that cannot be run as given; its message says what to type instead. */
public final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong and how to fix it
     */
    public UsageException(String message) {
        super(message);
    }
}
