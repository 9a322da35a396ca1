package ai.goldkd.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Where and when a report was written, and by which command, for its header.
 *
 * @param command the command line that made the runs or the report, or null when written from Java
 * @param written when the report was written
 * @param machine the machine, in words (host, OS, cores, memory, Java)
 */
public record Provenance(String command, Instant written, String machine) {

    /**
     * This machine, now.
     *
     * @param command the command line, or null (a notebook, a Java program)
     * @return the provenance
     */
    public static Provenance here(String command) {
        Runtime rt = Runtime.getRuntime();
        String machine = String.format(
                Locale.ROOT,
                "%s (%s %s, %s, %d cores, %.1f GiB max heap, Java %s)",
                host(),
                System.getProperty("os.name"),
                System.getProperty("os.version"),
                System.getProperty("os.arch"),
                rt.availableProcessors(),
                rt.maxMemory() / (1024.0 * 1024 * 1024),
                System.getProperty("java.version"));
        String device = System.getenv("GOLD_DEVICE");
        if (device != null && !device.isBlank()) {
            machine += ", GOLD_DEVICE=" + device;
        }
        return new Provenance(command, Instant.now(), machine);
    }

    /** The date and time written, in UTC, e.g. {@code 2026-12-02 16:40 UTC}. */
    public String date() {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
                .withZone(ZoneOffset.UTC)
                .format(written);
    }

    private static String host() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return Files.readString(Path.of("/etc/hostname")).trim();
        } catch (IOException | RuntimeException e) {
            return "an unnamed host";
        }
    }
}
