package ai.goldkd.train;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import ai.goldkd.config.Devices;
import ai.goldkd.nd.Scalars;
import ai.goldkd.report.Progress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one training loop every trainer uses: AdamW with warm-up then cosine or linear decay, global
 * gradient-norm clipping, gradient accumulation, evaluation every N steps with early stopping, and
 * metrics written as they happen. It knows nothing about the model: the trainer's block maps
 * {@link TrainBatch#data()} to predictions and the trainer's loss compares them with
 * {@link TrainBatch#labels()}.
 *
 * <p>Every micro-batch lives in its own sub-manager, closed after the step, so memory stays flat.
 */
public final class TrainingLoop {

    /**
     * Steps between explicit garbage collections. DJL copies every Java array it turns into a
     * tensor into a direct buffer that only a GC frees; the Java heap sees so little pressure that
     * GCs are rare, and resident memory grew by about 20 MB per 100 steps of a small model until
     * one came. Collecting every 200 steps keeps it flat (see docs/results.md, "memory").
     */
    static final int GC_EVERY = 200;

    private final TrainConfig config;
    private final MetricsLog metrics;
    private final int iteration;
    private final StepListener listener;
    private final StepTracker learningRate;
    private final ClippingAdamW optimizer;
    private final FusedAdamW fused;

    /**
     * Creates a loop.
     *
     * @param config the run's settings
     * @param metrics where metrics go
     * @param iteration the outer iteration written with each metric (0 for plain training)
     */
    public TrainingLoop(TrainConfig config, MetricsLog metrics, int iteration) {
        this(config, metrics, iteration, StepListener.none());
    }

    /**
     * Creates a loop that also tells a listener about each logged step.
     *
     * @param config the run's settings
     * @param metrics where metrics go
     * @param iteration the outer iteration written with each metric (0 for plain training)
     * @param listener told after each logged step, with the values written (a live loss curve)
     */
    public TrainingLoop(TrainConfig config, MetricsLog metrics, int iteration, StepListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener must not be null; use StepListener.none()");
        }
        this.config = config;
        this.metrics = metrics;
        this.iteration = iteration;
        this.listener = listener;
        this.learningRate = new StepTracker(config);
        this.optimizer = new ClippingAdamW(learningRate, config.weightDecay());
        this.fused = config.optimizer() == OptimizerKind.ADAMW ? new FusedAdamW(config.weightDecay()) : null;
    }

    /**
     * Creates a DJL trainer for a model with AdamW and this loop's learning-rate schedule, on the
     * device {@link Devices#choose()} picks.
     *
     * @param model the model, whose block is initialised
     * @param loss the loss the trainer computes from (labels, predictions)
     * @return the trainer; close it when done
     */
    public Trainer newTrainer(Model model, Loss loss) {
        DefaultTrainingConfig trainingConfig = new DefaultTrainingConfig(loss)
                .optOptimizer(optimizer)
                .optDevices(new ai.djl.Device[] {Devices.choose()});
        Trainer trainer = model.newTrainer(trainingConfig);
        // Parameters loaded from a checkpoint arrive without autograd; initialised ones have it.
        for (Pair<String, Parameter> pair : model.getBlock().getParameters()) {
            Parameter parameter = pair.getValue();
            if (parameter.isInitialized() && parameter.requiresGradient()) {
                parameter.getArray().setRequiresGradient(true);
            }
        }
        return trainer;
    }

    /**
     * Trains from step {@code startStep} to {@link TrainConfig#maxSteps()}.
     *
     * @param trainer a trainer from {@link #newTrainer}
     * @param source the training batches
     * @param evaluation scores the model every {@code evalEvery} steps, or null
     * @param startStep the step to start from (0, or a checkpoint's step when resuming)
     * @param saveEvery call {@code checkpoints} every this many steps (0: only at the end and on
     *     improvement)
     * @param checkpoints saves checkpoints, or null
     * @return what the run did
     */
    public TrainResult run(
            Trainer trainer,
            BatchSource source,
            Evaluation evaluation,
            int startStep,
            int saveEvery,
            Checkpoints checkpoints) {
        Engine.getInstance().setRandomSeed((int) config.seed());
        double best = Double.NaN;
        int bestStep = -1;
        int badEvaluations = 0;
        double lastLoss = Double.NaN;
        long tokens = 0;
        long started = System.nanoTime();
        boolean stoppedEarly = false;
        int step = startStep;
        try (Progress progress = Progress.start("training", config.maxSteps())) {
            progress.advance(startStep, null);
            for (; step < config.maxSteps(); step++) {
                StepResult result = step(trainer, source, step);
                double loss = result.loss();
                double norm = result.norm();
                tokens += result.tokens();
                lastLoss = loss;
                if (step % config.logEvery() == 0 || step == config.maxSteps() - 1) {
                    Map<String, Double> logged = new LinkedHashMap<>();
                    logged.put("train_loss", loss);
                    logged.put("grad_norm", norm);
                    logged.put("learning_rate", (double) config.learningRateAt(step));
                    logged.put("tokens_per_second", tokens / ((System.nanoTime() - started) / 1e9));
                    logged.putAll(source.stepMetrics());
                    logged.putAll(result.terms());
                    double rss = residentMegabytes();
                    if (rss > 0) {
                        logged.put("rss_mb", rss);
                    }
                    for (Map.Entry<String, Double> value : logged.entrySet()) {
                        metrics.write(iteration, step, value.getKey(), value.getValue());
                    }
                    listener.logged(new StepListener.Step(metrics.run(), iteration, step, logged));
                }
                progress.step(String.format(Locale.ROOT, "loss %.4f", loss));
                if ((step + 1) % GC_EVERY == 0) {
                    System.gc();
                }
                if (checkpoints != null && saveEvery > 0 && (step + 1) % saveEvery == 0) {
                    checkpoints.save(step + 1, false);
                }
                if (evaluation != null
                        && config.evalEvery() > 0
                        && ((step + 1) % config.evalEvery() == 0 || step == config.maxSteps() - 1)) {
                    double score = evaluation.score(trainer);
                    metrics.write(iteration, step, "eval_score", score);
                    listener.logged(new StepListener.Step(metrics.run(), iteration, step, Map.of("eval_score", score)));
                    if (Double.isNaN(best) || score < best) {
                        best = score;
                        bestStep = step;
                        badEvaluations = 0;
                        if (checkpoints != null) {
                            checkpoints.save(step + 1, true);
                        }
                    } else if (config.patience() > 0 && ++badEvaluations >= config.patience()) {
                        stoppedEarly = true;
                        step++;
                        break;
                    }
                }
            }
        }
        if (checkpoints != null) {
            checkpoints.save(step, false);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new TrainResult(step, lastLoss, best, bestStep, stoppedEarly, tokens / seconds);
    }

    /**
     * Takes optimizer steps {@code from} to {@code to - 1} with no evaluation, logging or checkpoints:
     * for benchmarks and outer loops that train in rounds on one trainer.
     *
     * @param trainer a trainer from {@link #newTrainer}
     * @param source the training batches
     * @param from the first step (sets the learning rate)
     * @param to one past the last step
     * @return the loss of the last step
     */
    public double runSteps(Trainer trainer, BatchSource source, int from, int to) {
        double loss = Double.NaN;
        for (int step = from; step < to; step++) {
            loss = step(trainer, source, step).loss();
            if ((step + 1) % GC_EVERY == 0) {
                System.gc();
            }
        }
        return loss;
    }

    /** One optimizer step: forward and backward over the micro-batches, clipping, the update. */
    private StepResult step(Trainer trainer, BatchSource source, int step) {
        learningRate.step = step;
        double loss = 0;
        long tokens = 0;
        Map<String, Double> terms = Map.of();
        for (int micro = 0; micro < config.gradAccumulation(); micro++) {
            try (NDManager scope = trainer.getManager().newSubManager()) {
                TrainBatch batch = source.next(scope);
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    NDArray value;
                    boolean backpropagated = false;
                    // The forward pass's arrays get a scope of their own, closed before backward: autograd
                    // keeps the tensors it saved, and every other activation is freed now instead of
                    // staying alive through backward (lower peak memory, warm allocator blocks reused).
                    try (NDManager forward = scope.newSubManager()) {
                        forward.tempAttachAll(batch.data(), batch.labels());
                        NDList predictions = trainer.forward(batch.data(), batch.labels());
                        if (trainer.getLoss() instanceof CollectorLoss chunked) {
                            CollectorLoss.Value v = chunked.evaluate(
                                    collector, batch.labels(), predictions, 1f / config.gradAccumulation());
                            value = v.loss();
                            backpropagated = v.backpropagated();
                            terms = v.terms();
                        } else {
                            value = trainer.getLoss().evaluate(batch.labels(), predictions);
                        }
                        value = forward.ret(value);
                    }
                    loss += value.getFloat() / config.gradAccumulation();
                    if (!backpropagated) {
                        collector.backward(
                                config.gradAccumulation() == 1 ? value : Scalars.div(value, config.gradAccumulation()));
                    }
                }
                tokens += batch.tokens();
            }
        }
        double norm;
        if (fused != null) {
            norm = fusedStep(trainer, step);
        } else {
            norm = gradientNorm(trainer);
            optimizer.setGradientScale(clipScale(norm, config.clipNorm()));
            trainer.step();
        }
        if (!Double.isFinite(loss)) {
            throw new IllegalStateException("the training loss is " + loss + " at step " + step
                    + "; lower the learning rate (now " + config.learningRateAt(step) + ") or check the data");
        }
        return new StepResult(loss, norm, tokens, terms);
    }

    /** The fused AdamW and its state, or null with {@link OptimizerKind#ADAMW_DJL} ({@link OptimizerState}). */
    FusedAdamW fused() {
        return fused;
    }

    /**
     * The update with the fused AdamW: the global norm, the clipping factor and the step of every parameter
     * that has a gradient, in two native calls (DJL's own {@code trainer.step()} is not used).
     *
     * @return the gradient norm before clipping
     */
    private double fusedStep(Trainer trainer, int step) {
        List<NDArray> weights = new ArrayList<>();
        List<NDArray> gradients = new ArrayList<>();
        try {
            for (Pair<String, Parameter> pair : trainer.getModel().getBlock().getParameters()) {
                NDArray weight = pair.getValue().getArray();
                if (pair.getValue().requiresGradient() && weight.hasGradient()) {
                    weights.add(weight);
                    gradients.add(weight.getGradient()); // the parameter's .grad itself, not a copy
                }
            }
            double norm = fused.norm(gradients);
            fused.step(weights, gradients, config.learningRateAt(step), clipScale(norm, config.clipNorm()));
            return norm;
        } finally {
            gradients.forEach(NDArray::close);
        }
    }

    /** What one optimizer step did; the loss's terms are its last micro-batch's. */
    private record StepResult(double loss, double norm, long tokens, Map<String, Double> terms) {}

    /**
     * The global L2 norm of all gradients.
     *
     * @param trainer the trainer
     * @return the norm
     */
    static double gradientNorm(Trainer trainer) {
        double squared = 0;
        for (Pair<String, Parameter> pair : trainer.getModel().getBlock().getParameters()) {
            NDArray weight = pair.getValue().getArray();
            if (!weight.hasGradient()) {
                continue;
            }
            // getGradient() and ops on it land in the parameter's manager, which never closes.
            try (NDArray gradient = weight.getGradient();
                    NDArray square = gradient.square();
                    NDArray sum = square.sum()) {
                squared += sum.getFloat();
            }
        }
        return Math.sqrt(squared);
    }

    /**
     * The factor that brings a gradient norm down to the clipping bound.
     *
     * @param norm the global gradient norm
     * @param clipNorm the bound; 0 turns clipping off
     * @return {@code clipNorm / norm} when the norm exceeds the bound, else 1
     */
    static float clipScale(double norm, float clipNorm) {
        return clipNorm > 0 && norm > clipNorm ? (float) (clipNorm / (norm + 1e-6)) : 1f;
    }

    /** The process's resident memory in MB (native tensors included), or -1 where /proc is absent. */
    static double residentMegabytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Saves the model as training goes, so a killed run resumes and the best model is kept. */
    @FunctionalInterface
    public interface Checkpoints {
        /**
         * Saves a checkpoint.
         *
         * @param stepsDone the number of optimizer steps taken
         * @param best whether this is the best model so far by the evaluation (else the latest)
         */
        void save(int stepsDone, boolean best);
    }

    /** The learning rate at the loop's current step, whatever DJL's own update count says. */
    private static final class StepTracker implements Tracker {
        private final TrainConfig config;
        private volatile int step;

        StepTracker(TrainConfig config) {
            this.config = config;
        }

        @Override
        public float getNewValue(int numUpdate) {
            return config.learningRateAt(step);
        }
    }
}
