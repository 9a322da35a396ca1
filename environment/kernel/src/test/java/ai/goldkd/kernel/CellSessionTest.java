package ai.goldkd.kernel;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cells as the kernel evaluates them, without Jupyter: values, errors, interrupts, completion. */
class CellSessionTest {

    private static CellSession session;

    @BeforeAll
    static void open() {
        session = CellSession.open(KernelSettings.defaults());
    }

    @AfterAll
    static void close() {
        session.close();
    }

    @Test
    void theLastExpressionIsTheCellsValueAsAnObject() {
        assertEquals("answered 42", session.eval("\"answered \" + (6 * 7)"));
        assertEquals(List.of(1, 2), session.eval("int a = 1;\nint b = 2;\njava.util.List.of(a, b)"));
        assertNull(session.eval("int c = 3;"), "a declaration has no value to show");
        assertNull(session.eval("c * 2;"), "a closing semicolon keeps the value out of the output");
        assertEquals(6, session.eval("c * 2"));
    }

    @Test
    void aCompileErrorNamesTheCellLineAndPointsAtTheCode() {
        CellFailure e = assertThrows(
                CellFailure.CompileError.class, () -> session.eval("int ok = 1;\nint y = missingName + 1;"));
        assertEquals("line 2: cannot find symbol (symbol: variable missingName)", e.getMessage());
        assertEquals(
                List.of("    int y = missingName + 1;", "            ^"),
                e.traceback().subList(e.traceback().size() - 2, e.traceback().size()));
    }

    @Test
    void anUnfinishedCellIsACompileErrorNotASilentNoOp() {
        CellFailure e = assertThrows(
                CellFailure.CompileError.class, () -> session.eval("int z = 1;\nfor (int i = 0; i < 2; i++) {"));
        assertTrue(e.getMessage().startsWith("line 2: the cell ends inside an unfinished statement"), e.getMessage());
    }

    @Test
    void aThrownExceptionReadsAsCellLinesWithoutTheKernelsFrames() {
        CellFailure e = assertThrows(
                CellFailure.CellError.class,
                () -> session.eval(
                        "void boom(String why) { throw new IllegalStateException(why, new ArithmeticException(\"root\")); }\n"
                                + "\n"
                                + "boom(\"bad value\");"));
        assertEquals("java.lang.IllegalStateException: bad value", e.getMessage());
        List<String> trace = e.traceback();
        assertEquals("\tat boom (declared in a cell: line 1 of the declaration)", trace.get(1));
        assertEquals("\tat cell line 3", trace.get(2));
        assertTrue(trace.contains("Caused by: java.lang.ArithmeticException: root"), trace.toString());
        assertTrue(
                trace.stream().noneMatch(l -> l.contains("ai.goldkd.kernel") || l.contains("reflect")),
                trace.toString());
    }

    @Test
    void aNullPointerMessageNamesTheCellsVariableNotJShellsWrapper() {
        CellFailure e = assertThrows(
                CellFailure.CellError.class, () -> session.eval("String nothing = null;\nnothing.length()"));
        assertTrue(e.getMessage().contains("because \"nothing\" is null"), e.getMessage());
    }

    @Test
    void anInterruptStopsABusyLoopAndTheSessionGoesOn() throws Exception {
        CompletableFuture<Object> cell =
                CompletableFuture.supplyAsync(() -> session.eval("long n = 0;\nwhile (true) { n++; }"));
        Thread.sleep(500);
        long started = System.nanoTime();
        session.interrupt();
        Throwable failure = assertThrows(Exception.class, () -> cell.get(20, TimeUnit.SECONDS))
                .getCause();
        double seconds = (System.nanoTime() - started) / 1e9;
        assertInstanceOf(CellFailure.Interrupted.class, failure);
        assertTrue(seconds < CellExecution.STOP_GRACE_MILLIS / 1000.0 + 5, "took " + seconds + " s");
        assertEquals(4, session.eval("2 + 2"));
    }

    @Test
    void anInterruptEndsASleepAtOnce() throws Exception {
        CompletableFuture<Object> cell = CompletableFuture.supplyAsync(() -> session.eval("Thread.sleep(60_000);"));
        Thread.sleep(500);
        long started = System.nanoTime();
        session.interrupt();
        Throwable failure = assertThrows(Exception.class, () -> cell.get(20, TimeUnit.SECONDS))
                .getCause();
        assertInstanceOf(CellFailure.Interrupted.class, failure);
        assertTrue(
                (System.nanoTime() - started) / 1e9 < CellExecution.STOP_GRACE_MILLIS / 1000.0,
                "a sleep ends on interrupt");
    }

    @Test
    void cellsRunOnOneThreadFromCellToCell() {
        Object first = session.eval("Thread.currentThread()");
        Object second = session.eval("Thread.currentThread()");
        assertSame(first, second);
    }

    @Test
    void theKernelsLibrariesAreHiddenFromCellsButTheBridgeIsNot() {
        CellFailure e =
                assertThrows(CellFailure.CellError.class, () -> session.eval("Class.forName(\"org.zeromq.ZMQ\")"));
        assertTrue(e.getMessage().startsWith("java.lang.ClassNotFoundException"), e.getMessage());
        assertSame(NotebookBridge.class, session.eval("Class.forName(\"ai.goldkd.kernel.NotebookBridge\")"));
    }

    @Test
    void isCompleteAsksForMoreInsideABlockAndIndents() {
        assertEquals("complete", session.isComplete("int q = 1;"));
        assertEquals("    ", session.isComplete("for (int i = 0; i < 3; i++) {"));
        assertEquals("invalid", session.isComplete("int = ;"));
    }

    @Test
    void completionOffersMembers() {
        String code = "String word = \"x\";\nword.len";
        CellSession.Completion completion = session.complete(code, code.length());
        assertTrue(
                completion.candidates().contains("length()"),
                completion.candidates().toString());
        assertEquals(code.length() - "len".length(), completion.start());
    }

    @Test
    void aFailingStartupScriptSaysSoAndWhy(@TempDir Path dir) throws Exception {
        Path script = Files.writeString(dir.resolve("init.jshell"), "import java.util.*;\nimport no.such.pkg.Thing;\n");
        CellFailure e = assertThrows(
                CellFailure.class,
                () -> CellSession.open(KernelSettings.defaults().withStartup(script)));
        assertTrue(
                e.getMessage().startsWith("the kernel's start-up script " + script + " failed: line 2:"),
                e.getMessage());
    }

    @Test
    void aMissingClasspathEntryIsRefusedWithTheFix(@TempDir Path dir) {
        Path gone = dir.resolve("gold-lib.jar");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> KernelSettings.fromEnvironment(java.util.Map.of(KernelSettings.CLASSPATH_ENV, gone.toString())));
        assertTrue(
                e.getMessage().contains(gone + ", which does not exist")
                        && e.getMessage().contains("gold setup"),
                e.getMessage());
    }
}
