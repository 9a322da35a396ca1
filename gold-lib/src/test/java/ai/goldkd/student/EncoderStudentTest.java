package ai.goldkd.student;

import ai.djl.ndarray.NDManager;
import ai.goldkd.config.Budget;
import ai.goldkd.config.Devices;
import ai.goldkd.data.Example;
import ai.goldkd.data.ImdbReviews;
import ai.goldkd.data.Split;
import ai.goldkd.data.Task;
import ai.goldkd.data.TaskCatalog;
import ai.goldkd.data.TaskExamples;
import ai.goldkd.gold.ClassifierStudent;
import ai.goldkd.gold.GoldConfig;
import ai.goldkd.model.bert.BertConfig;
import ai.goldkd.model.bert.BertEncoder;
import ai.goldkd.model.bert.SentenceEncoder;
import ai.goldkd.onnx.MiniLm;
import ai.goldkd.ood.Energy;
import ai.goldkd.tokenizer.HfTokenizer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The encoder student on real IMDB reviews: pretrained all-MiniLM-L6-v2 against the same encoder with
 * random weights (a wrongly loaded model scores near chance), plus its checkpoint and its energies.
 */
class EncoderStudentTest {

    /** Short inputs and the frozen encoder keep the test well under a minute on two cores. */
    private static final EncoderStudentConfig FAST =
            EncoderStudentConfig.defaults().withMode(EncoderMode.FROZEN).withMaxLength(64);

    private static final int TEST_REVIEWS = 200;

    @TempDir
    Path tmp;

    /** The 96 real training reviews of {@code gold run real-data --budget smoke}, and that run's test set, cut. */
    private static List<List<Example>> smokeData(Task task) {
        GoldConfig preset = GoldConfig.preset("real-data", Budget.SMOKE);
        List<Example> train = new ArrayList<>(TaskCatalog.locate().examples(task, Split.TRAIN));
        Collections.shuffle(train, new Random(preset.seed()));
        List<Example> chosen = List.copyOf(train.subList(0, preset.sampleBudget()));
        List<Example> test = TaskExamples.testSet(task, preset.testSize()).subList(0, TEST_REVIEWS);
        return List.of(chosen, test);
    }

    private static double accuracy(EncoderStudent student, Task task, List<List<Example>> data) {
        List<Example> train = data.get(0);
        GoldConfig preset = GoldConfig.preset("real-data", Budget.SMOKE);
        student.train(
                TaskExamples.inputsOf(task, train),
                TaskExamples.labelsOf(task, train),
                preset.finalStudent().epochs(),
                3);
        return ClassifierStudent.score(student, task, data.get(1));
    }

    @Test
    void pretrainedMiniLmScoresWellAboveTheSameEncoderWithRandomWeights() {
        Assumptions.assumeTrue(Files.exists(ImdbReviews.file()), "IMDB not installed (environment/gold setup)");
        Assumptions.assumeTrue(
                MiniLm.installed(MiniLm.dir()), "all-MiniLM-L6-v2 not installed (environment/gold setup)");
        Task task = TaskCatalog.locate().task("imdb-sentiment");
        List<List<Example>> data = smokeData(task);
        assertEquals(96, data.get(0).size());
        long start = System.nanoTime();
        double pretrained;
        try (EncoderStudent student = EncoderStudent.open(MiniLm.dir(), FAST, 2, 1)) {
            pretrained = accuracy(student, task, data);
        }
        double random;
        NDManager manager = NDManager.newBaseManager(Devices.choose());
        BertEncoder weights = BertEncoder.random(BertConfig.read(MiniLm.dir()), manager, 1);
        SentenceEncoder encoder = SentenceEncoder.of(
                weights,
                HfTokenizer.load(MiniLm.dir(), ai.goldkd.model.bert.EncoderFamily.BERT.specials()),
                ai.goldkd.model.bert.Pooling.MEAN,
                FAST.maxLength());
        try (EncoderStudent student = EncoderStudent.of(encoder, manager, FAST, 2, 1)) {
            random = accuracy(student, task, data);
        }
        System.out.printf(
                "MiniLM frozen, 96 reviews, %d test reviews at 64 tokens: pretrained %.3f, random weights"
                        + " %.3f (%.1f s)%n",
                TEST_REVIEWS, pretrained, random, (System.nanoTime() - start) / 1e9);
        assertTrue(pretrained >= 0.62, "pretrained MiniLM scored " + pretrained);
        assertTrue(pretrained - random >= 0.06, "pretrained " + pretrained + " vs random weights " + random);
    }

