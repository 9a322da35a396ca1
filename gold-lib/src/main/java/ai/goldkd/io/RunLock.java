package ai.goldkd.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a run directory, held while one process writes there: a second writer is
 * refused with the holder's pid instead of interleaving its rows with the first one's.
 *
 * <p>The lock is the operating system's ({@link FileChannel#tryLock()}) on {@value #FILE} in the
 * directory, so it goes away with the process however it ends (kill -9 included); the file itself
 * stays, holding the last holder's pid. It is not deleted on release: a process that opened it just
 * before could otherwise lock a deleted file while a third locks a new one.
 */
public final class RunLock implements AutoCloseable {

    /** The lock file's name in the run directory. */
    public static final String FILE = ".lock";

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks a run directory, creating it when missing.
     *
     * @param dir the directory
     * @return the lock; close it when the run is done
     * @throws IllegalStateException when another process (or this one) holds it
     * @throws IllegalArgumentException when the directory cannot be made or written
     */
    public static RunLock acquire(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is a file, not a directory; give a directory for --out");
        }
        Path file = dir.resolve(FILE);
        FileChannel channel;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (FileSystemException e) {
            throw new IllegalArgumentException(
                    "cannot write in " + dir + " (" + reason(e) + "); give a writable directory for --out");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + dir + ": " + e.getMessage(), e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new IllegalStateException(dir + " is being written by this process (pid "
                    + ProcessHandle.current().pid() + ") already; give another --out");
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            String holder = holder(channel);
            closeQuietly(channel);
            throw new IllegalStateException(dir + " is being written by another process (pid " + holder
                    + "); wait for it to finish or stop it, or give another --out");
        }
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new IllegalArgumentException(
                    "cannot write " + file + " (" + e.getMessage() + "); free some space or give another --out");
        }
        return new RunLock(dir, channel, lock);
    }

    /** The directory this lock holds. */
    public Path directory() {
        return dir;
    }

    /** The pid written in a directory's lock file, or "unknown" (the holder may be writing it now). */
    private static String holder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(64);
            int n = channel.read(buffer, 0);
            String text = n <= 0 ? "" : new String(buffer.array(), 0, n, StandardCharsets.UTF_8).trim();
            return text.isEmpty() ? "unknown" : text;
        } catch (IOException e) {
            return "unknown";
        }
    }

    static String reason(FileSystemException e) {
        if (e.getReason() != null) {
            return e.getReason();
        }
        if (e instanceof NoSuchFileException) {
            return e.getFile() + " does not exist and cannot be made";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied on " + e.getFile();
        }
        return e.getClass().getSimpleName() + " on " + e.getFile();
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the channel is being dropped after a failure that is reported instead
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release the lock on " + dir + ": " + e.getMessage(), e);
        }
    }
}
