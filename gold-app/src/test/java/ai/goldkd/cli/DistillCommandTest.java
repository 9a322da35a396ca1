package ai.goldkd.cli;

import ai.goldkd.train.MetricsLog;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DistillCommandTest {

    static final String TINY = """
            {"task": "arithmetic-answer", "student": {"layers": 1, "dim": 16, "heads": 2, "mlp": 32, "context": 192},
             "trainLimit": 40, "validation": 8, "testLimit": 6, "evalBatch": 6, "maxNewTokens": 8, %s
             "train": {"learningRate": 1e-3, "maxSteps": 3, "warmupSteps": 1, "batchSize": 4, "evalEvery": 2,
                       "logEvery": 1}}
            """;

    @Test
    void sftRunWritesConfigMetricsCheckpointAndResults(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("sft.json"), TINY.formatted("\"regime\": \"sft\","));
        Path out = dir.resolve("run");
        assertEquals(0, Main.run(new String[] {"distill", "--config", config.toString(), "--out", out.toString()}));
        JsonObject results = JsonParser.parseString(Files.readString(out.resolve("results.json")))
                .getAsJsonObject();
        assertEquals("sft", results.get("regime").getAsString());
        assertEquals(6, results.get("test_examples").getAsInt());
        assertTrue(Files.isRegularFile(out.resolve("model.params"))
                && Files.isRegularFile(out.resolve("distillation.json")));
        Table metrics = MetricsLog.read(out.resolve("metrics.csv"));
        for (String metric :
                new String[] {"train_loss", "tokens_per_second", "on_policy_fraction", "eval_score", "test_accuracy"}) {
            assertTrue(metrics.stringColumn("metric").contains(metric), metric + " in " + out.resolve("metrics.csv"));
        }
    }

    @Test
    void aTokenLevelRegimeWithoutTeacherSaysWhatToAdd(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("kd.json"), TINY.formatted("\"regime\": \"supervised_kd\","));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Main.run(new String[] {
                    "distill",
                    "--config",
                    config.toString(),
                    "--out",
                    dir.resolve("run").toString()
                }));
        assertTrue(e.getMessage().contains("\"teacher\""), e.getMessage());
        Path typo = Files.writeString(dir.resolve("typo.json"), TINY.formatted("\"lamda\": 0.5,"));
        e = assertThrows(
                IllegalArgumentException.class,
                () -> Main.run(new String[] {
                    "distill",
                    "--config",
                    typo.toString(),
                    "--out",
                    dir.resolve("run2").toString()
                }));
        assertTrue(e.getMessage().contains("lamda"), e.getMessage());
    }

    @Test
    void aSecondRunIntoTheSameOutIsRefusedUnlessOverwrite(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("sft.json"), TINY.formatted("\"regime\": \"sft\","));
        Path out = dir.resolve("run");
        String[] args = {"distill", "--config", config.toString(), "--out", out.toString()};
        assertEquals(0, Main.run(args));
        String results = Files.readString(out.resolve("results.json"));
        long rows = Files.readAllLines(out.resolve("metrics.csv")).size();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Main.run(args));
        assertTrue(e.getMessage().contains("is not empty") && e.getMessage().contains("--overwrite"), e.getMessage());
        assertEquals(results, Files.readString(out.resolve("results.json")));
        assertEquals(rows, Files.readAllLines(out.resolve("metrics.csv")).size(), "no rows of a second run");
        assertEquals(0, Main.run(new String[] {
            "distill", "--config", config.toString(), "--out", out.toString(), "--overwrite"
        }));
        assertEquals(rows, Files.readAllLines(out.resolve("metrics.csv")).size(), "the first run's rows are gone");
    }
}