    /** A tiny random BERT directory with a word-level tokenizer, for fast checks of the student's plumbing. */
    private Path tinyEncoder() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("tiny"));
        String[] words = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "good", "bad", "film", "plot", "great", "awful"};
        StringBuilder vocab = new StringBuilder();
        for (int i = 0; i < words.length; i++) {
            vocab.append(i == 0 ? "" : ",")
                    .append('"')
                    .append(words[i])
                    .append("\":")
                    .append(i);
        }
        Files.writeString(
                dir.resolve("tokenizer.json"),
                "{\"version\":\"1.0\",\"added_tokens\":[],"
                        + "\"normalizer\":{\"type\":\"BertNormalizer\",\"clean_text\":true,\"handle_chinese_chars\":true,"
                        + "\"strip_accents\":null,\"lowercase\":true},\"pre_tokenizer\":{\"type\":\"BertPreTokenizer\"},"
                        + "\"model\":{\"type\":\"WordPiece\",\"unk_token\":\"[UNK]\",\"continuing_subword_prefix\":\"##\","
                        + "\"max_input_chars_per_word\":100,\"vocab\":{" + vocab + "}}}");
        try (NDManager manager = NDManager.newBaseManager()) {
            BertEncoder.random(
                            new BertConfig(
                                    ai.goldkd.model.bert.EncoderFamily.BERT,
                                    words.length,
                                    8,
                                    1,
                                    2,
                                    16,
                                    32,
                                    2,
                                    1e-12f,
                                    0.1f,
                                    0.1f,
                                    0),
                            manager,
                            5)
                    .save(dir, ai.goldkd.hf.DType.F32);
        }
        return dir;
    }

    @Test
    void savedStudentReopensWithTheSameLogitsAndEnergies() throws IOException {
        List<String> texts = List.of("good film", "awful plot", "great great film", "bad");
        int[] labels = {1, 0, 1, 0};
        for (EncoderMode mode : EncoderMode.values()) {
            EncoderStudentConfig config = EncoderStudentConfig.defaults()
                    .withMode(mode)
                    .withMaxLength(16)
                    .withLoss(0.1f, 1f);
            Path saved = tmp.resolve("saved-" + mode);
            float[][] before;
            try (EncoderStudent student = EncoderStudent.open(tinyEncoder(), config, 2, 7)) {
                double first = student.train(texts, labels, 1, 1);
                double later = student.train(texts, labels, 30, 2); // a continual update, same optimiser
                assertTrue(later < first, mode + ": loss " + first + " then " + later);
                assertEquals(31, student.steps(), mode + ": one step per batch of 16");
                before = student.logits(texts);
                student.save(saved);
            }
            assertTrue(Files.isRegularFile(saved.resolve("config.json"))
                    && Files.isRegularFile(saved.resolve("1_Pooling/config.json")));
            try (EncoderStudent again = EncoderStudent.open(saved, config, 2, 99)) {
                float[][] after = again.logits(texts);
                for (int i = 0; i < texts.size(); i++) {
                    assertArrayEquals(before[i], after[i], 1e-5f, mode + ": logits of " + texts.get(i));
                }
                assertArrayEquals(Energy.classifier(before, 1f), Energy.classifier(after, 1f), 1e-5f);
            }
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> EncoderStudent.open(saved, config, 3, 1));
            assertTrue(e.getMessage().contains("3 classes"), e.getMessage());
        }
    }

    @Test
    void aSecondStudentReadsTheFrozenFeaturesFromDiskAndScoresAlike() throws IOException {
        List<String> texts = List.of("good film", "awful plot", "great great film", "bad", "film plot");
        int[] labels = {1, 0, 1, 0, 1};
        Path encoder = tinyEncoder();
        Path cache = tmp.resolve("features");
        EncoderStudentConfig config = EncoderStudentConfig.defaults().withMaxLength(16);
        float[][] uncached;
        try (EncoderStudent plain = EncoderStudent.open(encoder, config, 2, 7)) {
            assertNull(plain.featureCache());
            plain.train(texts, labels, 3, 1);
            uncached = plain.logits(texts);
        }
        try (EncoderStudent first = EncoderStudent.open(encoder, config, 2, 7, cache)) {
            first.train(texts, labels, 3, 1);
            assertEquals(texts.size(), first.featureCache().size(), "every text encoded once and stored");
            assertEquals(0, first.featureCache().hits());
        }
        try (EncoderStudent second = EncoderStudent.open(encoder, config, 2, 7, cache)) {
            second.train(texts, labels, 3, 1);
            assertEquals(texts.size(), second.featureCache().hits(), "every text read from disk");
            assertEquals(0, second.featureCache().misses());
            float[][] cached = second.logits(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertArrayEquals(uncached[i], cached[i], 1e-5f, "logits of " + texts.get(i));
            }
        }
        EncoderStudentConfig tuned = config.withMode(EncoderMode.FINE_TUNE);
        try (EncoderStudent fine = EncoderStudent.open(encoder, tuned, 2, 7, cache)) {
            assertNull(fine.featureCache(), "a fine-tuned encoder's features change: never cached");
        }
    }

    @Test
    void aCausalLanguageModelDirectoryIsRefusedByName() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("lm"));
        Files.writeString(
                dir.resolve("config.json"), "{\"model_type\": \"qwen2\", \"architectures\": [\"Qwen2ForCausalLM\"]}");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> EncoderStudent.open(dir, EncoderStudentConfig.defaults(), 2, 1));
        assertTrue(e.getMessage().contains("causal language model (model_type qwen2), not an encoder"), e.getMessage());
    }
}
