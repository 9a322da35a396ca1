package ai.goldkd.bench;

import ai.goldkd.config.Budget;
import ai.goldkd.data.Example;
import ai.goldkd.data.Split;
import ai.goldkd.data.Task;
import ai.goldkd.data.TaskCatalog;
import ai.goldkd.data.TaskExamples;
import ai.goldkd.gold.ClassifierStudent;
import ai.goldkd.gold.GoldConfig;
import ai.goldkd.onnx.MiniLm;
import ai.goldkd.student.EncoderMode;
import ai.goldkd.student.EncoderStudent;
import ai.goldkd.student.EncoderStudentConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The encoder student on the {@code real-data} preset's data at a budget: the same real training
 * reviews, epochs, seed and test set as {@code gold run real-data --budget B}. Prints seconds per
 * training sample (per sample and epoch), seconds per scored sample and the test accuracy.
 *
 * <pre>
 *   java -cp ... ai.goldkd.bench.EncoderStudentBench [--mode frozen|fine_tune] [--max-length 128]
 *       [--batch 16] [--head-lr 1e-2] [--encoder-lr 5e-5] [--epochs E] [--budget smoke] [--dir DIR]
 * </pre>
 */
public final class EncoderStudentBench {

    private EncoderStudentBench() {}

    /**
     * Runs the measurement.
     *
     * @param args the options above
     */
    public static void main(String[] args) {
        EncoderStudentConfig config = EncoderStudentConfig.defaults();
        Budget budget = Budget.SMOKE;
        Integer epochs = null;
        Path dir = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--mode" -> config = config.withMode(EncoderMode.valueOf(v.toUpperCase(Locale.ROOT)));
                case "--max-length" -> config = config.withMaxLength(Integer.parseInt(v));
                case "--batch" -> config = config.withBatchSize(Integer.parseInt(v));
                case "--head-lr" ->
                    config = config.withLearningRates(Float.parseFloat(v), config.encoderLearningRate());
                case "--encoder-lr" ->
                    config = config.withLearningRates(config.headLearningRate(), Float.parseFloat(v));
                case "--epochs" -> epochs = Integer.parseInt(v);
                case "--budget" -> budget = Budget.parse(v);
                case "--dir" -> dir = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; see the class comment");
            }
        }
        GoldConfig preset = GoldConfig.preset("real-data", budget);
        Task task = TaskCatalog.locate().task(preset.task());
        List<Example> train = new ArrayList<>(TaskCatalog.locate().examples(task, Split.TRAIN));
        Collections.shuffle(train, new Random(preset.seed()));
        List<Example> chosen = train.subList(0, Math.min(train.size(), preset.sampleBudget()));
        List<Example> test = TaskExamples.testSet(task, preset.testSize());
        int passes = epochs != null ? epochs : preset.finalStudent().epochs();
        config = config.withLoss(
                preset.finalStudent().sceAlpha(), preset.finalStudent().sceBeta());
        long t0 = System.nanoTime();
        try (EncoderStudent student = EncoderStudent.open(
                dir != null ? dir : MiniLm.locate(), config, task.labels().size(), preset.seed() * 7919L + 1)) {
            long t1 = System.nanoTime();
            double loss = student.train(
                    TaskExamples.inputsOf(task, chosen),
                    TaskExamples.labelsOf(task, chosen),
                    passes,
                    preset.seed() * 104_729L + 3);
            long t2 = System.nanoTime();
            double accuracy = ClassifierStudent.score(student, task, test);
            long t3 = System.nanoTime();
            System.out.printf(
                    Locale.ROOT,
                    "%s maxLength %d batch %d lr head %.0e encoder %.0e: %d reviews x %d epochs,"
                            + " load %.1f s, train %.1f s (%.4f s per sample-epoch), loss %.4f; score %d reviews %.1f s"
                            + " (%.4f s per sample), accuracy %.4f%n",
                    config.mode(),
                    config.maxLength(),
                    config.batchSize(),
                    config.headLearningRate(),
                    config.encoderLearningRate(),
                    chosen.size(),
                    passes,
                    (t1 - t0) / 1e9,
                    (t2 - t1) / 1e9,
                    (t2 - t1) / 1e9 / (chosen.size() * (double) passes),
                    loss,
                    test.size(),
                    (t3 - t2) / 1e9,
                    (t3 - t2) / 1e9 / test.size(),
                    accuracy);
        }
    }
}
