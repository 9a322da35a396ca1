package ai.goldkd.train.distill;

import java.util.Locale;

/**
 * DistiLLM's adaptive off-policy schedule (Ko et al., ICML 2024, "DistiLLM: Towards Streamlined
 * Distillation for Large Language Models", Algorithm 1 and {@code finetune.py} of the authors' code),
 * as a small state machine. A threshold phi in [0, 1] starts at {@code initThreshold}; at every
 * step, with u ~ U(0, 1):
 *
 * <pre>
 *   s = phi * (1 - step / totalSteps)      (ratio DECREASING, DistiLLM's default)
 *     = phi * 0.5                           (CONSTANT)
 *     = phi * step / totalSteps             (INCREASING)
 *   u &lt; s, or u &lt; phi while the buffer is not full  -&gt; FRESH: the student samples outputs, they enter the buffer and are trained on
 *   else u &lt; phi                                    -&gt; REPLAY: a batch drawn from the buffer
 *   else                                            -&gt; DATASET: the data set's outputs
 * </pre>
 *
 * <p>At every evaluation, when the validation loss is at least {@code lossEps} above the last loss that
 * raised phi (at first: the loss before training), phi grows by {@code step} (capped at 1) and that
 * loss becomes the reference. The probability of student-generated outputs so rises when the student
 * starts to over-fit the fixed data set.
 */
public final class AdaptiveSchedule {

    /** How the share of fresh samples among student outputs moves over training. */
    public enum ReplayRatio {
        /** phi * (1 - t / T): fresh samples early, replay late (DistiLLM's default). */
        DECREASING,
        /** phi / 2. */
        CONSTANT,
        /** phi * t / T. */
        INCREASING;

        /** Parses a name, case-insensitive. */
        public static ReplayRatio parse(String name) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "replayRatio '" + name + "' is unknown; use decreasing," + " constant or increasing");
            }
        }
    }

    /** Where one step's outputs come from. */
    public enum Source {
        /** The data set's outputs. */
        DATASET,
        /** New student samples (also stored in the buffer). */
        FRESH,
        /** Student samples from the replay buffer. */
        REPLAY
    }

    /**
     * The schedule's parameters.
     *
     * @param initThreshold phi at the start, in [0, 1] (DistiLLM's scripts use 0)
     * @param lossEps how much the validation loss must rise to raise phi, >= 0 (DistiLLM: 0.1)
     * @param step how much phi grows, in (0, 1] (DistiLLM: 0.1)
     * @param ratio the replay ratio's shape
     */
    public record Settings(float initThreshold, float lossEps, float step, ReplayRatio ratio) {

        /** Checks every field and names the bad value. */
        public Settings {
            if (!(initThreshold >= 0f && initThreshold <= 1f)) {
                throw new IllegalArgumentException("adaptive initThreshold must be in [0, 1], got " + initThreshold);
            }
            if (!(lossEps >= 0f) || Float.isInfinite(lossEps)) {
                throw new IllegalArgumentException("adaptive lossEps must be finite and >= 0, got " + lossEps);
            }
            if (!(step > 0f && step <= 1f)) {
                throw new IllegalArgumentException("adaptive step must be in (0, 1], got " + step);
            }
            if (ratio == null) {
                throw new IllegalArgumentException(
                        "adaptive ratio must be DECREASING, CONSTANT or INCREASING, got null");
            }
        }

        /** DistiLLM's settings: phi from 0, +0.1 when the validation loss rises by 0.1, decreasing ratio. */
        public static Settings defaults() {
            return new Settings(0f, 0.1f, 0.1f, ReplayRatio.DECREASING);
        }
    }

    private final Settings settings;
    private final int totalSteps;
    private float threshold;
    private double reference = Double.NaN;

    /**
     * Creates the schedule.
     *
     * @param settings its parameters
     * @param totalSteps the run's number of steps, for the replay ratio
     */
    public AdaptiveSchedule(Settings settings, int totalSteps) {
        this.settings = settings;
        this.totalSteps = Math.max(1, totalSteps);
        this.threshold = settings.initThreshold();
    }

    /** phi, the current probability of training on student outputs (fresh or replayed). */
    public float threshold() {
        return threshold;
    }

    /**
     * Decides where a step's outputs come from.
     *
     * @param step the step (0-based)
     * @param u a uniform draw in [0, 1)
     * @param bufferFull whether the replay buffer is at capacity (only a full buffer is replayed)
     * @return the source
     */
    public Source decide(int step, double u, boolean bufferFull) {
        double progress = Math.min(1.0, (double) step / totalSteps);
        double fresh = switch (settings.ratio()) {
            case DECREASING -> threshold * (1 - progress);
            case CONSTANT -> threshold * 0.5;
            case INCREASING -> threshold * progress;
        };
        if (u < fresh || (u < threshold && !bufferFull)) {
            return Source.FRESH;
        }
        if (u < threshold) {
            return Source.REPLAY;
        }
        return Source.DATASET;
    }

    /**
     * Takes a validation loss; the first call sets the reference (DistiLLM evaluates before training).
     *
     * @param validationLoss the loss
     * @return whether phi grew
     */
    public boolean observe(double validationLoss) {
        if (Double.isNaN(reference)) {
            reference = validationLoss;
            return false;
        }
        if (validationLoss >= reference + settings.lossEps()) {
            threshold = Math.min(1f, threshold + settings.step());
            reference = validationLoss;
            return true;
        }
        return false;
    }
}
