package ai.goldkd.report;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Optional;

/**
 * The display of the gold notebook kernel (rapaio-jupyter-kernel), reached through its static
 * {@code Global.display} and {@code Global.updateDisplay}.
 *
 * <p>The kernel's classes exist only inside the kernel's JVM, so they are looked up at run time
 * rather than compiled against: the kernel jar shades libraries that would clash with gold's own on
 * a compile or test classpath. The gold kernelspec sets {@code GOLD_KERNEL=rapaio}; elsewhere this
 * class stays out of the way.
 */
final class KernelDisplay implements Display {

    static final String ENV = "GOLD_KERNEL";
    private static final String GLOBAL = "org.rapaio.jupyter.kernel.global.Global";

    private final MethodHandle display;
    private final MethodHandle update;

    private KernelDisplay(MethodHandle display, MethodHandle update) {
        this.display = display;
        this.update = update;
    }

    /** Returns the kernel's display when this JVM is the gold kernel, else empty. */
    static Optional<Display> detect() {
        if (!"rapaio".equals(System.getenv(ENV))) {
            return Optional.empty();
        }
        try {
            Class<?> global = Class.forName(GLOBAL, true, Thread.currentThread().getContextClassLoader());
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            MethodHandle show = lookup.findStatic(global, "display",
                    MethodType.methodType(String.class, String.class, Object.class));
            MethodHandle replace = lookup.findStatic(global, "updateDisplay",
                    MethodType.methodType(void.class, String.class, String.class, Object.class));
            return Optional.of(new KernelDisplay(show, replace));
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException(ENV + "=rapaio but the kernel's " + GLOBAL
                    + " cannot be used (" + e + "); reinstall the kernel with `environment/gold setup`", e);
        }
    }

    @Override
    public String show(String mime, String content) {
        try {
            return (String) display.invokeExact(mime, (Object) content);
        } catch (Throwable e) {
            throw new IllegalStateException("the notebook kernel could not display " + mime, e);
        }
    }

    @Override
    public void update(String id, String mime, String content) {
        try {
            update.invokeExact(id, mime, (Object) content);
        } catch (Throwable e) {
            throw new IllegalStateException("the notebook kernel could not update display " + id, e);
        }
    }
}
