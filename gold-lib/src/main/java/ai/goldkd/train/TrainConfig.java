package ai.goldkd.train;

/**
 * The settings of one training run.
 *
 * @param learningRate the peak learning rate
 * @param minLearningRate the learning rate at the last step (cosine and linear schedules)
 * @param weightDecay AdamW's decoupled weight decay
 * @param warmupSteps steps of linear warm-up from 0 to the peak
 * @param maxSteps optimizer steps in all
 * @param schedule the decay after warm-up
 * @param batchSize examples per micro-batch
 * @param gradAccumulation micro-batches per optimizer step
 * @param clipNorm the global gradient-norm bound; 0 turns clipping off
 * @param evalEvery evaluate every this many steps; 0 never
 * @param patience stop after this many evaluations without improvement; 0 never stops early
 * @param seed the seed of initialisation, batching and dropout
 * @param logEvery write training metrics every this many steps
 * @param optimizer which AdamW takes the steps ({@link OptimizerKind}: the fused kernel by default)
 */
public record TrainConfig(
        float learningRate,
        float minLearningRate,
        float weightDecay,
        int warmupSteps,
        int maxSteps,
        Schedule schedule,
        int batchSize,
        int gradAccumulation,
        float clipNorm,
        int evalEvery,
        int patience,
        long seed,
        int logEvery,
        OptimizerKind optimizer) {

    /**
     * The settings with the default optimizer, the fused AdamW.
     *
     * @param learningRate the peak learning rate
     * @param minLearningRate the learning rate at the last step
     * @param weightDecay AdamW's decoupled weight decay
     * @param warmupSteps steps of linear warm-up
     * @param maxSteps optimizer steps in all
     * @param schedule the decay after warm-up
     * @param batchSize examples per micro-batch
     * @param gradAccumulation micro-batches per optimizer step
     * @param clipNorm the global gradient-norm bound; 0 turns clipping off
     * @param evalEvery evaluate every this many steps; 0 never
     * @param patience evaluations without improvement before stopping; 0 never
     * @param seed the seed
     * @param logEvery write training metrics every this many steps
     */
    public TrainConfig(
            float learningRate,
            float minLearningRate,
            float weightDecay,
            int warmupSteps,
            int maxSteps,
            Schedule schedule,
            int batchSize,
            int gradAccumulation,
            float clipNorm,
            int evalEvery,
            int patience,
            long seed,
            int logEvery) {
        this(
                learningRate,
                minLearningRate,
                weightDecay,
                warmupSteps,
                maxSteps,
                schedule,
                batchSize,
                gradAccumulation,
                clipNorm,
                evalEvery,
                patience,
                seed,
                logEvery,
                OptimizerKind.ADAMW);
    }

    /** Checks every field and names the bad value. */
    public TrainConfig {
        if (!(learningRate > 0f)) {
            throw new IllegalArgumentException("learningRate must be > 0, got " + learningRate);
        }
        if (!(minLearningRate >= 0f && minLearningRate <= learningRate)) {
            throw new IllegalArgumentException(
                    "minLearningRate must be in [0, learningRate=" + learningRate + "], got " + minLearningRate);
        }
        if (!(weightDecay >= 0f)) {
            throw new IllegalArgumentException("weightDecay must be >= 0, got " + weightDecay);
        }
        if (maxSteps < 1) {
            throw new IllegalArgumentException("maxSteps must be >= 1, got " + maxSteps);
        }
        if (warmupSteps < 0 || warmupSteps > maxSteps) {
            throw new IllegalArgumentException(
                    "warmupSteps must be in [0, maxSteps=" + maxSteps + "], got " + warmupSteps);
        }
        if (schedule == null) {
            throw new IllegalArgumentException("schedule must be COSINE, LINEAR or CONSTANT, got null");
        }
        if (batchSize < 1 || gradAccumulation < 1) {
            throw new IllegalArgumentException(
                    "batchSize and gradAccumulation must be >= 1, got " + batchSize + " and " + gradAccumulation);
        }
        if (!(clipNorm >= 0f)) {
            throw new IllegalArgumentException("clipNorm must be >= 0 (0 = off), got " + clipNorm);
        }
        if (optimizer == null) {
            throw new IllegalArgumentException("optimizer must be adamw or adamw-djl, got null");
        }
        if (evalEvery < 0 || patience < 0 || logEvery < 1) {
            throw new IllegalArgumentException("evalEvery and patience must be >= 0 and logEvery >= 1, got " + evalEvery
                    + ", " + patience + ", " + logEvery);
        }
    }

    /** AdamW at 3e-4 decaying by cosine to 3e-5, 50 warm-up steps of 1000, batch 16, clip 1.0. */
    public static TrainConfig defaults() {
        return new TrainConfig(3e-4f, 3e-5f, 0.01f, 50, 1000, Schedule.COSINE, 16, 1, 1f, 0, 0, 42L, 10);
    }

    /**
     * The learning rate at an optimizer step (0-based).
     *
     * @param step the step
     * @return the learning rate
     */
    public float learningRateAt(int step) {
        if (step < warmupSteps) {
            return learningRate * (step + 1) / warmupSteps;
        }
        if (schedule == Schedule.CONSTANT || maxSteps - warmupSteps <= 1) {
            return learningRate;
        }
        double progress = Math.min(1.0, (double) (step - warmupSteps) / (maxSteps - warmupSteps - 1));
        double factor = schedule == Schedule.COSINE ? 0.5 * (1 + Math.cos(Math.PI * progress)) : 1 - progress;
        return (float) (minLearningRate + (learningRate - minLearningRate) * factor);
    }

    /** @return a copy with the given peak and minimum learning rates */
    public TrainConfig withLearningRate(float peak, float min) {
        return new TrainConfig(
                peak,
                min,
                weightDecay,
                warmupSteps,
                maxSteps,
                schedule,
                batchSize,
                gradAccumulation,
                clipNorm,
                evalEvery,
                patience,
                seed,
                logEvery,
                optimizer);
    }

    /** @return a copy with the given number of steps and warm-up steps */
    public TrainConfig withSteps(int steps, int warmup) {
        return new TrainConfig(
                learningRate,
                minLearningRate,
                weightDecay,
                warmup,
                steps,
                schedule,
                batchSize,
                gradAccumulation,
                clipNorm,
                evalEvery,
                patience,
                seed,
                logEvery,
                optimizer);
    }

    /** @return a copy with the given schedule */
    public TrainConfig withSchedule(Schedule value) {
        return new TrainConfig(
                learningRate,
                minLearningRate,
                weightDecay,
                warmupSteps,
                maxSteps,
                value,
                batchSize,
                gradAccumulation,
                clipNorm,
                evalEvery,
                patience,
                seed,
                logEvery,
                optimizer);
    }

    /** @return a copy with the given batch size and accumulation */
    public TrainConfig withBatch(int size, int accumulation) {
        return new TrainConfig(
                learningRate,
                minLearningRate,
                weightDecay,
                warmupSteps,
                maxSteps,
                schedule,
                size,
                accumulation,
                clipNorm,
                evalEvery,
                patience,
                seed,
                logEvery,
                optimizer);
    }

    /** @return a copy with the given weight decay */
    public TrainConfig withWeightDecay(float value) {
        return new TrainConfig(
                learningRate,
                minLearningRate,
                value,
                warmupSteps,
                maxSteps,
                schedule,
                batchSize,
                gradAccumulation,
                clipNorm,
                evalEvery,
                patience,
                seed,
                logEvery,
                optimizer);
    }

    /** @return a copy with the given clipping bound */
    public TrainConfig withClipNorm(float value) {
        return new TrainConfig(
                learningRate,
                minLearningRate,
                weightDecay,
                warmupSteps,
                maxSteps,
                schedule,
                batchSize,
                gradAccumulation,
                value,
                evalEvery,
                patience,
                seed,
                logEvery,
                optimizer);
    }

    /** @return a copy that evaluates every {@code every} steps and stops after {@code patience} bad ones */
    public TrainConfig withEvaluation(int every, int stopPatience) {
        return new TrainConfig(
                learningRate,
                minLearningRate,
                weightDecay,
                warmupSteps,
                maxSteps,
                schedule,
                batchSize,
                gradAccumulation,
                clipNorm,
                every,
                stopPatience,
                seed,
                logEvery,
                optimizer);
    }

    /** @return a copy with the given seed */
    public TrainConfig withSeed(long value) {
        return new TrainConfig(
                learningRate,
                minLearningRate,
                weightDecay,
                warmupSteps,
                maxSteps,
                schedule,
                batchSize,
                gradAccumulation,
                clipNorm,
                evalEvery,
                patience,
                value,
                logEvery,
                optimizer);
    }

    /** @return a copy that logs every {@code every} steps */
    public TrainConfig withLogEvery(int every) {
        return new TrainConfig(
                learningRate,
                minLearningRate,
                weightDecay,
                warmupSteps,
                maxSteps,
                schedule,
                batchSize,
                gradAccumulation,
                clipNorm,
                evalEvery,
                patience,
                seed,
                every,
                optimizer);
    }

    /** @return a copy whose steps the given AdamW takes */
    public TrainConfig withOptimizer(OptimizerKind value) {
        return new TrainConfig(
                learningRate,
                minLearningRate,
                weightDecay,
                warmupSteps,
                maxSteps,
                schedule,
                batchSize,
                gradAccumulation,
                clipNorm,
                evalEvery,
                patience,
                seed,
                logEvery,
                value);
    }
}
