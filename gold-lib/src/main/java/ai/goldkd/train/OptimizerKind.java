package ai.goldkd.train;

import java.util.Arrays;
import java.util.Locale;

/** Which AdamW takes a training step; both decouple the weight decay and clip by the global norm. */
public enum OptimizerKind {

    /**
     * libtorch's fused AdamW kernel over all parameters in one native call ({@link FusedAdamW}: the numbers
     * of {@code torch.optim.AdamW} with {@code clip_grad_norm_}): the default.
     */
    ADAMW("adamw"),

    /**
     * DJL's AdamW, one native update per parameter, the global norm summed in Java: every run before
     * 2026-12-03 took its steps this way, so it reproduces their numbers bit for bit. It differs from
     * {@link #ADAMW} in rounding and in where eps sits (DJL adds it to sqrt(v) before the bias correction:
     * an effective eps of eps / sqrt(1 - beta2^t)).
     */
    ADAMW_DJL("adamw-djl");

    private final String label;

    OptimizerKind(String label) {
        this.label = label;
    }

    /** The name in configs and on the command line. */
    public String label() {
        return label;
    }

    /**
     * The kind with a label.
     *
     * @param label {@code adamw} or {@code adamw-djl}
     * @return the kind
     */
    public static OptimizerKind parse(String label) {
        for (OptimizerKind k : values()) {
            if (k.label.equals(label.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("optimizer '" + label + "' is not one of "
                + Arrays.stream(values()).map(OptimizerKind::label).toList()
                + "; adamw is the fused kernel, adamw-djl reproduces runs made before 2026-12-03");
    }
}
