package ai.goldkd.kernel;

import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.DisplayStream;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

import java.util.UUID;

/**
 * The kernel's display as the notebook's code reaches it: show a MIME bundle, and replace it later by
 * its display id. Only strings cross, so gold-lib calls it by name at run time and compiles without
 * the kernel (see gold-lib's {@code ai.goldkd.report.KernelDisplay}).
 */
public final class NotebookBridge {

    private NotebookBridge() {}

    /**
     * Shows content in the running cell's output.
     *
     * @param mime the MIME type: {@code text/html}, {@code application/javascript}, {@code image/png}
     *     (base64), {@code text/plain}, ...
     * @param content the content
     * @return the display id, for {@link #updateDisplay}
     */
    public static String display(String mime, String content) {
        String id = "gold-" + UUID.randomUUID();
        DisplayData data = bundle(mime, content);
        data.setDisplayId(id);
        stream().display(data);
        return id;
    }

    /**
     * Replaces what an earlier {@link #display} showed, wherever it is in the notebook.
     *
     * @param id the display id
     * @param mime the MIME type
     * @param content the new content
     */
    public static void updateDisplay(String id, String mime, String content) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("display id is empty; pass the id that display(...) returned");
        }
        stream().updateDisplay(id, bundle(mime, content));
    }

    private static DisplayData bundle(String mime, String content) {
        if (mime == null || mime.isBlank() || !mime.contains("/")) {
            throw new IllegalArgumentException("MIME type '" + mime + "' is not a type/subtype such as text/html");
        }
        DisplayData data = new DisplayData();
        data.putData(mime, content);
        return data;
    }

    private static DisplayStream stream() {
        DisplayStream stream = BaseKernel.notebookKernel().getIO().display;
        if (!stream.isAttached()) {
            throw new IllegalStateException(
                    "nothing can be displayed between cells: show or update a" + " display while a cell runs");
        }
        return stream;
    }
}
