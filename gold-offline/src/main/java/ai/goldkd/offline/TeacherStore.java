package ai.goldkd.offline;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Built teachers on disk: a model lives in {@code ROOT/NAME-HASH/} where HASH is its recipe's
 * {@link TeacherRecipe#hash()}, as {@code model.bin} (binary tables) beside {@code recipe.json}.
 * {@link #obtain} loads the model when that directory exists and builds it otherwise, writing into a
 * temporary directory that is renamed into place, so a killed build never leaves half a model.
 */
public final class TeacherStore {

    /** The model file in a teacher directory. */
    public static final String MODEL_FILE = "model.bin";
    /** The recipe file in a teacher directory. */
    public static final String RECIPE_FILE = "recipe.json";

    private TeacherStore() {}

    /**
     * Labelled training texts.
     *
     * @param texts the texts
     * @param labels each text's label
     * @param labelNames the label names, in order
     */
    public record Corpus(List<String> texts, List<String> labels, List<String> labelNames) {}

    /**
     * A model and where it came from.
     *
     * @param model the model
     * @param dir its directory
     * @param built true when this call built it, false when it was loaded
     * @param seconds how long building or loading took
     */
    public record Obtained(TopicNgramModel model, Path dir, boolean built, double seconds) {}

    /**
     * The directory of a recipe's model.
     *
     * @param root the teachers directory
     * @param name the teacher's name, such as {@code imdb}
     * @param recipe the recipe
     * @return {@code root/name-hash}
     */
    public static Path dir(Path root, String name, TeacherRecipe recipe) {
        return root.resolve(name + "-" + recipe.hash());
    }

    /**
     * Loads a built model, or builds and saves it.
     *
     * @param root the teachers directory
     * @param name the teacher's name
     * @param recipe the recipe
     * @param corpus the training data, read only when a build is needed
     * @return the model
     */
    public static Obtained obtain(Path root, String name, TeacherRecipe recipe, Supplier<Corpus> corpus) {
        long started = System.nanoTime();
        Path dir = dir(root, name, recipe);
        if (Files.isRegularFile(dir.resolve(MODEL_FILE))) {
            TopicNgramModel model = TopicNgramModel.load(dir.resolve(MODEL_FILE), recipe);
            return new Obtained(model, dir, false, (System.nanoTime() - started) / 1e9);
        }
        Corpus data = corpus.get();
        TopicNgramModel model = TopicNgramModel.build(data.texts(), data.labels(), data.labelNames(), recipe);
        double seconds = (System.nanoTime() - started) / 1e9;
        install(root, dir, tmp -> {
            model.save(tmp.resolve(MODEL_FILE));
            Files.writeString(
                    tmp.resolve(RECIPE_FILE), recipeJson(recipe, data, model, seconds), StandardCharsets.UTF_8);
        });
        return new Obtained(model, dir, true, seconds);
    }

    /**
     * A transformer teacher and where it came from.
     *
     * @param teacher the teacher; close it to free the model
     * @param dir its directory
     * @param built true when this call built it, false when it was loaded
     * @param seconds how long building (and loading) or loading took
     */
    public record ObtainedTransformer(TransformerTeacher teacher, Path dir, boolean built, double seconds) {}

    /**
     * Loads a built transformer teacher from {@code root/name-HASH}, or trains and saves it.
     *
     * @param root the teachers directory
     * @param name the teacher's name, such as {@code imdb-transformer}
     * @param recipe the recipe
     * @param corpus the training data, read only when a build is needed
     * @param log progress lines of a build
     * @return the teacher
     */
    public static ObtainedTransformer obtain(
            Path root, String name, TransformerRecipe recipe, Supplier<Corpus> corpus, Consumer<String> log) {
        long started = System.nanoTime();
        Path dir = root.resolve(name + "-" + recipe.hash());
        boolean built = false;
        if (!Files.isRegularFile(dir.resolve(TransformerTeacher.META_FILE))) {
            Corpus data = corpus.get();
            install(root, dir, tmp -> TransformerTeacher.build(data, recipe, tmp, log));
            built = true;
        }
        TransformerTeacher teacher = TransformerTeacher.load(dir);
        if (!teacher.recipe().equals(recipe)) {
            teacher.close();
            throw new IllegalStateException(dir + " holds a teacher of another recipe ("
                    + teacher.recipe().canonical()
                    + "); delete it and build again with `gold teacher build imdb-transformer`");
        }
        return new ObtainedTransformer(teacher, dir, built, (System.nanoTime() - started) / 1e9);
    }

    /** Writes a teacher's files into a directory. */
    interface Writer {
        /**
         * Writes the files.
         *
         * @param dir an empty directory
         * @throws IOException when a file cannot be written
         */
        void write(Path dir) throws IOException;
    }

    /**
     * Writes a teacher into a temporary directory beside {@code dir} and renames it into place, so a
     * killed build never leaves half a teacher. When another process installed the same directory first,
     * its copy stays (same recipe, same teacher).
     *
     * @param root the teachers directory
     * @param dir the teacher's directory under it
     * @param writer writes the files
     * @throws UncheckedIOException when nothing could be installed
     */
    static void install(Path root, Path dir, Writer writer) {
        Path tmp = root.resolve(
                dir.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            Files.createDirectories(tmp);
            writer.write(tmp);
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir);
            }
        } catch (FileAlreadyExistsException e) {
            deleteQuietly(tmp); // another process finished the same recipe first: same model
        } catch (IOException e) {
            deleteQuietly(tmp);
            if (Files.isDirectory(dir)) {
                return;
            }
            throw new UncheckedIOException(
                    "cannot save the teacher into " + dir + "; check that " + root
                            + " is writable (it is $GOLD_HOME/teachers)",
                    e);
        } catch (RuntimeException e) {
            deleteQuietly(tmp); // a failed build leaves nothing behind
            throw e;
        }
    }

    private static String recipeJson(TeacherRecipe recipe, Corpus data, TopicNgramModel model, double seconds) {
        JsonObject o = new JsonObject();
        o.addProperty("version", TeacherRecipe.VERSION);
        o.addProperty("hash", recipe.hash());
        o.addProperty("canonical", recipe.canonical());
        o.add("recipe", new GsonBuilder().create().toJsonTree(recipe));
        o.addProperty("trainingTexts", data.texts().size());
        o.addProperty("vocabulary", model.vocabulary().size());
        o.addProperty("storedContinuations", model.entries());
        o.addProperty("buildSeconds", Math.round(seconds * 10) / 10.0);
        return new GsonBuilder()
                        .setPrettyPrinting()
                        .disableHtmlEscaping()
                        .create()
                        .toJson(o) + "\n";
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is harmless: its name never matches a model directory
        }
    }
}
