package ai.goldkd.data;

import ai.goldkd.data.arithmetic.ArithmeticData;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The task files of a {@code datasets/} directory and the real data they point to. {@link #locate()}
 * finds the checkout's directory; {@link #examples(Task, Split)} reads a task's split.
 *
 * @param dir the directory holding the task files ({@code *.json}) and the project's data files
 */
public record TaskCatalog(Path dir) {

    /** The environment variable (or system property {@code gold.datasets}) that names the directory. */
    public static final String ENV = "GOLD_DATASETS";

    /** Checks the directory. */
    public TaskCatalog {
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("datasets directory " + dir + " does not exist; point " + ENV
                    + " at the checkout's datasets/ directory");
        }
    }

    /**
     * Finds the checkout's {@code datasets/} directory: {@code -Dgold.datasets}, then {@code $GOLD_DATASETS},
     * then the first directory above the working directory or above this library's jar that holds both
     * {@code datasets/} and {@code gold-lib/}.
     *
     * @return the catalog
     */
    public static TaskCatalog locate() {
        String explicit = System.getProperty("gold.datasets", System.getenv(ENV));
        if (explicit != null && !explicit.isBlank()) {
            return new TaskCatalog(Path.of(explicit));
        }
        List<Path> starts = new ArrayList<>();
        starts.add(Path.of("").toAbsolutePath());
        try {
            starts.add(Path.of(TaskCatalog.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI()));
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // No code location (an unusual class loader): the working directory must do.
        }
        for (Path start : starts) {
            for (Path p = start; p != null; p = p.getParent()) {
                if (Files.isDirectory(p.resolve("datasets")) && Files.isDirectory(p.resolve("gold-lib"))) {
                    return new TaskCatalog(p.resolve("datasets"));
                }
            }
        }
        throw new IllegalStateException("no datasets/ directory found above " + starts + "; run from the"
                + " checkout or set " + ENV + " to its datasets directory");
    }

    /**
     * The task files in the directory, sorted by name, unread (so that one bad file does not hide the others).
     *
     * @return the files
     */
    public List<Path> taskFiles() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /**
     * Reads every task file in the directory, sorted by name.
     *
     * @return the tasks
     */
    public List<Task> tasks() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json"))
                    .sorted()
                    .map(TaskFiles::read)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /**
     * Reads one task.
     *
     * @param name its name, such as {@code imdb-sentiment}
     * @return the task
     * @throws IllegalArgumentException listing the tasks there are, when it is absent
     */
    public Task task(String name) {
        Path file = dir.resolve(name + ".json");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no task '" + name + "' in " + dir + "; the tasks are "
                    + tasks().stream().map(Task::name).toList());
        }
        Task task = TaskFiles.read(file);
        if (!task.name().equals(name)) {
            throw new DataFileException(file + " names its task '" + task.name() + "'; rename the file to "
                    + task.name() + ".json or fix \"name\"");
        }
        return task;
    }

    /**
     * Reads a task's real data.
     *
     * @param task the task
     * @param split train or test
     * @return the examples, with the task's fields and maybe more (id, family)
     */
    public List<Example> examples(Task task, Split split) {
        if (task.dataset().equals("imdb")) {
            return ImdbReviews.load().split(split);
        }
        return checked(task, dir.resolve(task.dataset().replace("{split}", split.label())));
    }

    /**
     * Reads a task's JSONL file and checks every row before any run uses it: the task's fields present
     * and, for classification, the label one of the task's labels; an empty file is refused.
     */
    private static List<Example> checked(Task task, Path file) {
        List<Jsonl.Numbered> rows = Jsonl.readNumbered(file);
        if (rows.isEmpty()) {
            throw new DataFileException(file + " holds no samples; give one JSON object a line, or point the task's"
                    + " dataset at the right file");
        }
        String target = task.target().name();
        for (Jsonl.Numbered row : rows) {
            for (TaskField f : task.fields()) {
                if (!row.example().has(f.name())) {
                    throw new DataFileException(file + " line " + row.line() + ": field '" + f.name() + "' is missing;"
                            + " every sample of task " + task.name() + " needs "
                            + task.fields().stream().map(TaskField::name).toList());
                }
            }
            if (task.kind() == TaskKind.CLASSIFICATION
                    && !task.labelNames().contains(row.example().get(target))) {
                throw new DataFileException(file + " line " + row.line() + ": field '" + target + "' is '"
                        + row.example().get(target) + "', not one of " + task.labelNames() + "; fix the label or add"
                        + " it to the task's labels");
            }
        }
        return rows.stream().map(Jsonl.Numbered::example).toList();
    }

    /**
     * Reads both splits of a task's real data, loading the source once.
     *
     * @param task the task
     * @return train and test examples
     */
    public Map<Split, List<Example>> splits(Task task) {
        Map<Split, List<Example>> splits = new EnumMap<>(Split.class);
        if (task.dataset().equals("imdb")) {
            ImdbReviews reviews = ImdbReviews.load();
            for (Split split : Split.values()) {
                splits.put(split, reviews.split(split));
            }
        } else {
            for (Split split : Split.values()) {
                splits.put(split, examples(task, split));
            }
        }
        return splits;
    }

    /** The directory of the project's arithmetic files. */
    public Path arithmeticDir() {
        return dir.resolve(ArithmeticData.DIR);
    }
}
