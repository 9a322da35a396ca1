package ai.goldkd.report;

import ai.goldkd.config.GoldHome;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * plotly.js 2.x, read from the npm cache that {@code gold setup} fills, so charts need no network.
 */
public final class Plotly {

    /** Where the bundle lies under the npm cache. */
    public static final String BUNDLE = "plotly.js-dist-min/plotly.min.js";

    private static volatile String script;

    private Plotly() {}

    /** The path of the plotly.js bundle in the cache. */
    public static Path bundle() {
        return GoldHome.npmFile(BUNDLE);
    }

    /**
     * Returns a {@code <script>} element that defines {@code window.Plotly} from the inlined bundle.
     *
     * <p>The bundle is a UMD module: under the classic Notebook's require.js it would register itself
     * as an AMD module and leave {@code window.Plotly} undefined. Shadowing {@code define},
     * {@code module} and {@code exports} makes it take its browser-global branch everywhere.
     */
    public static String scriptTag() {
        String s = script;
        if (s == null) {
            Path path = bundle();
            if (!Files.isRegularFile(path)) {
                throw new IllegalStateException("plotly.js is not in the cache at " + path
                        + "; run `environment/gold setup` (it installs plotly.js-dist-min@2 from npm)");
            }
            try {
                String js = Files.readString(path, StandardCharsets.UTF_8);
                s = "<script type=\"text/javascript\">(function(define, module, exports){\n"
                        + js.replace("</script", "<\\/script")
                        + "\n}).call(window, undefined, undefined, undefined);</script>";
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + path, e);
            }
            script = s;
        }
        return s;
    }
}
