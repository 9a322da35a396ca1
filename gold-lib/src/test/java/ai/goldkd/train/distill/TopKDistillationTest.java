package ai.goldkd.train.distill;

import ai.djl.Model;
import ai.goldkd.loss.DivergenceSpec;
import ai.goldkd.model.CausalLm;
import ai.goldkd.teacher.CachedTopKTeacher;
import ai.goldkd.teacher.Faults;
import ai.goldkd.teacher.LocalTeacher;
import ai.goldkd.teacher.LocalTopK;
import ai.goldkd.teacher.OpenAiClient;
import ai.goldkd.teacher.OpenAiConfig;
import ai.goldkd.teacher.OpenAiServer;
import ai.goldkd.teacher.RemoteTeacher;
import ai.goldkd.teacher.ServerConfig;
import ai.goldkd.teacher.TopKCache;
import ai.goldkd.teacher.TopKCaching;
import ai.goldkd.tokenizer.Tokenizers;
import ai.goldkd.train.MetricsLog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static ai.goldkd.train.distill.DistillationTrainerTest.BYTES;
import static ai.goldkd.train.distill.DistillationTrainerTest.TRAIN;
import static ai.goldkd.train.distill.DistillationTrainerTest.mean;
import static ai.goldkd.train.distill.DistillationTrainerTest.student;
import static ai.goldkd.train.distill.DistillationTrainerTest.toy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Token-level KD from a top-k teacher: over real HTTP against {@code gold serve}'s server
 * ({@link RemoteTeacher}), and from a teacher-logits cache ({@link CachedTopKTeacher}).
 */
class TopKDistillationTest {

    @TempDir
    static Path dir;

    static Model teacherModel;
    static LocalTeacher teaching;
    static OpenAiServer server;

    @BeforeAll
    static void trainAndServeTeacher() {
        teacherModel = student(1);
        DistillationConfig sft = DistillationTrainerTest.config(Regime.SFT).withTrain(TRAIN.withSteps(120, 10));
        new DistillationTrainer(sft, BYTES, null).train(teacherModel, toy(10), List.of(), dir.resolve("teacher"));
        teaching = new LocalTeacher((CausalLm) teacherModel.getBlock(), BYTES);
        server = OpenAiServer.start(teaching, "teacher", ServerConfig.defaults().withPort(0));
    }

    @AfterAll
    static void close() {
        server.close();
        teacherModel.close();
    }

    static DistillationConfig kd(DivergenceSpec divergence, int steps) {
        return DistillationTrainerTest.config(Regime.SUPERVISED_KD)
                .withDivergence(divergence)
                .withTrain(TRAIN.withSteps(steps, 2));
    }

    static RemoteTeacher remote(OpenAiServer on, int k, OpenAiConfig config) {
        return new RemoteTeacher(
                new OpenAiClient(config == null ? OpenAiConfig.defaults(on.baseUrl(), "teacher") : config),
                BYTES,
                BYTES.vocabSize(),
                64,
                k,
                RemoteTeacher.Protocol.PROMPT_LOGPROBS);
    }

    static double[] metric(Path run, String name) {
        Table t = MetricsLog.read(run.resolve("metrics.csv"));
        return t.where(t.stringColumn("metric").isEqualTo(name))
                .doubleColumn("value")
                .asDoubleArray();
    }

    static DistillationTrainer.DistillationResult train(
            DistillationConfig config, ai.goldkd.teacher.Teacher teacher, Path out) {
        try (Model s = student(5)) {
            return new DistillationTrainer(config, BYTES, teacher).train(s, toy(10), List.of(), out);
        }
    }

    @Test
    void atKEqualToTheVocabularyRemoteKdIsInProcessKd() {
        // beta 0.3, not 0.5: a JSD whose weights were swapped would still agree at 0.5
        for (DivergenceSpec divergence :
                List.of(DivergenceSpec.forwardKl(), DivergenceSpec.jsd(0.3f), DivergenceSpec.reverseKl())) {
            String name = divergence.kind().key();
            train(kd(divergence, 6), teaching, dir.resolve("dense-" + name));
            try (RemoteTeacher remote = remote(server, BYTES.vocabSize(), null)) {
                train(kd(divergence, 6), remote, dir.resolve("remote-" + name));
            }
            double[] dense = metric(dir.resolve("dense-" + name), "divergence");
            double[] top = metric(dir.resolve("remote-" + name), "divergence");
            assertEquals(6, dense.length);
            assertArrayEquals(dense, top, 1e-5, name + ": every step's divergence");
        }
    }

    @Test
    void topKKdOverHttpTrainsTheStudent() {
        Path out = dir.resolve("remote-k8");
        try (RemoteTeacher remote = remote(server, 8, null)) {
            DistillationTrainer.DistillationResult r = train(kd(DivergenceSpec.jsd(0.5f), 40), remote, out);
            assertEquals(40, r.train().steps());
            assertEquals(40 * TRAIN.batchSize(), remote.clientStats().requests(), "one request per sequence");
        }
        double[] d = metric(out, "divergence");
        assertTrue(
                mean(d, 35, 40) < 0.5 * mean(d, 0, 5),
                "the top-k divergence falls: " + mean(d, 0, 5) + " -> " + mean(d, 35, 40));
    }

