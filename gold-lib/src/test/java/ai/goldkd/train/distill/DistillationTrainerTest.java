package ai.goldkd.train.distill;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.goldkd.loss.DivergenceSpec;
import ai.goldkd.loss.Reduction;
import ai.goldkd.model.CausalLm;
import ai.goldkd.model.Positions;
import ai.goldkd.model.TransformerConfig;
import ai.goldkd.teacher.LocalTeacher;
import ai.goldkd.tokenizer.Tokenizer;
import ai.goldkd.tokenizer.Tokenizers;
import ai.goldkd.train.MetricsLog;
import ai.goldkd.train.Schedule;
import ai.goldkd.train.TrainBatch;
import ai.goldkd.train.TrainConfig;
import ai.goldkd.train.TrainedWeights;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every regime on a tiny model and a toy task: "n=K" -> the digit (3K mod 10). */
class DistillationTrainerTest {

    static final Tokenizer BYTES = Tokenizers.bytes();
    static final TransformerConfig TINY =
            new TransformerConfig(2, 32, 4, 64, BYTES.vocabSize(), 24, 0f, Positions.LEARNED, true);
    static final TrainConfig TRAIN = new TrainConfig(1e-2f, 1e-3f, 0f, 5, 40, Schedule.COSINE, 8, 1, 1f, 0, 0, 7L, 1);

    /** The most a weight's rounding can move it under AdamW in TRAIN's steps: the learning rate a step, 3 steps, twice. */
    static final float STRAY = 2 * 3 * 1e-2f;

    static Model teacherModel;
    static CausalLm teacher;
    static LocalTeacher teaching;

