package ai.goldkd.config;

import java.nio.file.Path;

/**
 * The cache directory outside git where {@code gold setup} puts what packages ship: npm assets
 * (plotly.js, data sets), the notebook kernel, built teachers. {@code $GOLD_HOME}, or
 * {@code ~/.cache/gold} when unset.
 */
public final class GoldHome {

    /** The name of the environment variable that moves the cache. */
    public static final String ENV = "GOLD_HOME";

    private GoldHome() {}

    /** Returns the cache directory (it may not exist yet). */
    public static Path dir() {
        String value = System.getenv(ENV);
        if (value != null && !value.isBlank()) {
            return Path.of(value);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "gold");
    }

    /**
     * Resolves a file that {@code gold setup} installs into the npm cache.
     *
     * @param relative the path under {@code node_modules}, such as {@code plotly.js-dist-min/plotly.min.js}
     * @return the absolute path (it may not exist)
     */
    public static Path npmFile(String relative) {
        return dir().resolve("npm").resolve("node_modules").resolve(relative);
    }
}
