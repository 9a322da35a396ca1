package ai.goldkd.report;

import java.util.Optional;

/**
 * The notebook session's display, if gold runs inside one.
 *
 * <p>In the gold kernel the display is found by itself (see {@link KernelDisplay}); other front ends
 * call {@link #install(Display)}. This is the one piece of process-wide state in the library: a JVM
 * serves at most one notebook session, and outside a notebook it stays empty, so charts and
 * progress fall back to files and the terminal.
 */
public final class Notebook {

    private static volatile Display display = KernelDisplay.detect().orElse(null);
    private static volatile boolean plotlyShown;

    private Notebook() {}

    /**
     * Connects the library to a notebook front end other than the gold kernel (or to a recording
     * display in a test).
     *
     * @param notebookDisplay the kernel's display bridge, or null to disconnect
     * @return the same display
     */
    public static Display install(Display notebookDisplay) {
        display = notebookDisplay;
        plotlyShown = false;
        return notebookDisplay;
    }

    /** Returns the notebook display, or empty outside a notebook. */
    public static Optional<Display> display() {
        return Optional.ofNullable(display);
    }

    /** Whether a notebook display is installed. */
    public static boolean active() {
        return display != null;
    }

    /**
     * Shows HTML in the notebook.
     *
     * @param html the HTML fragment
     * @return the display id
     * @throws IllegalStateException outside a notebook
     */
    public static String showHtml(String html) {
        Display d = display;
        if (d == null) {
            throw new IllegalStateException("no notebook display is installed: run this in the gold kernel, "
                    + "or write the figure to a file with Report.writeHtml(...)");
        }
        return d.show("text/html", html);
    }

    /**
     * Returns plotly.js the first time a chart is shown in this session, an empty string after:
     * the library is inlined once per kernel session, and later charts reuse it.
     */
    static String plotlyOnce() {
        if (plotlyShown) {
            return "";
        }
        plotlyShown = true;
        return Plotly.scriptTag();
    }
}