    static List<PromptExample> toy(int n) {
        List<PromptExample> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            out.add(new PromptExample("n=" + k + "\n", Integer.toString(3 * k % 10), k % 2 == 0 ? "even" : "odd"));
        }
        return out;
    }

    static DistillationConfig config(Regime regime) {
        TrainConfig train = regime == Regime.ADAPTIVE_OFF_POLICY ? TRAIN.withEvaluation(10, 0) : TRAIN;
        return DistillationConfig.defaults()
                .withTrain(train)
                .withRegime(regime)
                .withMaxNewTokens(3)
                .withBufferSize(16);
    }

    static Model student(long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        Model model = Model.newInstance("student");
        model.setBlock(new CausalLm(TINY));
        return model;
    }

    @BeforeAll
    static void trainTeacher(@TempDir Path dir) {
        teacherModel = student(1);
        DistillationConfig sft = config(Regime.SFT).withTrain(TRAIN.withSteps(200, 10));
        new DistillationTrainer(sft, BYTES, null).train(teacherModel, toy(10), List.of(), dir.resolve("teacher"));
        teacher = (CausalLm) teacherModel.getBlock();
        teaching = new LocalTeacher(teacher, BYTES);
    }

    @AfterAll
    static void closeTeacher() {
        teacherModel.close();
    }

    static double[] losses(Path metricsFile) {
        Table t = MetricsLog.read(metricsFile);
        return t.where(t.stringColumn("metric").isEqualTo("train_loss"))
                .doubleColumn("value")
                .asDoubleArray();
    }

    static double mean(double[] values, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += values[i];
        }
        return sum / (to - from);
    }

    @Test
    void teacherLearnsTheToyTask() {
        AnswerAccuracy accuracy = AnswerAccuracy.evaluate(teacher, BYTES, toy(10), 3, 10);
        assertEquals(1.0, accuracy.accuracy(), 1e-9, "teacher answers " + accuracy.predictions());
    }

    @Test
    void everyRegimeDecreasesItsLoss(@TempDir Path dir) {
        DistillationConfig[] configs = {
            config(Regime.SFT),
            config(Regime.SUPERVISED_KD),
            config(Regime.SEQ_KD),
            config(Regime.ON_POLICY).withLambda(0.5f).withDivergence(DivergenceSpec.reverseKl()),
            config(Regime.ON_POLICY).withLambda(1f).withRewardWeight(0.5f),
            config(Regime.ADAPTIVE_OFF_POLICY)
                    .withAdaptive(
                            new AdaptiveSchedule.Settings(0.5f, 0.1f, 0.1f, AdaptiveSchedule.ReplayRatio.DECREASING)),
        };
        for (int i = 0; i < configs.length; i++) {
            DistillationConfig c = configs[i];
            Path out = dir.resolve("run" + i);
            try (Model model = student(11)) {
                DistillationTrainer.DistillationResult result = new DistillationTrainer(
                                c, BYTES, teaching, RewardFunction.finalNumber())
                        .train(model, toy(10), toy(10).subList(0, 4), out);
                assertEquals(40, result.train().steps());
            }
            double[] loss = losses(out.resolve("metrics.csv"));
            assertEquals(40, loss.length);
            String what = c.regime() + " lambda " + c.lambda() + " reward " + c.rewardWeight();
            assertTrue(
                    mean(loss, 35, 40) < 0.7 * mean(loss, 0, 5),
                    what + ": loss " + mean(loss, 0, 5) + " -> " + mean(loss, 35, 40));
            assertTrue(out.resolve("distillation.json").toFile().isFile());
            Table metrics = MetricsLog.read(out.resolve("metrics.csv"));
            double[] onPolicy = metrics.where(metrics.stringColumn("metric").isEqualTo("on_policy_fraction"))
                    .doubleColumn("value")
                    .asDoubleArray();
            assertEquals(
                    c.regime() == Regime.ON_POLICY || c.regime() == Regime.ADAPTIVE_OFF_POLICY,
                    onPolicy[onPolicy.length - 1] > 0,
                    what + " on-policy fraction " + onPolicy[onPolicy.length - 1]);
            if (c.regime() == Regime.ADAPTIVE_OFF_POLICY) {
                double[] replay = metrics.where(metrics.stringColumn("metric").isEqualTo("replay_fraction"))
                        .doubleColumn("value")
                        .asDoubleArray();
                assertTrue(replay[replay.length - 1] > 0, "the replay buffer was drawn from");
            }
        }
    }

    @Test
    void onPolicyFractionIsLambdaAndPromptsAreMasked() {
        for (float lambda : new float[] {0f, 0.3f, 1f}) {
            DistillationConfig c = config(Regime.ON_POLICY).withLambda(lambda);
            List<PromptExample> data = toy(10);
            DistillationBatches source = new DistillationBatches(c, teacher, BYTES, teaching, null, data);
            int n = lambda == 0.3f ? 300 : 20;
            try (NDManager manager = NDManager.newBaseManager()) {
                for (int i = 0; i < n; i++) {
                    try (NDManager scope = manager.newSubManager()) {
                        TrainBatch batch = source.next(scope);
                        assertEquals(2, batch.labels().size());
                        long[] ids = batch.data().get(0).toLongArray();
                        long[] labels = batch.labels().get(0).toLongArray();
                        NDArray padding = TrainBatch.maskOf(batch.data()); // null: no row is padded
                        int[] mask = padding == null
                                ? java.util.stream.IntStream.generate(() -> 1)
                                        .limit(ids.length)
                                        .toArray()
                                : padding.toIntArray();
                        int t = (int) batch.data().get(0).getShape().get(1);
                        for (int row = 0; row < c.train().batchSize(); row++) {
                            // Every toy prompt is BOS "n=K\n": 5 tokens, so labels 0..3 are prompt positions.
                            for (int pos = 0; pos < 4; pos++) {
                                assertEquals(Reduction.IGNORE_INDEX, labels[row * t + pos], "prompt position " + pos);
                            }
                            assertTrue(labels[row * t + 4] != Reduction.IGNORE_INDEX, "the first output token counts");
                            for (int pos = 4; pos < t - 1; pos++) {
                                long y = labels[row * t + pos];
                                if (y != Reduction.IGNORE_INDEX && mask[row * t + pos + 1] == 1) {
                                    assertEquals(ids[row * t + pos + 1], y, "labels are the next input tokens");
                                }
                            }
                        }
                    }
                }
            }
            assertEquals(lambda, source.onPolicyFraction(), lambda == 0.3f ? 0.08 : 0.0, "lambda " + lambda);
        }
    }

    @Test
    void onPolicyBatchesHoldTheStudentsSamples() {
        // A student that is the teacher answers greedily-ish with the right digit; a fresh student does not.
        DistillationConfig c = config(Regime.ON_POLICY).withLambda(1f).withStudentTemperature(1e-3f);
        try (Model fresh = student(5);
                NDManager manager = NDManager.newBaseManager()) {
            CausalLm untrained = (CausalLm) fresh.getBlock();
            untrained.initialize(manager);
            DistillationBatches source = new DistillationBatches(c, untrained, BYTES, teaching, null, toy(10));
            TrainBatch batch = source.next(manager);
            long[] labels = batch.labels().get(0).toLongArray();
            int t = (int) batch.data().get(0).getShape().get(1);
            int digitsAndEos = 0;
            for (int row = 0; row < c.train().batchSize(); row++) {
                long first = labels[row * t + 4];
                digitsAndEos += first >= '0' && first <= '9' ? 1 : 0;
            }
            assertTrue(
                    digitsAndEos < c.train().batchSize(), "an untrained student's samples are not the data's digits");
        }
    }

    @Test
    void chunkedDivergenceTrainsLikeTheWholeOne(@TempDir Path dir) {
        // one micro-batch and two (the chunked loss back-propagates itself and scales its own gradient)
        for (int micro : new int[] {1, 2}) {
            List<float[]> results = new ArrayList<>();
            for (int chunk : new int[] {0, 5}) {
                try (Model model = student(31)) {
                    DistillationConfig c = config(Regime.SUPERVISED_KD)
                            .withChunkSize(chunk)
                            .withDivergence(DivergenceSpec.jsd(0.5f))
                            .withTrain(TRAIN.withSteps(3, 1).withBatch(TRAIN.batchSize() / micro, micro));
                    new DistillationTrainer(c, BYTES, teaching)
                            .train(model, toy(10), List.of(), dir.resolve("c" + chunk + "m" + micro));
                    results.add(((CausalLm) model.getBlock())
                            .getParameters()
                            .get(0)
                            .getValue()
                            .getArray()
                            .toFloatArray());
                }
            }
            TrainedWeights.assertAlike(
                    results.get(0),
                    results.get(1),
                    1e-5f,
                    0.001,
                    STRAY,
                    "chunk 5 against the whole divergence, " + micro + " micro-batches");
        }
    }

    /** Every parameter of a student, flattened in order. */
    static float[] parameters(Model model) {
        List<float[]> parts = new ArrayList<>();
        int n = 0;
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            float[] v = p.getValue().getArray().toFloatArray();
            parts.add(v);
            n += v.length;
        }
        float[] all = new float[n];
        int at = 0;
        for (float[] v : parts) {
            System.arraycopy(v, 0, all, at, v.length);
            at += v.length;
        }
        return all;
    }

    @Test
    void theFusedHeadTrainsLikeTheLogitsPath(@TempDir Path dir) {
        // closed-form gradients (JSD, reverse KL), autograd per chunk (total variation), no teacher (SFT),
        // on-policy steps, one micro-batch and two, a validation set read through the fused view
        record Case(Regime regime, DivergenceSpec divergence, int micro) {}
        List<Case> cases = List.of(
                new Case(Regime.SUPERVISED_KD, DivergenceSpec.jsd(0.5f), 1),
                new Case(Regime.SUPERVISED_KD, DivergenceSpec.jsd(0.1f), 2),
                new Case(Regime.ON_POLICY, DivergenceSpec.reverseKl(), 1),
                new Case(Regime.SUPERVISED_KD, DivergenceSpec.totalVariation(), 1),
                new Case(Regime.SFT, DivergenceSpec.jsd(0.5f), 1));
        for (Case k : cases) {
            List<float[]> results = new ArrayList<>();
            List<double[]> curves = new ArrayList<>();
            for (boolean fused : new boolean[] {false, true}) {
                Path out = dir.resolve(k.regime() + "-" + k.divergence().kind() + k.micro() + "-" + fused);
                try (Model model = student(31)) {
                    DistillationConfig c = config(k.regime())
                            .withDivergence(k.divergence())
                            .withChunkSize(fused ? 5 : 0)
                            .withFusedHead(fused)
                            .withTrain(TRAIN.withSteps(3, 1)
                                    .withBatch(TRAIN.batchSize() / k.micro(), k.micro())
                                    .withEvaluation(2, 0));
                    new DistillationTrainer(c, BYTES, k.regime() == Regime.SFT ? null : teaching)
                            .train(model, toy(10), toy(4), out);
                    results.add(parameters(model));
                    curves.add(losses(out.resolve("metrics.csv")));
                }
            }
            assertArrayEquals(curves.get(0), curves.get(1), 1e-5, "the loss curves: " + k);
            // AdamW divides by sqrt(v): where a gradient is near 0 its summation order shows (TrainedWeights)
            TrainedWeights.assertAlike(
                    results.get(0), results.get(1), 1e-4f, 0.001, STRAY, "fused against logits: " + k);
            assertTrue(results.get(0).length > 1000, "compared every parameter");
        }
    }

    @Test
    void aFusedBatchCarriesTheLocalTeachersHiddenStatesAndHeadNotItsLogits() {
        try (Model fresh = student(5);
                NDManager manager = NDManager.newBaseManager()) {
            CausalLm untrained = (CausalLm) fresh.getBlock();
            untrained.initialize(manager);
            DistillationConfig c = config(Regime.SUPERVISED_KD).withFusedHead(true);
            TrainBatch batch = new DistillationBatches(c, untrained, BYTES, teaching, null, toy(10)).next(manager);
            KdLabels labels = KdLabels.from(batch.labels());
            assertEquals(null, labels.teacherLogits());
            long[] ids = batch.data().get(0).getShape().getShape();
            assertArrayEquals(
                    new long[] {ids[0], ids[1], TINY.dim()},
                    labels.teacherHidden().getShape().getShape());
            assertArrayEquals(
                    new long[] {TINY.vocab(), TINY.dim()},
                    labels.teacherHead().getShape().getShape());
            // the same logits the teacher gives, by rows
            NDArray z = labels.teacherHidden().matMul(labels.teacherHead().transpose());
            NDArray direct = teaching.logits(batch.data().get(0), TrainBatch.maskOf(batch.data()));
            assertTrue(z.sub(direct).abs().max().getFloat() < 1e-4f, "hidden x head = the teacher's logits");
        }
    }

    @Test
    void theFusedHeadRefusesWhatReadsTheLogitsSayingWhichSetting() {
        IllegalArgumentException reward = assertThrows(
                IllegalArgumentException.class,
                () -> config(Regime.ON_POLICY).withRewardWeight(0.5f).withFusedHead(true));
        assertTrue(
                reward.getMessage().contains("fusedHead") && reward.getMessage().contains("rewardWeight"),
                reward.getMessage());
        IllegalArgumentException cross = assertThrows(
                IllegalArgumentException.class,
                () -> config(Regime.SUPERVISED_KD)
                        .withCrossTokenizer(CrossTokenizer.ULD)
                        .withFusedHead(true));
        assertTrue(cross.getMessage().contains("crossTokenizer uld"), cross.getMessage());
        DistillationConfig c = config(Regime.SUPERVISED_KD).withFusedHead(true).withChunkSize(0);
        assertEquals(c, DistillationJson.read(DistillationJson.write(c)), "fusedHead survives a JSON round trip");
    }

    @Test
    void teacherReceivesNoGradient(@TempDir Path dir) {
        List<float[]> before = new ArrayList<>();
        for (Pair<String, Parameter> p : teacher.getParameters()) {
            before.add(p.getValue().getArray().toFloatArray());
        }
        try (Model model = student(3)) {
            new DistillationTrainer(
                            config(Regime.ON_POLICY).withLambda(0.5f).withTrain(TRAIN.withSteps(10, 2)),
                            BYTES,
                            teaching)
                    .train(model, toy(10), List.of(), dir.resolve("kd"));
        }
        int i = 0;
        for (Pair<String, Parameter> p : teacher.getParameters()) {
            assertFalse(p.getValue().getArray().hasGradient(), p.getKey() + " has a gradient");
            assertArrayEquals(before.get(i++), p.getValue().getArray().toFloatArray(), p.getKey() + " changed");
        }
    }

    @Test
    void vocabularyMismatchSaysToUseSequenceLevelKd(@TempDir Path dir) {
        try (Model other = Model.newInstance("other");
                Model model = student(3)) {
            CausalLm wide = new CausalLm(TINY.withVocab(300));
            other.setBlock(wide);
            wide.initialize(other.getNDManager());
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> new DistillationTrainer(config(Regime.SUPERVISED_KD), BYTES, new LocalTeacher(wide, BYTES))
                            .train(model, toy(4), List.of(), dir));
            assertTrue(
                    e.getMessage().contains("259")
                            && e.getMessage().contains("300")
                            && e.getMessage().contains("SEQ_KD"),
                    e.getMessage());
        }
    }

    @Test
    void seqKdLearnsTheTeachersAnswersNotTheReferences(@TempDir Path dir) {
        List<PromptExample> sevens = new ArrayList<>();
        List<PromptExample> references = new ArrayList<>();
        for (PromptExample e : toy(10)) {
            sevens.add(e.withAnswer("7"));
            references.add(e.withAnswer("3"));
        }
        try (Model sevenModel = student(21);
                Model model = student(22)) {
            new DistillationTrainer(config(Regime.SFT), BYTES, null)
                    .train(sevenModel, sevens, List.of(), dir.resolve("seven"));
            CausalLm seven = (CausalLm) sevenModel.getBlock();
            new DistillationTrainer(config(Regime.SEQ_KD), BYTES, new LocalTeacher(seven, BYTES))
                    .train(model, references, List.of(), dir.resolve("seqkd"));
            AnswerAccuracy answers = AnswerAccuracy.evaluate((CausalLm) model.getBlock(), BYTES, sevens, 3, 10);
            assertEquals(1.0, answers.accuracy(), 1e-9, "the student answers " + answers.predictions());
        }
    }
}
