package ai.goldkd.config;

/**
 * A config that cannot be read: an unknown key, a value of the wrong type or out of range. The
 * message is one line that names the key, the value and the fix.
 */
public final class ConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * An error.
     *
     * @param message the one-line message
     */
    public ConfigException(String message) {
        super(message);
    }

    /**
     * The same error with where the config came from in front (a file, {@code --set}, a run directory).
     *
     * @param source the source, e.g. {@code runs/gold-s1/config.json}
     * @return the error
     */
    public ConfigException from(String source) {
        ConfigException e = new ConfigException(source + ": " + getMessage());
        e.setStackTrace(getStackTrace());
        return e;
    }
}
