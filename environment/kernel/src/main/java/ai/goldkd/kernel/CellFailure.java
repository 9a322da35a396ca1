package ai.goldkd.kernel;

import java.util.List;

/**
 * A cell that did not run to its end, with the lines the notebook shows for it. Jupyter names the
 * error after the class ({@code CompileError}, {@code CellError}, {@code Interrupted}), and its
 * message is the first thing a reader sees.
 */
class CellFailure extends RuntimeException {

    private final List<String> traceback;

    CellFailure(String message, List<String> traceback) {
        super(message, null, false, false);
        this.traceback = List.copyOf(traceback);
    }

    /** The lines shown under the error, already formatted. */
    List<String> traceback() {
        return traceback;
    }

    /** The cell did not compile, or ended in the middle of a statement. */
    static final class CompileError extends CellFailure {
        CompileError(String message, List<String> traceback) {
            super(message, traceback);
        }
    }

    /** The cell threw. */
    static final class CellError extends CellFailure {
        CellError(String message, List<String> traceback) {
            super(message, traceback);
        }
    }

    /** The cell was interrupted. */
    static final class Interrupted extends CellFailure {
        Interrupted(String message, List<String> traceback) {
            super(message, traceback);
        }
    }
}
