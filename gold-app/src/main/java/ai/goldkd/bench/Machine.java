package ai.goldkd.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about the machine a run was measured on. */
final class Machine {
    private Machine() {}

    /** The CPU model and the number of cores the JVM sees. */
    static String describe() {
        String model = "unknown CPU";
        try {
            model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse(model);
        } catch (IOException | RuntimeException e) {
            // not Linux: the model stays unknown
        }
        return model + ", " + Runtime.getRuntime().availableProcessors() + " cores";
    }

    /** The 1, 5 and 15 minute load averages, or "unknown". */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
