package ai.goldkd.bench;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.goldkd.config.Devices;
import ai.goldkd.loss.ChunkedDivergence;
import ai.goldkd.loss.DivergenceLoss;
import ai.goldkd.loss.Divergences;
import ai.goldkd.loss.FusedHeadDivergence;
import ai.goldkd.loss.Reduction;
import ai.goldkd.model.HiddenAndHead;
import ai.goldkd.model.hf.HfDecoder;
import ai.goldkd.train.CollectorLoss;
import ai.goldkd.train.MetricsLog;
import ai.goldkd.train.Schedule;
import ai.goldkd.train.TrainBatch;
import ai.goldkd.train.TrainConfig;
import ai.goldkd.train.TrainingLoop;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One GKD training step on Hugging Face decoders, the step TRL's GKD trainer takes on a batch: the
 * teacher's forward pass without gradients, the student's forward and backward passes, the generalized
 * JSD (beta 0.5, temperature 0.9, TRL's defaults) over the full vocabulary at every position, global-norm
 * clipping at 1.0 and AdamW, through {@link TrainingLoop} (the loop every trainer uses).
 *
 * <p>Three ways to compute the divergence: {@code whole} (both models' (B, T, V) logits and autograd
 * through the divergence, as TRL does), {@code chunked} (both logits, the divergence's gradient chunk by
 * chunk: {@link ChunkedDivergence}) and {@code fused} (no logits of either model:
 * {@link FusedHeadDivergence}, the teacher by its own hidden states and head).
 */
final class GkdStep implements AutoCloseable {

    /** TRL's GKDConfig defaults. */
    static final float BETA = 0.5f;

    static final float TEMPERATURE = 0.9f;

    private final HfDecoder teacher;
    private final Model model;
    private final Trainer trainer;
    private final TrainingLoop loop;
    private final int batch;
    private final int length;
    private int steps;
    private double lastLoss = Double.NaN;

    /**
     * Builds the trainer.
     *
     * @param teacher the teacher, loaded; it gets no gradients
     * @param student the student, loaded; it is trained
     * @param batch sequences per step
     * @param length tokens per sequence
     * @param mode {@code whole}, {@code chunked} or {@code fused}
     * @param chunk positions per chunk for the chunked and fused modes
     */
    GkdStep(HfDecoder teacher, HfDecoder student, int batch, int length, String mode, int chunk) {
        this.teacher = teacher;
        this.batch = batch;
        this.length = length;
        DivergenceLoss divergence = new DivergenceLoss(
                Divergences.generalizedJsd(BETA), Reduction.tokenMean(), TEMPERATURE, Reduction.IGNORE_INDEX);
        TrainConfig train = TrainConfig.defaults()
                .withSteps(Integer.MAX_VALUE, 0)
                .withSchedule(Schedule.CONSTANT)
                .withBatch(batch, 1)
                .withLogEvery(Integer.MAX_VALUE);
        model = Model.newInstance("gkd-bench", Devices.choose());
        model.setBlock(new HiddenAndHead(student));
        loop = new TrainingLoop(train, MetricsLog.none(), 0);
        trainer = loop.newTrainer(model, new GkdLoss(teacher, divergence, mode, chunk));
    }

    /**
     * Takes GKD steps and times them.
     *
     * @param count steps
     * @return student tokens per second
     */
    double run(int count) {
        long start = System.nanoTime();
        lastLoss = loop.runSteps(trainer, this::nextBatch, steps, steps + count);
        steps += count;
        return (double) count * batch * length / ((System.nanoTime() - start) / 1e9);
    }

    /** The loss of the last step taken. */
    double lastLoss() {
        return lastLoss;
    }

    /** Random token ids (the same every step: the work does not depend on them). */
    private TrainBatch nextBatch(NDManager manager) {
        Engine.getInstance().setRandomSeed(steps);
        NDArray ids = manager.randomInteger(3, teacher.vocab(), new Shape(batch, length), DataType.INT64);
        return new TrainBatch(new NDList(ids), new NDList(ids), (long) batch * length);
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
    }

    /** The generalized JSD between the student and the teacher, computed one of three ways. */
    static final class GkdLoss extends Loss implements CollectorLoss {
        private final HfDecoder teacher;
        private final DivergenceLoss divergence;
        private final String mode;
        private final int chunk;

        GkdLoss(HfDecoder teacher, DivergenceLoss divergence, String mode, int chunk) {
            super("gkd");
            if (!List.of("whole", "chunked", "fused").contains(mode)) {
                throw new IllegalArgumentException("GKD mode '" + mode + "' is not one of whole, chunked, fused");
            }
            this.teacher = teacher;
            this.divergence = divergence;
            this.mode = mode;
            this.chunk = chunk;
        }

        @Override
        public Value evaluate(GradientCollector collector, NDList labels, NDList predictions, float scale) {
            NDArray ids = labels.get(0);
            NDManager manager = ids.getManager();
            NDArray teacherHidden = teacher.hiddenBySequence(ids, null); // (B, T, Dt)
            NDArray teacherHead = teacher.named().get("lm_head.weight").getArray(); // (V, Dt)
            NDArray hidden = predictions.get(0);
            NDArray head = predictions.get(1);
            NDArray counted = manager.zeros(ids.getShape(), DataType.INT64); // every position
            if (mode.equals("fused")) {
                FusedHeadDivergence fused = new FusedHeadDivergence(divergence, chunk);
                NDArray loss = fused.backward(
                        collector,
                        hidden,
                        head,
                        FusedHeadDivergence.TeacherRows.ofHead(teacherHidden, teacherHead),
                        counted,
                        scale);
                return new Value(loss, true, Map.of());
            }
            NDArray studentLogits = Linear.linear(hidden, head).singletonOrThrow(); // (B, T, V)
            NDArray teacherLogits = teacherHidden.matMul(teacherHead.transpose()); // (B, T, V)
            if (mode.equals("chunked")) {
                NDArray loss = new ChunkedDivergence(divergence, chunk)
                        .backward(collector, studentLogits, teacherLogits, counted, scale);
                return new Value(loss, true, Map.of());
            }
            return new Value(divergence.compute(studentLogits, teacherLogits, counted), false, Map.of());
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            throw new UnsupportedOperationException(
                    String.format(Locale.ROOT, "the GKD loss needs the step's gradient collector (%s mode)", mode));
        }
    }
}