    @Test
    void onPolicyStudentSamplesAreScoredOverHttp() {
        Path out = dir.resolve("remote-on-policy");
        try (RemoteTeacher remote = remote(server, 20, null)) {
            DistillationConfig gkd = DistillationTrainerTest.config(Regime.ON_POLICY)
                    .withLambda(1f)
                    .withDivergence(DivergenceSpec.reverseKl())
                    .withTrain(TRAIN.withSteps(4, 1));
            DistillationTrainer.DistillationResult r = train(gkd, remote, out);
            assertEquals(4, r.train().steps());
            assertEquals(1.0, r.onPolicyFraction(), "every batch the student's own samples");
            assertEquals(4 * TRAIN.batchSize(), remote.clientStats().requests());
        }
        for (double d : metric(out, "divergence")) {
            assertTrue(Double.isFinite(d) && d >= 0, "a finite top-k reverse KL: " + d);
        }
    }

    @Test
    void serverFaultsDuringScoringLoseNoStepAndAreCounted() {
        Path out = dir.resolve("faults");
        try (OpenAiServer faulty = OpenAiServer.start(
                        teaching,
                        "teacher",
                        ServerConfig.defaults()
                                .withPort(0)
                                .withFaults(Faults.parse("500:0.2,429:0.1,garbage:0.05,truncate:0.05", 11)));
                RemoteTeacher remote = remote(
                        faulty,
                        8,
                        OpenAiConfig.defaults(faulty.baseUrl(), "teacher")
                                .withRetries(10, Duration.ofMillis(5), Duration.ofMillis(20)))) {
            DistillationTrainer.DistillationResult r = train(kd(DivergenceSpec.forwardKl(), 8), remote, out);
            assertEquals(8, r.train().steps(), "no step lost");
            long retries = remote.clientStats().retries();
            assertTrue(
                    retries > 0 && faulty.stats().faults() >= retries,
                    retries + " retries, " + faulty.stats().faults() + " faults");
            assertEquals(0, remote.clientStats().failures());
            double[] logged = metric(out, "teacher_retries");
            assertEquals(retries, logged[logged.length - 1], "the run's metrics count the retries");
            assertEquals(8, metric(out, "divergence").length);
        }
    }

    @Test
    void supervisedKdTrainsFromACacheAndRefusesAnotherTokenizer() {
        List<PromptExample> data = toy(10);
        List<int[]> sequences = new ArrayList<>();
        for (PromptExample e : data) {
            int[] p = DistillationBatches.promptIds(BYTES, e.prompt());
            int[] a = DistillationBatches.answerIds(BYTES, e.answer());
            int[] whole = java.util.Arrays.copyOf(p, p.length + a.length);
            System.arraycopy(a, 0, whole, p.length, a.length);
            sequences.add(whole);
        }
        Path cacheDir = dir.resolve("cache");
        TopKCache.Meta meta =
                new TopKCache.Meta(1, "toy teacher", TopKCaching.fingerprint(BYTES), BYTES.vocabSize(), 20, 1f);
        try (TopKCache cache = TopKCache.create(cacheDir, meta)) {
            assertEquals(10, TopKCaching.fill(new LocalTopK(teaching, 20, 1f, "toy teacher"), sequences, cache, 4));
        }
        Path out = dir.resolve("cached");
        try (CachedTopKTeacher cached = CachedTopKTeacher.open(cacheDir, BYTES)) {
            train(kd(DivergenceSpec.forwardKl(), 40), cached, out);
        }
        double[] d = metric(out, "divergence");
        assertTrue(
                mean(d, 35, 40) < 0.5 * mean(d, 0, 5),
                "KD from the cache lowers the divergence: " + mean(d, 0, 5) + " -> " + mean(d, 35, 40));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> CachedTopKTeacher.open(cacheDir, Tokenizers.words(List.of("n one two three"))));
        assertTrue(
                e.getMessage().contains(meta.tokenizer()) && e.getMessage().contains("the student's is sha256:"),
                e.getMessage());
        try (CachedTopKTeacher cached = CachedTopKTeacher.open(cacheDir, BYTES)) {
            e = assertThrows(IllegalArgumentException.class, () -> cached.topK(List.of(BYTES.encodePrompt("n=99\n7"))));
            assertTrue(e.getMessage().contains("holds no entry"), e.getMessage());
        }
    }

    @Test
    void aDivergenceWithoutATopKFormIsRefusedBeforeTraining() {
        try (RemoteTeacher remote = remote(server, 8, null)) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> new DistillationTrainer(kd(DivergenceSpec.totalVariation(), 2), BYTES, remote));
            assertTrue(
                    e.getMessage().contains("total_variation has no top-k form")
                            && e.getMessage().contains("forward_kl, reverse_kl or jsd"),
                    e.getMessage());
            e = assertThrows(
                    IllegalArgumentException.class,
                    () -> new DistillationTrainer(
                            kd(DivergenceSpec.forwardKl(), 2).withTemperature(2f), BYTES, remote));
            assertTrue(e.getMessage().contains("temperature"), e.getMessage());
        }
    }
}
