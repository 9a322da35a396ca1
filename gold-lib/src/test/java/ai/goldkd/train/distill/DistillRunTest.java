package ai.goldkd.train.distill;

import ai.goldkd.loss.DivergenceSpec;
import ai.goldkd.loss.Taid;
import ai.goldkd.train.TrainConfig;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A distillation run as a value: its JSON round-trips, and a run writes all of it beside its outputs. */
class DistillRunTest {

    @Test
    void everyFieldRoundTripsThroughJson() {
        DistillRun run = DistillRun.defaults()
                .withTeacher("~/teachers/t")
                .withValidation(8)
                .withLimits(40, 6)
                .withEvalBatch(3)
                .withReward(RewardKind.FINAL_NUMBER)
                .withStudent(StudentSpec.shape(1, 16, 2, 40, 128))
                .withConfig(DistillationConfig.defaults()
                        .withLambda(0.25f)
                        .withRewardWeight(0.5f)
                        .withDivergence(DivergenceSpec.taid(0.4f, Taid.Interpolation.PROBABILITIES))
                        .withTrain(TrainConfig.defaults().withSteps(30, 3).withSeed(11)));
        JsonObject json = DistillRunJson.write(run);
        assertEquals(
                run, DistillRunJson.read(JsonParser.parseString(json.toString()).getAsJsonObject()));
        DistillRun fromCheckpoint =
                run.withStudent(StudentSpec.fromCheckpoint("runs/init")).withTeacher(null);
        assertEquals(fromCheckpoint, DistillRunJson.read(DistillRunJson.write(fromCheckpoint)));
        assertFalse(DistillRunJson.write(fromCheckpoint).has("teacher"));
    }

    @Test
    void misspeltKeysAreRefusedWithTheKnownOnes() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> DistillRunJson.read(
                        JsonParser.parseString("{\"student\": {\"layer\": 1}}").getAsJsonObject()));
        assertTrue(e.getMessage().contains("unknown key 'layer'; nearest: layers"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> DistillRunJson.read(
                        JsonParser.parseString("{\"evalBach\": 4}").getAsJsonObject()));
        assertTrue(e.getMessage().contains("evalBach") && e.getMessage().contains("evalBatch"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> DistillRunJson.read(
                        JsonParser.parseString("{\"reward\": \"accuracy\"}").getAsJsonObject()));
        assertTrue(e.getMessage().contains("final-number"), e.getMessage());
    }

    @Test
    void aRunWritesItsWholeSettingsAndTheyReproduceIt(@TempDir Path dir) throws IOException {
        DistillRun run = DistillRun.defaults()
                .withStudent(StudentSpec.shape(1, 16, 2, 32, 192))
                .withValidation(8)
                .withLimits(40, 6)
                .withEvalBatch(6)
                .withConfig(DistillationConfig.defaults()
                        .withRegime(Regime.SFT)
                        .withMaxNewTokens(8)
                        .withTrain(TrainConfig.defaults().withSteps(3, 1).withBatch(4, 1)));
        DistillRun.Outcome outcome = run.run(dir.resolve("sft"));
        assertEquals(3, outcome.train().train().steps());
        assertEquals(32, outcome.trainExamples());
        assertEquals(6, outcome.accuracy().predictions().size());
        JsonObject written = JsonParser.parseString(Files.readString(dir.resolve("sft/config.json")))
                .getAsJsonObject();
        assertEquals(run, DistillRunJson.read(written));
        assertTrue(Files.isRegularFile(dir.resolve("sft/results.json")));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> run.withConfig(run.config().withRegime(Regime.SUPERVISED_KD))
                        .run(dir.resolve("kd")));
        assertTrue(e.getMessage().contains("\"teacher\""), e.getMessage());
        assertFalse(Files.exists(dir.resolve("kd")), "nothing is written when the run cannot start");
    }
}
