package ai.goldkd.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Opens a run's output directory for writing: locks it, refuses to write over an earlier run unless
 * told to resume or overwrite it, and removes the {@code .tmp} files a killed or out-of-space write
 * left behind (every file a run writes goes to a temporary name first and is renamed when whole).
 */
public final class OutputDirectory {

    /** The file whose presence marks a directory as a run's, so that an overwrite deletes only runs. */
    public static final String MARKER = "metrics.csv";

    private OutputDirectory() {}

    /**
     * Locks a directory and checks it against the mode.
     *
     * @param dir the output directory
     * @param mode what may happen to files already there
     * @return the lock, held until closed
     * @throws IllegalArgumentException when the directory holds a run and the mode is {@link OutputMode#NEW},
     *     or holds something that is not a run and the mode is {@link OutputMode#OVERWRITE}
     */
    public static RunLock open(Path dir, OutputMode mode) {
        RunLock lock = RunLock.acquire(dir);
        try {
            List<Path> entries = entries(dir);
            switch (mode) {
                case NEW -> {
                    if (!entries.isEmpty()) {
                        throw new IllegalArgumentException(
                                dir + " is not empty (it holds " + names(entries)
                                        + "); continue that run with --resume, replace it with --overwrite, or give another --out");
                    }
                }
                case OVERWRITE -> {
                    if (!entries.isEmpty() && !Files.exists(dir.resolve(MARKER))) {
                        throw new IllegalArgumentException(
                                dir + " holds " + names(entries) + " but no " + MARKER
                                        + ", so it is not a run directory and --overwrite will not delete it; give another --out");
                    }
                    for (Path entry : entries) {
                        delete(entry);
                    }
                }
                case RESUME -> removeTemporaries(dir);
                default -> throw new IllegalStateException("unhandled mode " + mode);
            }
            return lock;
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Whether a directory is absent or holds nothing but a lock file.
     *
     * @param dir the directory
     * @return true when no run has written there
     */
    public static boolean isEmpty(Path dir) {
        return !Files.isDirectory(dir) || entries(dir).isEmpty();
    }

    /**
     * Deletes every file named {@code *.tmp} under a directory: the remains of writes cut off by a kill or
     * a full disk, which no finished file refers to. Call it only while holding the directory's lock.
     *
     * @param dir the run directory
     * @return how many files were deleted
     */
    public static int removeTemporaries(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> temporaries = files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".tmp"))
                    .toList();
            for (Path p : temporaries) {
                Files.delete(p);
            }
            return temporaries.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean the temporary files in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> entries(Path dir) {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> !p.getFileName().toString().equals(RunLock.FILE))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String names(List<Path> entries) {
        List<String> names = new ArrayList<>();
        for (Path p : entries.subList(0, Math.min(4, entries.size()))) {
            names.add(p.getFileName() + (Files.isDirectory(p) ? "/" : ""));
        }
        return String.join(", ", names) + (entries.size() > 4 ? ", ..." : "");
    }

    private static void delete(Path entry) {
        try (Stream<Path> files = Files.walk(entry)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + entry + " for --overwrite: " + e.getMessage(), e);
        }
    }
}
