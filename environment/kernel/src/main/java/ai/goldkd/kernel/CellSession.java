package ai.goldkd.kernel;

import ai.goldkd.kernel.CellFailure.CompileError;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One notebook's JShell: evaluates cells snippet by snippet, completes code, tells whether code is
 * complete, and stops a running cell.
 */
final class CellSession implements AutoCloseable {

    private final JShell shell;
    private final CellExecution execution;
    private final SourceCodeAnalysis analysis;
    private final CellErrors errors;

    private CellSession(JShell shell, CellExecution execution) {
        this.shell = shell;
        this.execution = execution;
        this.analysis = shell.sourceCodeAnalysis();
        this.errors = new CellErrors(shell);
    }

    /**
     * Starts JShell with the notebook class path and runs the start-up script.
     *
     * @param settings the class path and the start-up script
     * @return the session, ready for cells
     * @throws CellFailure when the start-up script fails
     */
    static CellSession open(KernelSettings settings) {
        CellClassLoader loader = new CellClassLoader(CellSession.class.getClassLoader());
        CellExecution.Provider engine = new CellExecution.Provider(loader);
        JShell.Builder builder = JShell.builder().executionEngine(engine, Map.of());
        if (!settings.classpath().isEmpty()) {
            String classpath =
                    settings.classpath().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
            // The compiler gets the class path when it is built, not through JShell.addToClasspath:
            // that one also starts JShell's background indexing of the new jars, which races the next
            // compilation (measured: 3 of 40 start-up scripts then failed with "package ... does not
            // exist" under load).
            builder.compilerOptions("--class-path", classpath);
            loader.addPaths(classpath);
        }
        JShell shell = builder.build();
        CellSession session = new CellSession(shell, engine.control());
        if (!settings.startupCode().isBlank()) {
            try {
                session.eval(settings.startupCode());
            } catch (CellFailure e) {
                session.close();
                throw new CellFailure.CellError(
                        "the kernel's start-up script " + settings.startup() + " failed: " + e.getMessage(),
                        e.traceback());
            }
        }
        return session;
    }

    /**
     * Evaluates a cell, snippet after snippet, and returns the value of the last one.
     *
     * @param code the cell's source
     * @return the last snippet's value, or null when it has none (a statement, a declaration, void)
     * @throws CellFailure when a snippet does not compile, throws, or is interrupted; later snippets
     *     of the cell do not run
     */
    Object eval(String code) {
        execution.beginCell();
        try {
            return evalCell(code);
        } finally {
            execution.endCell();
        }
    }

    private Object evalCell(String code) {
        Object value = null;
        String rest = code;
        int consumed = 0;
        CompletionInfo info = analysis.analyzeCompletion(rest);
        while (info.completeness().isComplete()) {
            String source = info.source();
            int start = consumed + blanks(rest);
            int end = consumed + rest.length() - info.remaining().length();
            // JShell numbers a snippet's lines from its own first line, which may hold blanks it kept.
            int lineOffset = lineOf(code, start) - lineOf(source, blanks(source));
            value = evalSnippet(source, lineOffset);
            if (code.substring(Math.min(start, end), end).strip().endsWith(";")) {
                value = null; // as in IPython, a closing semicolon keeps the value out of the output
            }
            consumed = end;
            rest = info.remaining();
            info = analysis.analyzeCompletion(rest);
        }
        if (info.completeness() != Completeness.EMPTY) {
            int line = lineOf(code, consumed + blanks(rest));
            throw new CompileError(
                    "line " + line + ": the cell ends inside an unfinished statement",
                    List.of(
                            "line " + line
                                    + ": the cell ends inside an unfinished statement (a missing ')', '}' or ';'?):",
                            "    " + rest.strip().lines().findFirst().orElse("")));
        }
        return value;
    }

    private Object evalSnippet(String source, int lineOffset) {
        List<SnippetEvent> events = shell.eval(source);
        Object value = null;
        CellFailure failure = null;
        for (SnippetEvent event : events) {
            if (event.causeSnippet() != null) {
                continue; // an effect on an earlier snippet (replaced, now resolved), not this one's outcome
            }
            Snippet snippet = event.snippet();
            Object result = snippet.subKind().isExecutable() ? execution.takeResult(event.value()) : null;
            if (event.exception() != null) {
                failure = errors.thrown(event.exception(), snippet, lineOffset);
            } else if (!event.status().isDefined()) {
                failure = errors.rejected(snippet, lineOffset);
            } else {
                value = showsValue(snippet.subKind()) ? result : null;
            }
        }
        if (failure != null) {
            throw failure;
        }
        return value;
    }

    private static boolean showsValue(Snippet.SubKind kind) {
        return kind == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND
                || kind == Snippet.SubKind.VAR_VALUE_SUBKIND
                || kind == Snippet.SubKind.OTHER_EXPRESSION_SUBKIND;
    }

    /** The number of blank characters a text starts with. */
    static int blanks(String text) {
        int i = 0;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The 1-based line of a character offset. */
    static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < Math.min(offset, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /**
     * Completes the code at the cursor.
     *
     * @param code the cell's source
     * @param cursor the cursor's offset
     * @return the candidates and the range they replace
     */
    Completion complete(String code, int cursor) {
        int[] anchor = new int[1];
        List<String> candidates = analysis.completionSuggestions(code, cursor, anchor).stream()
                .map(SourceCodeAnalysis.Suggestion::continuation)
                .distinct()
                .toList();
        return new Completion(candidates, anchor[0], cursor);
    }

    /** Completion candidates and the range [start, end) of the cell they replace. */
    record Completion(List<String> candidates, int start, int end) {}

    /**
     * Tells a front end whether Enter should run the code or open a new line.
     *
     * @param code the code typed so far
     * @return "complete", "invalid", or the indent of the next line when the code is unfinished
     */
    String isComplete(String code) {
        CompletionInfo info = analysis.analyzeCompletion(code);
        while (info.completeness().isComplete() && info.completeness() != Completeness.UNKNOWN) {
            info = analysis.analyzeCompletion(info.remaining());
        }
        return switch (info.completeness()) {
            case COMPLETE, COMPLETE_WITH_SEMI, EMPTY -> "complete";
            case UNKNOWN -> "invalid";
            case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE -> nextIndent(info.remaining());
        };
    }

    private static String nextIndent(String code) {
        String last = code.isEmpty() ? "" : code.lines().reduce((a, b) -> b).orElse("");
        String indent = last.substring(0, last.length() - last.stripLeading().length());
        String end = last.strip();
        return end.endsWith("{") || end.endsWith("(") ? indent + "    " : indent;
    }

    /**
     * Returns the signatures and Javadoc of what the cursor is on.
     *
     * @param code the cell's source
     * @param cursor the cursor's offset
     * @return one text per match, empty when nothing is known
     */
    List<String> documentation(String code, int cursor) {
        return analysis.documentation(code, cursor, true).stream()
                .map(d -> d.javadoc() == null ? d.signature() : d.signature() + "\n" + d.javadoc())
                .toList();
    }

    /** Interrupts the running cell, if any. */
    void interrupt() {
        execution.interrupt();
    }

    @Override
    public void close() {
        shell.close();
    }
}
