package ai.goldkd.report;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * A progress bar for long work that updates in place: an HTML bar in a notebook, a carriage-return
 * line on an interactive terminal, and one line per tenth of the work in logs.
 *
 * <pre>{@code
 * try (Progress bar = Progress.start("training", steps)) {
 *     for (int i = 0; i < steps; i++) { ...; bar.step(String.format("loss %.3f", loss)); }
 * }
 * }</pre>
 */
public final class Progress implements AutoCloseable {

    private static final long MIN_INTERVAL_NANOS = Duration.ofMillis(200).toNanos();

    private final String label;
    private final long total;
    private final long startNanos;
    private final String displayId;
    private final PrintStream terminal;
    private final boolean interactive;
    private long done;
    private long lastDrawNanos;
    private int lastTenth = -1;
    private String note = "";

    private Progress(String label, long total, PrintStream terminal, boolean interactive) {
        if (total <= 0) {
            throw new IllegalArgumentException("progress total must be positive, got " + total);
        }
        this.label = label;
        this.total = total;
        this.terminal = terminal;
        this.interactive = interactive;
        this.startNanos = System.nanoTime();
        this.displayId = Notebook.active() ? Notebook.showHtml(html()) : null;
    }

    /**
     * Starts a progress bar that draws in the notebook when there is one, else on standard error.
     *
     * @param label what is being done
     * @param total the number of steps
     * @return the bar; close it when the work ends
     */
    public static Progress start(String label, long total) {
        return new Progress(label, total, System.err, System.console() != null);
    }

    /**
     * Starts a progress bar that writes to the given stream (for tests and logs).
     *
     * @param label what is being done
     * @param total the number of steps
     * @param out where to write
     * @param interactive whether to redraw one line in place
     * @return the bar
     */
    public static Progress start(String label, long total, PrintStream out, boolean interactive) {
        return new Progress(label, total, out, interactive);
    }

    /** One step of work for {@link #over}. */
    @FunctionalInterface
    public interface Step {
        /**
         * Does step {@code i}.
         *
         * @param i the step, from 0
         * @throws Exception anything the work throws; it ends the run
         */
        void run(int i) throws Exception;
    }

    /**
     * Runs {@code steps} steps of work behind a bar that advances after each.
     *
     * @param label what is counted
     * @param steps how many steps
     * @param work the work of one step
     * @throws Exception what the work threw
     */
    public static void over(String label, int steps, Step work) throws Exception {
        try (Progress bar = start(label, steps)) {
            for (int i = 0; i < steps; i++) {
                work.run(i);
                bar.step("i=" + i);
            }
        }
    }

    /** Advances by one step. */
    public void step() {
        advance(1, null);
    }

    /**
     * Advances by one step and shows a note, such as the current loss.
     *
     * @param stepNote the note
     */
    public void step(String stepNote) {
        advance(1, stepNote);
    }

    /**
     * Advances by several steps.
     *
     * @param steps the number of steps done
     * @param stepNote a note, or null to keep the previous one
     */
    public void advance(long steps, String stepNote) {
        done = Math.min(total, done + steps);
        if (stepNote != null) {
            note = stepNote;
        }
        draw(done == total);
    }

    /** The number of steps done. */
    public long done() {
        return done;
    }

    /** The text of the bar as it is now, for the terminal. */
    public String line() {
        int width = 30;
        int filled = (int) (width * done / total);
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return String.format(
                        Locale.ROOT,
                        "%s [%s%s] %d/%d %.1fs %s",
                        label,
                        "#".repeat(filled),
                        ".".repeat(width - filled),
                        done,
                        total,
                        seconds,
                        note)
                .stripTrailing();
    }

    private String html() {
        double percent = 100.0 * done / total;
        return String.format(
                Locale.ROOT,
                "<div class=\"gold-progress\" style=\"font-family:monospace\">%s "
                        + "<progress value=\"%d\" max=\"%d\" style=\"width:30em\"></progress> "
                        + "%d/%d (%.0f%%) %s</div>",
                Tables.escape(label),
                done,
                total,
                done,
                total,
                percent,
                Tables.escape(note));
    }

    private void draw(boolean force) {
        long now = System.nanoTime();
        if (displayId != null) {
            if (force || now - lastDrawNanos >= MIN_INTERVAL_NANOS) {
                Notebook.display().ifPresent(d -> d.update(displayId, "text/html", html()));
                lastDrawNanos = now;
            }
            return;
        }
        if (interactive) {
            if (force || now - lastDrawNanos >= MIN_INTERVAL_NANOS) {
                terminal.print("\r" + line());
                terminal.flush();
                lastDrawNanos = now;
            }
            return;
        }
        int tenth = (int) (10 * done / total);
        if (tenth != lastTenth) {
            lastTenth = tenth;
            terminal.println(line());
        }
    }

    @Override
    public void close() {
        draw(true);
        if (displayId == null && interactive) {
            terminal.println();
        }
    }
}
