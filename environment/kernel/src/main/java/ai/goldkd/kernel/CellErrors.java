package ai.goldkd.kernel;

import ai.goldkd.kernel.CellFailure.CellError;
import ai.goldkd.kernel.CellFailure.CompileError;
import ai.goldkd.kernel.CellFailure.Interrupted;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.UnresolvedReferenceException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Turns what JShell reports for a failed snippet into what a reader needs: the cell's line, the
 * message, the code with a caret under the error, and a stack trace in which the cell's own frames
 * read "at cell line N" and the kernel's frames do not appear.
 */
final class CellErrors {

    /** Frames past the cell's own: the reflection and worker machinery that ran it. */
    private static final List<String> MACHINERY = List.of(
            "ai.goldkd.kernel.",
            "jdk.internal.reflect.",
            "java.lang.reflect.Method.",
            "java.util.concurrent.",
            "java.lang.Thread.",
            "jdk.jshell.");

    private static final int MAX_FRAMES = 40;

    private final JShell shell;

    CellErrors(JShell shell) {
        this.shell = shell;
    }

    /**
     * A snippet that did not compile, or was declared but cannot be used yet.
     *
     * @param lineOffset what turns a line of the snippet into a line of the cell
     */
    CellFailure rejected(Snippet snippet, int lineOffset) {
        int firstLine = firstLine(snippet, lineOffset);
        List<String> lines = new ArrayList<>();
        String first = null;
        for (Diag diag : shell.diagnostics(snippet).toList()) {
            if (!diag.isError()) {
                continue;
            }
            String source = snippet.source();
            int at = (int) Math.max(0, diag.getStartPosition() >= 0 ? diag.getStartPosition() : diag.getPosition());
            int line = lineOffset + CellSession.lineOf(source, at);
            List<String> message = diag.getMessage(Locale.ROOT)
                    .lines()
                    .filter(l -> !l.strip().startsWith("location:"))
                    .toList();
            String head = "line " + line + ": " + (message.isEmpty() ? "error" : message.get(0));
            if (message.size() > 1 && message.get(1).strip().startsWith("symbol:")) {
                head += " (" + message.get(1).strip().replaceAll("\\s+", " ") + ")";
            }
            if (first == null) {
                first = head;
            }
            lines.add(head);
            message.stream().skip(1).forEach(l -> lines.add("  " + l.strip()));
            int lineStart = source.lastIndexOf('\n', Math.max(0, at - 1)) + 1;
            if (at > 0 && source.charAt(at - 1) == '\n') {
                lineStart = at;
            }
            int lineEnd = source.indexOf('\n', at);
            String code = source.substring(lineStart, lineEnd < 0 ? source.length() : lineEnd);
            lines.add("    " + code);
            lines.add("    " + " ".repeat(Math.max(0, at - lineStart)) + "^");
        }
        if (first == null && snippet instanceof DeclarationSnippet declaration) {
            String missing = shell.unresolvedDependencies(declaration).collect(Collectors.joining(", "));
            first = "line " + firstLine + ": " + declaration.name() + " cannot be used until "
                    + (missing.isEmpty() ? "what it refers to is" : missing + " is") + " defined";
            lines.add(first);
        }
        if (first == null) {
            first = "line " + firstLine + ": JShell rejected this snippet (" + shell.status(snippet) + ")";
            lines.add(first);
        }
        return new CompileError(first, lines);
    }

    /**
     * A snippet that threw, or was interrupted.
     *
     * @param lineOffset what turns a line of the snippet into a line of the cell
     */
    CellFailure thrown(JShellException exception, Snippet snippet, int lineOffset) {
        int firstLine = firstLine(snippet, lineOffset);
        if (exception instanceof EvalException e && CellExecution.INTERRUPTED.equals(e.getExceptionClassName())) {
            String message = "the cell was interrupted (in the snippet at line " + firstLine + ")";
            return new Interrupted(message, List.of(message));
        }
        if (exception instanceof UnresolvedReferenceException e) {
            DeclarationSnippet declaration = e.getSnippet();
            String missing = shell.unresolvedDependencies(declaration).collect(Collectors.joining(", "));
            String message =
                    "line " + firstLine + ": " + declaration.name() + " cannot run until " + missing + " is defined";
            return new CellError(message, List.of(message));
        }
        List<String> lines = new ArrayList<>();
        String head = describe(exception);
        lines.add(head);
        frames(exception, snippet, lineOffset, lines);
        Throwable cause = exception.getCause();
        while (cause != null) {
            lines.add("Caused by: " + describe(cause));
            frames(cause, snippet, lineOffset, lines);
            cause = cause.getCause();
        }
        return new CellError(head, lines);
    }

    private static String describe(Throwable t) {
        String name = t instanceof EvalException e
                ? e.getExceptionClassName()
                : t.getClass().getName();
        // JShell keeps a cell's variables in wrapper classes; a reader knows them by their own names.
        return t.getMessage() == null
                ? name
                : name + ": " + t.getMessage().replaceAll("REPL\\.\\$JShell\\$\\w+\\.", "");
    }

    private static int firstLine(Snippet snippet, int lineOffset) {
        return lineOffset + CellSession.lineOf(snippet.source(), CellSession.blanks(snippet.source()));
    }

    private void frames(Throwable t, Snippet snippet, int lineOffset, List<String> lines) {
        StackTraceElement[] trace = t.getStackTrace();
        int end = trace.length;
        while (end > 0 && isMachinery(trace[end - 1])) {
            end--;
        }
        for (int i = 0; i < end; i++) {
            if (i == MAX_FRAMES) {
                lines.add("\t... " + (end - i) + " more");
                break;
            }
            lines.add("\tat " + frame(trace[i], snippet, lineOffset));
        }
    }

    private static boolean isMachinery(StackTraceElement frame) {
        String where = frame.getClassName() + "." + frame.getMethodName();
        return MACHINERY.stream().anyMatch(where::startsWith);
    }

    /** JShell names a snippet's frames after the snippet id ("#12"); show them as lines of a cell. */
    private String frame(StackTraceElement frame, Snippet snippet, int lineOffset) {
        String file = frame.getFileName();
        if (file == null || !file.startsWith("#")) {
            return frame.toString();
        }
        String id = file.substring(1);
        int line = frame.getLineNumber();
        if (id.equals(snippet.id())) {
            // Frames count from the snippet's first line with code; diagnostics from its first character.
            return "cell line " + (firstLine(snippet, lineOffset) + line - 1);
        }
        String name = shell.snippets()
                .filter(s -> s.id().equals(id))
                .findFirst()
                .map(s -> s instanceof DeclarationSnippet d ? d.name() : "snippet " + id)
                .orElse("snippet " + id);
        return name + " (declared in a cell: line " + line + " of the declaration)";
    }
}
