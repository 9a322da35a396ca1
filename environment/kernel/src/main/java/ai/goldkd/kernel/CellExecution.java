package ai.goldkd.kernel;

import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the cells' snippets in the kernel's JVM, on one worker thread that lives across cells (so
 * thread-local state such as a library's settings stays put from one cell to the next), and stops a
 * snippet on interrupt.
 *
 * <p>An interrupt first interrupts the worker, which ends sleeps, waits and well-behaved loops; a
 * snippet still running {@link #STOP_GRACE_MILLIS} later is stopped with {@code Thread.stop}, the way
 * JShell's own local engine stops a snippet. Values stay objects (not JShell's quoted strings), so a
 * cell's result can be rendered as what it is.
 */
final class CellExecution extends DirectExecutionControl {

    /** The exception class name JShell reports for an interrupted snippet. */
    static final String INTERRUPTED = "Interrupted";

    static final long STOP_GRACE_MILLIS = 2000;

    private final ExecutorService worker;
    private final Map<String, Object> results = new ConcurrentHashMap<>();
    private final AtomicLong nextKey = new AtomicLong();
    private volatile Thread running;
    private final AtomicLong invocations = new AtomicLong();
    private volatile boolean cellActive;
    private volatile boolean interrupted;

    private CellExecution(CellClassLoader loader) {
        super(loader.delegate());
        this.worker = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, "gold-cell");
            t.setDaemon(true);
            t.setContextClassLoader(loader);
            return t;
        });
    }

    /** The engine JShell builds this execution from; {@link #control()} hands the built one back. */
    static final class Provider implements ExecutionControlProvider {
        private final CellClassLoader loader;
        private volatile CellExecution built;

        Provider(CellClassLoader loader) {
            this.loader = loader;
        }

        @Override
        public String name() {
            return "gold-cells";
        }

        @Override
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            built = new CellExecution(loader);
            return built;
        }

        CellExecution control() {
            if (built == null) {
                throw new IllegalStateException("JShell has not built its execution engine yet");
            }
            return built;
        }
    }

    /** A cell starts: an interrupt from now on, even while JShell still compiles, stops it. */
    void beginCell() {
        interrupted = false;
        cellActive = true;
    }

    /** The cell ended; an interrupt now has nothing to stop. */
    void endCell() {
        cellActive = false;
        interrupted = false;
    }

    @Override
    protected String invoke(Method doIt) throws Exception {
        if (interrupted) {
            throw interruptedException(); // the stop button was pressed before this snippet began
        }
        Future<Object> task = worker.submit(() -> {
            invocations.incrementAndGet();
            running = Thread.currentThread();
            try {
                return doIt.invoke(null);
            } finally {
                running = null;
            }
        });
        Object value;
        try {
            value = task.get();
        } catch (CancellationException e) {
            throw interruptedException();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof InvocationTargetException ite ? ite.getCause() : e.getCause();
            if (interrupted && (cause instanceof InterruptedException || cause instanceof ThreadDeath)) {
                throw interruptedException();
            }
            return throwConvertedInvocationException(cause);
        }
        String key = "v" + nextKey.incrementAndGet();
        if (value != null) {
            results.put(key, value);
        }
        return key;
    }

    /**
     * Returns the value a snippet's invocation left under its key, and forgets it.
     *
     * @param key the string that JShell reports as the snippet's value
     * @return the value, or null when the snippet had none
     */
    Object takeResult(String key) {
        return key == null ? null : results.remove(key);
    }

    /** Interrupts the running cell, and stops its snippet if it does not end within the grace period. */
    void interrupt() {
        if (!cellActive) {
            return;
        }
        interrupted = true;
        Thread t = running;
        if (t == null) {
            return; // still compiling: the next snippet will not start
        }
        long invocation = invocations.get();
        t.interrupt();
        Thread watchdog = new Thread(() -> stopIfStillRunning(t, invocation), "gold-cell-stopper");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    @SuppressWarnings({"deprecation", "removal"})
    private void stopIfStillRunning(Thread t, long invocation) {
        try {
            Thread.sleep(STOP_GRACE_MILLIS);
        } catch (InterruptedException e) {
            return;
        }
        // The worker runs every cell: stop it only if it is still on the snippet that was interrupted.
        if (running == t && invocations.get() == invocation) {
            t.stop(); // the snippet ignored its interrupt: a busy loop in library or cell code
        }
    }

    private UserException interruptedException() {
        return new UserException("the cell was interrupted", INTERRUPTED, new StackTraceElement[0]);
    }

    @Override
    public void stop() {
        interrupt();
    }

    @Override
    public void close() {
        worker.shutdownNow();
        try {
            worker.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        super.close();
    }
}
