package ai.goldkd.report;

import java.util.function.BiFunction;

/**
 * Where rich output goes: a notebook front end that renders MIME bundles, or nothing at all.
 * The notebook kernel installs one through {@link Notebook#install(Display)}.
 */
public interface Display {

    /**
     * Shows content and returns an id by which it can be replaced in place.
     *
     * @param mime the MIME type, such as {@code text/html}
     * @param content the content in that type
     * @return the display id
     */
    String show(String mime, String content);

    /**
     * Replaces content shown earlier.
     *
     * @param id the id that {@link #show} returned
     * @param mime the MIME type
     * @param content the new content
     */
    void update(String id, String mime, String content);

    /** The update half of a display, as a function. */
    @FunctionalInterface
    interface Updater {
        /**
         * Replaces content shown earlier.
         *
         * @param id the display id
         * @param mime the MIME type
         * @param content the new content
         */
        void update(String id, String mime, String content);
    }

    /**
     * Builds a display from two functions, as the kernel's start-up script does with its
     * {@code display} and {@code updateDisplay}.
     *
     * @param show shows (mime, content) and returns the display id
     * @param update replaces the content of a display id
     * @return the display
     */
    static Display of(BiFunction<String, String, String> show, Updater update) {
        return new Display() {
            @Override
            public String show(String mime, String content) {
                return show.apply(mime, content);
            }

            @Override
            public void update(String id, String mime, String content) {
                update.update(id, mime, content);
            }
        };
    }
}
