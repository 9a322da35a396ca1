package ai.goldkd.config;

import ai.djl.Device;
import ai.djl.engine.Engine;

import java.util.Locale;

/**
 * The one place that chooses the compute device: a GPU when DJL sees one, the CPU otherwise.
 *
 * <p>The environment variable {@code GOLD_DEVICE} overrides the choice: {@code cpu} forces the CPU,
 * {@code gpu} demands a GPU and fails when there is none; unset or {@code auto} picks for you.
 */
public final class Devices {

    /** The name of the environment variable that overrides the device choice. */
    public static final String ENV = "GOLD_DEVICE";

    private Devices() {}

    /** Returns the device that gold computes on, as chosen by {@code GOLD_DEVICE} and the hardware. */
    public static Device choose() {
        return choose(System.getenv(ENV), Engine.getInstance().getGpuCount());
    }

    /**
     * Chooses a device from an override value and the number of GPUs the engine sees.
     *
     * @param override {@code cpu}, {@code gpu}, {@code auto} or null
     * @param gpuCount the number of GPUs the engine sees
     * @return the device to use
     */
    public static Device choose(String override, int gpuCount) {
        String value = override == null ? "auto" : override.trim().toLowerCase(Locale.ROOT);
        switch (value) {
            case "", "auto":
                return gpuCount > 0 ? Device.gpu() : Device.cpu();
            case "cpu":
                return Device.cpu();
            case "gpu":
                if (gpuCount == 0) {
                    throw new IllegalStateException(ENV + "=gpu but the PyTorch engine sees no GPU; "
                            + "install the CUDA natives (build with -Pgpu, see environment/README.md) "
                            + "or set " + ENV + "=cpu");
                }
                return Device.gpu();
            default:
                throw new IllegalArgumentException(ENV + "='" + override + "' is not a device; use cpu, gpu or auto");
        }
    }

    /** A one-line description of the engine and device, for logs and notebooks. */
    public static String describe() {
        Engine engine = Engine.getInstance();
        return engine.getEngineName() + " " + engine.getVersion() + " on " + choose() + " (" + engine.getGpuCount()
                + " GPU(s) visible)";
    }
}
