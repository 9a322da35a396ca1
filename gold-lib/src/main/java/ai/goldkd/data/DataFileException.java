package ai.goldkd.data;

/**
 * A data or task file that cannot be read as it is; the message names the file, the line or field,
 * and what to change.
 */
public final class DataFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message where and what is wrong, and the fix
     */
    public DataFileException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message where and what is wrong, and the fix
     * @param cause the underlying error
     */
    public DataFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
