package ai.goldkd.nd;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The project's own TorchScript modules: code without tensors, written by a script beside each
 * {@code .pt} resource, that runs libtorch kernels DJL has no call for (a fused optimizer, a loop of
 * in-place and {@code out=} operations). Each is loaded once per process, into a manager of its own
 * that lives as long as the process.
 */
public final class TorchScript {

    private static final Map<String, PtSymbolBlock> MODULES = new HashMap<>();

    private TorchScript() {}

    /**
     * The module at a class-path resource, loaded on first use.
     *
     * @param resource the resource's absolute path, e.g. {@code /ai/goldkd/train/fused_adamw.pt}
     * @return the module
     */
    public static synchronized PtSymbolBlock module(String resource) {
        PtSymbolBlock module = MODULES.get(resource);
        if (module == null) {
            try (InputStream in = TorchScript.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException(resource + " is missing from the class path; rebuild gold-lib");
                }
                module = JniUtils.loadModule((PtNDManager) NDManager.newBaseManager(), in, false, false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            MODULES.put(resource, module);
        }
        return module;
    }
}
