package ai.goldkd.cli;

import ai.goldkd.data.DataFileException;
import com.google.gson.JsonParseException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Turns what a command threw into the one line {@code gold: ...} the user reads: the cause and the
 * fix, not a stack trace (which {@code --debug} or {@code GOLD_DEBUG=1} adds).
 */
final class Errors {

    private Errors() {}

    /**
     * The exit status for an exception: 2 for a command line that cannot run as given, 1 otherwise.
     *
     * @param e what was thrown
     * @return the status
     */
    static int status(Throwable e) {
        return e instanceof UsageException ? 2 : 1;
    }

    /**
     * One line saying what went wrong and what to do.
     *
     * @param e what was thrown
     * @return the line, without the {@code gold: } prefix
     */
    static String describe(Throwable e) {
        if ((e instanceof UsageException
                        || e instanceof IllegalArgumentException
                        || e instanceof IllegalStateException
                        || e instanceof DataFileException)
                && e.getMessage() != null) {
            return oneLine(e.getMessage()); // our own checks: the message already names the value and the fix
        }
        JsonParseException json = find(e, JsonParseException.class);
        if (json != null) {
            return oneLine("malformed JSON (" + json.getMessage() + "); fix the file: a missing quote, comma or brace");
        }
        IOException io = rootIo(e);
        if (io != null) {
            return ioLine(e instanceof UncheckedIOException ? e.getMessage() : null, io);
        }
        if (e instanceof OutOfMemoryError) {
            return "out of memory; give Java more with JAVA_TOOL_OPTIONS=-Xmx8g, or use a smaller batch or budget";
        }
        return "internal error: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + oneLine(e.getMessage()))
                + " (rerun with --debug or GOLD_DEBUG=1 for the stack trace)";
    }

    private static String ioLine(String context, IOException io) {
        String file = io instanceof FileSystemException f && f.getFile() != null ? f.getFile() : null;
        String reason = io instanceof FileSystemException f && f.getReason() != null ? f.getReason() : io.getMessage();
        String what;
        if (reason != null && reason.contains("No space left")) {
            what = "the disk is full" + (file == null ? "" : " (writing " + file + ")")
                    + "; free some space, then continue the run with --resume";
        } else if (reason != null && reason.contains("Read-only file system")) {
            what = (file == null ? "" : file + " is on a ") + "read-only file system; give a writable --out";
        } else if (io instanceof AccessDeniedException) {
            what = "permission denied" + (file == null ? "" : " on " + file) + "; give a path you may write";
        } else if (io instanceof NoSuchFileException) {
            what = "no such file or directory" + (file == null ? "" : ": " + file) + "; check the path";
        } else if (io instanceof NotDirectoryException || (reason != null && reason.contains("Not a directory"))) {
            what = (file == null ? "a path" : file) + " is not a directory; give a directory";
        } else {
            what = io.getClass().getSimpleName() + (reason == null ? "" : ": " + reason);
        }
        if (context == null) {
            return oneLine(what);
        }
        // UncheckedIOException messages here end with the cause's own text; say it once
        String head = context;
        for (String tail : new String[] {io.getMessage(), reason}) {
            if (tail != null && head.endsWith(": " + tail)) {
                head = head.substring(0, head.length() - tail.length() - 2);
            }
        }
        return oneLine(head + ": " + what);
    }

    private static IOException rootIo(Throwable e) {
        IOException found = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException io) {
                found = io;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return found;
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /** Messages that carry a usage text keep it; others become one line. */
    private static String oneLine(String message) {
        return message.contains("\nusage:") || message.contains("\n  ") ? message : message.replace('\n', ' ');
    }
}
