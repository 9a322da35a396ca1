package ai.goldkd.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The kinds of run directory a report reads, told apart by the file each command writes first, and the
 * one number per run that the report's summary compares across seeds.
 */
public enum RunKind {
    /** {@code gold run}: config.json, iterations/, metrics.csv, final/result.json. */
    GOLD("gold run", "config.json", "Final student accuracy on the real test set", "accuracy %", "points", true),
    /** {@code gold distill}: distillation.json, metrics.csv, results.json. */
    DISTILLATION(
            "gold distill", "distillation.json", "Distilled student's test accuracy", "accuracy %", "points", true),
    /** {@code gold lm train}: metrics.csv and a checkpoint (model.json), no config of its own. */
    LM_TRAINING("gold lm train", "metrics.csv", "Best held-out loss", "held-out loss (nats/token)", "nats", false);

    private final String command;
    private final String marker;
    private final String headlineTitle;
    private final String headlineLabel;
    private final String unit;
    private final boolean higherIsBetter;

    RunKind(
            String command,
            String marker,
            String headlineTitle,
            String headlineLabel,
            String unit,
            boolean higherIsBetter) {
        this.command = command;
        this.marker = marker;
        this.headlineTitle = headlineTitle;
        this.headlineLabel = headlineLabel;
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
    }

    /**
     * The kind of a run directory, or empty when the directory holds no run.
     *
     * @param dir the directory
     * @return its kind
     */
    public static Optional<RunKind> of(Path dir) {
        // config.json first: a GOLD run also holds metrics.csv; distillation.json before metrics.csv likewise.
        for (RunKind kind : values()) {
            if (Files.isRegularFile(dir.resolve(kind.marker))) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    /** The command that writes this kind of run. */
    public String command() {
        return command;
    }

    /** The file whose presence marks the kind. */
    public String marker() {
        return marker;
    }

    /** The title of the summary's table and chart. */
    public String headlineTitle() {
        return headlineTitle;
    }

    /** The headline value's name with its unit, e.g. {@code "accuracy %"}. */
    public String headlineLabel() {
        return headlineLabel;
    }

    /** The unit of a difference in the headline value, for verdicts ({@code "points"}, {@code "nats"}). */
    public String unit() {
        return unit;
    }

    /** Whether a higher headline value is better (accuracy) or worse (loss). */
    public boolean higherIsBetter() {
        return higherIsBetter;
    }
}
