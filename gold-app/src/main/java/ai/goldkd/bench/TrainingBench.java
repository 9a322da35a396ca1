package ai.goldkd.bench;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.training.Trainer;
import ai.goldkd.config.Devices;
import ai.goldkd.model.CausalLm;
import ai.goldkd.model.HiddenAndHead;
import ai.goldkd.model.TransformerConfig;
import ai.goldkd.train.FusedLmLoss;
import ai.goldkd.train.MetricsLog;
import ai.goldkd.train.Schedule;
import ai.goldkd.train.SequenceBatches;
import ai.goldkd.train.SequenceExample;
import ai.goldkd.train.TrainConfig;
import ai.goldkd.train.TrainingLoop;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One model, trainer and batch source kept open, so timed rounds of training steps can alternate
 * with another implementation's: full-context random sequences, AdamW, clipping at 1.0.
 */
public final class TrainingBench implements AutoCloseable {

    private final TransformerConfig config;
    private final int batch;
    private final Model model;
    private final Model view;
    private final Trainer trainer;
    private final TrainingLoop loop;
    private final SequenceBatches batches;
    private int steps;

    /**
     * Builds the model and its trainer.
     *
     * @param config the model shape
     * @param batch sequences per step
     */
    public TrainingBench(TransformerConfig config, int batch) {
        this(config, batch, 0);
    }

    /**
     * Builds the model and its trainer, with the head and the cross-entropy fused or not.
     *
     * @param config the model shape
     * @param batch sequences per step
     * @param fusedHead positions per chunk of a fused head ({@link FusedLmLoss}), or 0 for the logits whole
     */
    public TrainingBench(TransformerConfig config, int batch, int fusedHead) {
        this.config = config;
        this.batch = batch;
        SplittableRandom random = new SplittableRandom(1);
        List<SequenceExample> examples = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            examples.add(new SequenceExample(
                    random.ints(config.context() + 1, 3, config.vocab()).toArray(), 1));
        }
        // A constant rate: the schedule does not change the work of a step.
        TrainConfig train = TrainConfig.defaults()
                .withSteps(Integer.MAX_VALUE, 0)
                .withSchedule(Schedule.CONSTANT)
                .withBatch(batch, 1)
                .withLogEvery(Integer.MAX_VALUE);
        model = Model.newInstance("bench", Devices.choose());
        Engine.getInstance().setRandomSeed(1);
        CausalLm lm = new CausalLm(config);
        model.setBlock(lm);
        view = fusedHead > 0 ? HiddenAndHead.asModel("bench", lm) : null;
        loop = new TrainingLoop(train, MetricsLog.none(), 0);
        trainer = loop.newTrainer(view != null ? view : model, FusedLmLoss.orLogits(fusedHead));
        lm.initialize(trainer.getManager());
        batches = new SequenceBatches(examples, batch, 0, 1);
    }

    /**
     * Runs training steps and times them.
     *
     * @param count steps to take
     * @return tokens per second over them
     */
    public double run(int count) {
        long start = System.nanoTime();
        loop.runSteps(trainer, batches, steps, steps + count);
        double seconds = (System.nanoTime() - start) / 1e9;
        steps += count;
        return (double) count * batch * config.context() / seconds;
    }

    /** The trainer, for harnesses that time the parts of a step (docs/bench/StepPhases.java). */
    public Trainer trainer() {
        return trainer;
    }

    /** The loop the steps go through (docs/bench/StepPhases.java times its parts). */
    public TrainingLoop loop() {
        return loop;
    }

    /** The batches the steps draw from. */
    public SequenceBatches batches() {
        return batches;
    }

    @Override
    public void close() {
        trainer.close();
        if (view != null) {
            view.close();
        }
        model.close();
    }
}
