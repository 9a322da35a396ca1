package ai.goldkd.report;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Optional;

/**
 * The display of the gold notebook kernel ({@code environment/kernel}), reached through its static
 * {@code NotebookBridge.display} and {@code NotebookBridge.updateDisplay}.
 *
 * <p>The kernel's classes exist only inside the kernel's JVM, so they are looked up at run time
 * rather than compiled against: gold-lib does not depend on the kernel, and the kernel keeps its
 * protocol libraries away from gold-lib's. The gold kernelspec sets {@code GOLD_KERNEL=gold};
 * elsewhere this class stays out of the way.
 */
final class KernelDisplay implements Display {

    static final String ENV = "GOLD_KERNEL";
    static final String KERNEL = "gold";
    private static final String BRIDGE = "ai.goldkd.kernel.NotebookBridge";

    private final MethodHandle display;
    private final MethodHandle update;

    private KernelDisplay(MethodHandle display, MethodHandle update) {
        this.display = display;
        this.update = update;
    }

    /** Returns the kernel's display when this JVM is the gold kernel, else empty. */
    static Optional<Display> detect() {
        if (!KERNEL.equals(System.getenv(ENV))) {
            return Optional.empty();
        }
        try {
            Class<?> bridge = Class.forName(BRIDGE, true, KernelDisplay.class.getClassLoader());
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            MethodHandle show = lookup.findStatic(
                    bridge, "display", MethodType.methodType(String.class, String.class, String.class));
            MethodHandle replace = lookup.findStatic(
                    bridge,
                    "updateDisplay",
                    MethodType.methodType(void.class, String.class, String.class, String.class));
            return Optional.of(new KernelDisplay(show, replace));
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException(
                    ENV + "=" + KERNEL + " but the kernel's " + BRIDGE + " cannot be used (" + e
                            + "); reinstall the kernel with `environment/gold setup`",
                    e);
        }
    }

    @Override
    public String show(String mime, String content) {
        try {
            return (String) display.invokeExact(mime, content);
        } catch (Throwable e) {
            throw new IllegalStateException("the notebook kernel could not display " + mime, e);
        }
    }

    @Override
    public void update(String id, String mime, String content) {
        try {
            update.invokeExact(id, mime, content);
        } catch (Throwable e) {
            throw new IllegalStateException("the notebook kernel could not update display " + id, e);
        }
    }
}
