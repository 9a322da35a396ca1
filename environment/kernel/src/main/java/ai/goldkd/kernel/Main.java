package ai.goldkd.kernel;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts the gold kernel for Jupyter: {@code java -cp ... ai.goldkd.kernel.Main CONNECTION_FILE}, with
 * {@code GOLD_KERNEL_CLASSPATH} and {@code GOLD_KERNEL_STARTUP} set by the kernelspec.
 */
public final class Main {

    private Main() {}

    /**
     * Connects to Jupyter and serves until it shuts the kernel down.
     *
     * @param args the connection file Jupyter wrote
     * @throws Exception when the connection file is unusable
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("gold-kernel: usage: ai.goldkd.kernel.Main CONNECTION_FILE (Jupyter passes it)");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        if (!Files.isRegularFile(file)) {
            System.err.println(
                    "gold-kernel: connection file " + file + " does not exist; start the kernel from Jupyter");
            System.exit(2);
        }
        KernelSettings settings;
        try {
            settings = KernelSettings.fromEnvironment(System.getenv());
        } catch (RuntimeException e) {
            System.err.println("gold-kernel: " + e.getMessage());
            System.exit(2);
            return;
        }
        KernelConnectionProperties properties =
                KernelConnectionProperties.parse(Files.readString(file, StandardCharsets.UTF_8));
        GoldKernel kernel = GoldKernel.start(settings);
        kernel.onStartup();
        JupyterConnection connection = new JupyterConnection(properties);
        // Every handler is in place before the sockets bind, so the first request finds one.
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        connection.waitUntilClose();
        // Libraries the cells loaded may have left non-daemon threads (a native engine's pools).
        System.exit(0);
    }
}
