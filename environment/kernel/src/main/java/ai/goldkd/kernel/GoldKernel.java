package ai.goldkd.kernel;

import ai.goldkd.kernel.CellFailure.CellError;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The gold Jupyter kernel: Java cells in JShell, with gold-lib on the class path.
 *
 * <p>JShell starts on a thread of its own while the kernel already answers Jupyter, so the front end
 * hears from the kernel at once; the first request that needs JShell waits for it. The protocol
 * (sockets, messages, streams, displays) is jjava-jupyter's.
 */
public final class GoldKernel extends BaseKernel {

    static final String NAME = "gold";
    static final String VERSION = "0.1.0";

    private final CompletableFuture<CellSession> session;

    private GoldKernel(CompletableFuture<CellSession> session) {
        super(
                NAME,
                VERSION,
                languageInfo(),
                List.of(),
                null,
                new JupyterIO(StandardCharsets.UTF_8),
                new CommManager(),
                new Renderer(),
                null,
                null,
                false,
                new StringStyler("", "", "", n -> ""));
        this.session = session;
    }

    /**
     * Creates the kernel and starts its JShell in the background.
     *
     * @param settings the notebook class path and start-up script
     * @return the kernel, not yet connected
     */
    public static GoldKernel start(KernelSettings settings) {
        CompletableFuture<CellSession> session = new CompletableFuture<>();
        Thread starter = new Thread(
                () -> {
                    try {
                        session.complete(CellSession.open(settings));
                    } catch (Throwable e) {
                        session.completeExceptionally(e);
                    }
                },
                "gold-kernel-startup");
        starter.setDaemon(true);
        starter.start();
        return new GoldKernel(session);
    }

    private static LanguageInfo languageInfo() {
        return new LanguageInfo(
                "java", Runtime.version().toString(), "text/x-java-source", ".jshell", "java", "text/x-java", null);
    }

    private CellSession session() {
        try {
            return session.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CellFailure failure) {
                throw failure;
            }
            throw new CellError(
                    "the kernel could not start JShell: " + cause,
                    List.of("the kernel could not start JShell: " + cause));
        }
    }

    @Override
    public Object evalRaw(String code) {
        try {
            return session().eval(code);
        } finally {
            // A print without a newline stays buffered; the cell's output must not lose it.
            System.out.flush();
            System.err.flush();
        }
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        List<String> docs = session().documentation(code, at);
        return docs.isEmpty() ? null : new DisplayData(String.join("\n\n", docs));
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        CellSession.Completion completion = session().complete(code, at);
        return new ReplacementOptions(completion.candidates(), completion.start(), completion.end());
    }

    @Override
    public String isComplete(String code) {
        String answer = session().isComplete(code);
        if (answer.equals("complete")) {
            return IS_COMPLETE_YES;
        }
        return answer.equals("invalid") ? IS_COMPLETE_BAD : answer;
    }

    @Override
    public void interrupt() {
        if (session.isDone() && !session.isCompletedExceptionally()) {
            session.join().interrupt();
        }
    }

    @Override
    public List<String> formatError(Throwable e) {
        if (e instanceof CellFailure failure) {
            return failure.traceback();
        }
        List<String> lines = new ArrayList<>();
        lines.add("the kernel failed: " + e);
        for (StackTraceElement frame : e.getStackTrace()) {
            lines.add("\tat " + frame);
        }
        return lines;
    }

    @Override
    public void onShutdown(boolean restarting) {
        super.onShutdown(restarting);
        if (session.isDone() && !session.isCompletedExceptionally()) {
            session.join().close();
        }
    }

    @Override
    public String getBanner() {
        return "gold kernel " + VERSION + " (Java " + Runtime.version() + ", JShell)";
    }
}
