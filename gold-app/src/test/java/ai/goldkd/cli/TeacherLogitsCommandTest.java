package ai.goldkd.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.goldkd.model.CausalLm;
import ai.goldkd.model.Checkpoint;
import ai.goldkd.model.Positions;
import ai.goldkd.model.TransformerConfig;
import ai.goldkd.teacher.LocalTeacher;
import ai.goldkd.teacher.OpenAiServer;
import ai.goldkd.teacher.ServerConfig;
import ai.goldkd.teacher.TopKCache;
import ai.goldkd.teacher.TopKCaching;
import ai.goldkd.tokenizer.Tokenizer;
import ai.goldkd.tokenizer.Tokenizers;
import ai.goldkd.train.MetricsLog;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code gold teacher logits} into a cache, from a model directory and from an endpoint, and {@code gold distill} from it. */
class TeacherLogitsCommandTest {

    @TempDir
    static Path dir;

    static Path teacher;
    static final String DATA = "../datasets/arithmetic/train.jsonl";

    @BeforeAll
    static void saveTeacher() {
        teacher = save(dir.resolve("teacher"), Tokenizers.bytes(), 256);
    }

    static Path save(Path to, Tokenizer tokenizer, int context) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Engine.getInstance().setRandomSeed(5);
            CausalLm lm = new CausalLm(new TransformerConfig(
                            1, 16, 2, 32, tokenizer.vocabSize(), context, 0f, Positions.ROTARY, false))
                    .initialize(manager);
            new Checkpoint(lm, Checkpoint.specOf(lm, null, 0), tokenizer).save(to);
        }
        return to;
    }

    @Test
    void aCacheFromADirectoryTrainsSupervisedKdAndRefusesAnotherTokenizer() throws IOException {
        Path cache = dir.resolve("cache-k8");
        assertEquals(0, Main.run(new String[] {
            "teacher",
            "logits",
            "--teacher",
            teacher.toString(),
            "--data",
            DATA,
            "--top-k",
            "8",
            "--out",
            cache.toString(),
            "--limit",
            "40"
        }));
        try (TopKCache c = TopKCache.open(cache)) {
            assertEquals(40, c.size());
            assertEquals(8, c.meta().k());
            assertEquals(TopKCaching.fingerprint(Tokenizers.bytes()), c.meta().tokenizer());
            assertTrue(c.meta().teacher().endsWith("teacher"), c.meta().teacher());
            assertTrue(
                    c.bytesPerToken() < 3 + 5 * 8 + 1,
                    "3 + 5k bytes a token and the record heads: " + c.bytesPerToken());
        }
        Path config = Files.writeString(
                dir.resolve("kd.json"),
                DistillCommandTest.TINY.formatted(
                        "\"regime\": \"supervised_kd\", \"divergence\": \"forward_kl\", \"teacherCache\": \""
                                + cache.toString().replace("\\", "/") + "\","));
        Path out = dir.resolve("run");
        assertEquals(0, Main.run(new String[] {"distill", "--config", config.toString(), "--out", out.toString()}));
        Table metrics = MetricsLog.read(out.resolve("metrics.csv"));
        assertEquals(
                3,
                metrics.where(metrics.stringColumn("metric").isEqualTo("divergence"))
                        .rowCount());
        assertTrue(JsonParser.parseString(Files.readString(out.resolve("config.json")))
                .getAsJsonObject()
                .get("teacherCache")
                .getAsString()
                .endsWith("cache-k8"));

        List<String> words = List.of("Sam had 24 marbles. He gave 7 marbles to Umar.");
        Path wordStudent = save(dir.resolve("word-student"), Tokenizers.words(words), 192);
        Path other = Files.writeString(
                dir.resolve("other.json"),
                DistillCommandTest.TINY
                        .formatted("\"regime\": \"supervised_kd\", \"teacherCache\": \""
                                + cache.toString().replace("\\", "/") + "\",")
                        .replace(
                                "{\"layers\": 1, \"dim\": 16, \"heads\": 2, \"mlp\": 32, \"context\": 192}",
                                "{\"init\": \"" + wordStudent.toString().replace("\\", "/") + "\"}"));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Main.run(new String[] {
                    "distill",
                    "--config",
                    other.toString(),
                    "--out",
                    dir.resolve("run2").toString()
                }));
        assertTrue(
                e.getMessage().contains("was made with tokenizer sha256:")
                        && e.getMessage().contains("the student's is" + " sha256:"),
                e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), "one line");
    }

    @Test
    void aCacheFromAnEndpointHoldsWhatTheDirectoryGives() {
        Path fromDir = dir.resolve("dir-k4");
        Path fromUrl = dir.resolve("url-k4");
        assertEquals(0, Main.run(new String[] {
            "teacher",
            "logits",
            "--teacher",
            teacher.toString(),
            "--data",
            DATA,
            "--top-k",
            "4",
            "--out",
            fromDir.toString(),
            "--limit",
            "6"
        }));
        try (LocalTeacher served = LocalTeacher.load(teacher, Device.cpu());
                OpenAiServer server = OpenAiServer.start(
                        served, "gold", ServerConfig.defaults().withPort(0))) {
            assertEquals(0, Main.run(new String[] {
                "teacher",
                "logits",
                "--teacher",
                server.baseUrl(),
                "--data",
                DATA,
                "--top-k",
                "4",
                "--out",
                fromUrl.toString(),
                "--limit",
                "6",
                "--tokenizer",
                teacher.toString()
            }));
            assertEquals(6, server.stats().requests(), "one scoring request per sequence");
        }
        try (TopKCache a = TopKCache.open(fromDir);
                TopKCache b = TopKCache.open(fromUrl)) {
            assertEquals(a.meta().tokenizer(), b.meta().tokenizer());
            assertTrue(b.meta().teacher().contains("/v1 model gold"), b.meta().teacher());
            for (int i = 0; i < 6; i++) {
                assertEquals(
                        java.util.Arrays.toString(a.get(i).tokens()),
                        java.util.Arrays.toString(b.get(i).tokens()));
                float[] x = a.get(i).logProbs();
                float[] y = b.get(i).logProbs();
                for (int j = 0; j < x.length; j++) {
                    assertEquals(x[j], y[j], 1e-2, "sequence " + i + " value " + j + " (half floats)");
                }
            }
        }
        UsageException e = assertThrows(
                UsageException.class,
                () -> Main.run(new String[] {
                    "teacher",
                    "logits",
                    "--teacher",
                    "http://127.0.0.1:9/v1",
                    "--data",
                    DATA,
                    "--top-k",
                    "4",
                    "--out",
                    dir.resolve("x").toString()
                }));
        assertTrue(e.getMessage().contains("--tokenizer"), e.getMessage());
    }
}
