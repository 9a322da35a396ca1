package ai.goldkd.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.goldkd.config.Devices;
import ai.goldkd.report.Plotly;

import java.nio.file.Files;
import java.util.Arrays;

/** {@code gold env}: prints the engine, the device and plotly.js's state, and runs one tensor op. */
final class EnvCommand {

    private EnvCommand() {}

    static int run(String[] args) {
        if (args.length > 0) {
            throw new UsageException("env takes no arguments, got " + String.join(" ", args));
        }
        long start = System.nanoTime();
        System.out.println("engine:   " + Devices.describe());
        try (NDManager manager = NDManager.newBaseManager(Devices.choose())) {
            NDArray a = manager.arange(6f).reshape(2, 3);
            NDArray product = a.matMul(a.transpose());
            System.out.println(
                    "check:    [[0,1,2],[3,4,5]] x its transpose = " + Arrays.toString(product.toFloatArray()));
        }
        System.out.printf("ready in: %.1f s%n", (System.nanoTime() - start) / 1e9);
        System.out.println("plotly:   "
                + (Files.isRegularFile(Plotly.bundle()) ? Plotly.bundle() : "missing (run environment/gold setup)"));
        return 0;
    }
}
