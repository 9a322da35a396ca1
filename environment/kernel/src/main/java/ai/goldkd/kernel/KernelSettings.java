package ai.goldkd.kernel;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What the kernel puts in front of the notebook: the class path of its JShell and the start-up script
 * (imports, mostly) that runs before the first cell.
 *
 * @param classpath jars and class folders the cells can use, each of which exists
 * @param startup the start-up script, or null for none
 * @param startupCode the script's text, empty for none
 */
public record KernelSettings(List<Path> classpath, Path startup, String startupCode) {

    /** The environment variable with the notebook class path, entries separated as the platform does. */
    public static final String CLASSPATH_ENV = "GOLD_KERNEL_CLASSPATH";
    /** The environment variable naming the start-up script. */
    public static final String STARTUP_ENV = "GOLD_KERNEL_STARTUP";

    /** Checks that every entry exists, so a stale kernelspec fails at start with the path to fix. */
    public KernelSettings {
        classpath = List.copyOf(classpath);
        for (Path entry : classpath) {
            if (!Files.exists(entry)) {
                throw new IllegalArgumentException(CLASSPATH_ENV + " names " + entry + ", which does not exist;"
                        + " rebuild and reinstall the kernel with `environment/gold setup`");
            }
        }
        startupCode = startupCode == null ? "" : startupCode;
    }

    /** No class path and no start-up script. */
    public static KernelSettings defaults() {
        return new KernelSettings(List.of(), null, "");
    }

    /**
     * Returns these settings with another class path.
     *
     * @param entries the class path
     * @return the new settings
     */
    public KernelSettings withClasspath(List<Path> entries) {
        return new KernelSettings(entries, startup, startupCode);
    }

    /**
     * Returns these settings with a start-up script read from a file.
     *
     * @param script the script
     * @return the new settings
     */
    public KernelSettings withStartup(Path script) {
        try {
            return new KernelSettings(classpath, script, Files.readString(script, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    STARTUP_ENV + " names " + script + ", which cannot be read (" + e.getMessage()
                            + "); reinstall the kernel with `environment/gold setup`",
                    e);
        }
    }

    /**
     * Reads the settings from the kernel's environment, as the kernelspec sets it.
     *
     * @param env the environment
     * @return the settings
     */
    public static KernelSettings fromEnvironment(Map<String, String> env) {
        KernelSettings settings = defaults();
        String cp = env.getOrDefault(CLASSPATH_ENV, "");
        if (!cp.isBlank()) {
            settings = settings.withClasspath(Arrays.stream(cp.split(File.pathSeparator))
                    .filter(s -> !s.isBlank())
                    .map(Path::of)
                    .toList());
        }
        String startup = env.getOrDefault(STARTUP_ENV, "");
        return startup.isBlank() ? settings : settings.withStartup(Path.of(startup));
    }
}
