package ai.goldkd.train;

import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Metrics stored long, one row per value: {@code run, iteration, step, metric, value}. Each row is
 * flushed as it is written, so a crash loses nothing, and a notebook charts a run in one call.
 */
public final class MetricsLog implements AutoCloseable {

    /** The CSV header. */
    public static final String HEADER = "run,iteration,step,metric,value";

    private final String run;
    private final BufferedWriter out;
    private final Path file;

    private MetricsLog(String run, Path file, BufferedWriter out) {
        this.run = run;
        this.file = file;
        this.out = out;
    }

    /**
     * Opens a metrics file for appending, writing the header if the file is new.
     *
     * @param file the CSV file
     * @param run the run's name, written on every row
     * @return the log
     */
    public static MetricsLog open(Path file, String run) {
        if (run.contains(",") || run.contains("\n")) {
            throw new IllegalArgumentException("run name '" + run + "' must not contain commas or newlines");
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            boolean fresh = !Files.exists(file) || Files.size(file) == 0;
            BufferedWriter writer = Files.newBufferedWriter(
                    file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (fresh) {
                writer.write(HEADER);
                writer.newLine();
                writer.flush();
            }
            return new MetricsLog(run, file, writer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open metrics file " + file, e);
        }
    }

    /** The run's name, written on every row. */
    public String run() {
        return run;
    }

    /** A log that keeps nothing, for runs that need no metrics file. */
    public static MetricsLog none() {
        return new MetricsLog("none", null, null);
    }

    /**
     * Writes one value.
     *
     * @param iteration the outer iteration (a GOLD iteration; 0 for plain training)
     * @param step the optimizer step
     * @param metric the metric's name
     * @param value its value
     */
    public synchronized void write(int iteration, long step, String metric, double value) {
        if (out == null) {
            return;
        }
        try {
            out.write(
                    String.format(Locale.ROOT, "%s,%d,%d,%s,%s", run, iteration, step, metric, Double.toString(value)));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to metrics file " + file, e);
        }
    }

    /**
     * Removes the rows of steps {@code step} and later from a metrics file, so that a run resumed from
     * the checkpoint of that step writes them once, not twice. The file is rewritten by rename.
     *
     * @param file the CSV file (nothing happens when it is absent)
     * @param step the first step to drop
     * @return how many rows were dropped
     */
    public static int dropFrom(Path file, long step) {
        if (!Files.exists(file)) {
            return 0;
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<String> kept = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                String[] cells = line.split(",", -1);
                // a row cut off by a kill has fewer cells: it goes with the steps after the checkpoint
                boolean row = i > 0 || !line.equals(HEADER);
                if (!row || (cells.length == 5 && parseStep(cells[2]) < step)) {
                    kept.add(line);
                }
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, kept, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return lines.size() - kept.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite metrics file " + file, e);
        }
    }

    private static long parseStep(String cell) {
        try {
            return Long.parseLong(cell);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Reads a metrics file into a table with columns run, iteration, step, metric, value.
     *
     * @param file the CSV file
     * @return the table
     */
    public static Table read(Path file) {
        try {
            return Table.read()
                    .usingOptions(CsvReadOptions.builder(file.toFile())
                            .tableName(file.getFileName().toString())
                            .columnTypes(new ColumnType[] {
                                ColumnType.STRING,
                                ColumnType.INTEGER,
                                ColumnType.LONG,
                                ColumnType.STRING,
                                ColumnType.DOUBLE
                            }));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot read metrics file " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (out == null) {
            return;
        }
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close metrics file " + file, e);
        }
    }
}
