package ai.goldkd.train.distill;

import ai.goldkd.loss.DivergenceKind;
import ai.goldkd.loss.DivergenceSpec;
import ai.goldkd.train.TrainConfig;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DistillationConfigTest {

    static void assertRejects(String value, Runnable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
        assertTrue(e.getMessage().contains(value), "message names " + value + ": " + e.getMessage());
    }

    @Test
    void aMisspeltKeyFailsNamingItAndTheNearestKnownOnes() {
        IllegalArgumentException top = assertThrows(
                IllegalArgumentException.class,
                () -> DistillationJson.read(
                        JsonParser.parseString("{\"regmie\": \"sft\"}").getAsJsonObject()));
        assertTrue(
                top.getMessage().contains("unknown key 'regmie'")
                        && top.getMessage().contains("nearest: regime"),
                top.getMessage());
        IllegalArgumentException nested = assertThrows(
                IllegalArgumentException.class,
                () -> DistillationJson.read(
                        JsonParser.parseString("{\"train\": {\"maxStpes\": 5}}").getAsJsonObject()));
        assertTrue(
                nested.getMessage().startsWith("train: unknown key 'maxStpes'")
                        && nested.getMessage().contains("nearest: maxSteps"),
                nested.getMessage());
    }

    @Test
    void validationNamesTheBadValue() {
        DistillationConfig d = DistillationConfig.defaults();
        assertRejects("1.5", () -> d.withLambda(1.5f));
        assertRejects("-0.1", () -> d.withLambda(-0.1f));
        assertRejects("0.0", () -> d.withStudentTemperature(0f));
        assertRejects("-2.0", () -> d.withTemperature(-2f));
        assertRejects("0", () -> d.withMaxNewTokens(0));
        assertRejects("-1", () -> d.withChunkSize(-1));
        assertRejects("NaN", () -> d.withRewardWeight(Float.NaN));
        assertRejects("0.5", () -> d.withRegime(Regime.SUPERVISED_KD).withLambda(0.5f));
        DistillationConfig evaluated =
                d.withTrain(TrainConfig.defaults().withEvaluation(50, 0).withBatch(16, 1));
        assertRejects("bufferSize 4", () -> evaluated.withBufferSize(4).withRegime(Regime.ADAPTIVE_OFF_POLICY));
        assertRejects("evalEvery = 0", () -> d.withRegime(Regime.ADAPTIVE_OFF_POLICY));
        assertRejects(
                "1.2", () -> new AdaptiveSchedule.Settings(1.2f, 0.1f, 0.1f, AdaptiveSchedule.ReplayRatio.DECREASING));
        assertRejects("bogus", () -> Regime.parse("bogus"));
    }

    @Test
    void jsonRoundTripsEveryField() {
        DistillationConfig c = DistillationConfig.defaults()
                .withTrain(TrainConfig.defaults().withEvaluation(50, 0))
                .withRegime(Regime.ADAPTIVE_OFF_POLICY)
                .withDivergence(DivergenceSpec.skewReverseKl(0.2f))
                .withTemperature(2f)
                .withStudentTemperature(0.9f)
                .withMaxNewTokens(40)
                .withTeacherTemperature(0.7f)
                .withChunkSize(256)
                .withBufferSize(500)
                .withRewardWeight(0.3f)
                .withTrain(TrainConfig.defaults()
                        .withSteps(300, 10)
                        .withBatch(8, 2)
                        .withSeed(9)
                        .withEvaluation(50, 0))
                .withAdaptive(new AdaptiveSchedule.Settings(0.2f, 0.05f, 0.2f, AdaptiveSchedule.ReplayRatio.CONSTANT));
        JsonObject json = DistillationJson.write(c);
        DistillationConfig back =
                DistillationJson.read(JsonParser.parseString(json.toString()).getAsJsonObject());
        assertEquals(json, DistillationJson.write(back));
        assertEquals("skew_reverse_kl(alpha=0.2)", back.divergence().name());
        assertEquals(c.train(), back.train());
        assertEquals(c.adaptive(), back.adaptive());
    }

    @Test
    void jsonReadsDivergencesByNameAndParameter() {
        assertEquals(
                "jsd(beta=0.5)",
                DivergenceSpec.fromJson(JsonParser.parseString("{\"kind\": \"jsd\", \"beta\": 0.5}"))
                        .name());
        assertEquals(
                "reverse_kl",
                DivergenceSpec.fromJson(JsonParser.parseString("\"reverse_kl\""))
                        .name());
        assertEquals(
                "forward_kl",
                DivergenceSpec.fromJson(JsonParser.parseString("{\"kind\": \"forward_kl\"}"))
                        .name());
        assertRejects("wasserstein", () -> DivergenceKind.parse("wasserstein"));
        assertRejects(
                "lamda",
                () -> DistillationJson.read(
                        JsonParser.parseString("{\"lamda\": 0.5}").getAsJsonObject()));
        DistillationConfig kd = DistillationJson.read(
                JsonParser.parseString("{\"regime\": \"supervised-kd\"}").getAsJsonObject());
        assertEquals(0f, kd.lambda(), "supervised KD defaults to lambda 0");
    }

    @Test
    void adaptiveScheduleFollowsDistiLlm() {
        AdaptiveSchedule s = new AdaptiveSchedule(AdaptiveSchedule.Settings.defaults(), 100);
        assertEquals(AdaptiveSchedule.Source.DATASET, s.decide(0, 0.0, false), "phi starts at 0: data only");
        s.observe(2.0); // the reference, before training
        s.observe(2.05); // up by less than lossEps 0.1
        assertEquals(0f, s.threshold());
        s.observe(2.2); // up by more than 0.1: phi 0.1
        assertEquals(0.1f, s.threshold(), 1e-6);
        s.observe(2.25); // the reference is now 2.2
        assertEquals(0.1f, s.threshold(), 1e-6);
        assertEquals(AdaptiveSchedule.Source.FRESH, s.decide(50, 0.07, false), "u < phi, buffer not full");
        assertEquals(
                AdaptiveSchedule.Source.REPLAY, s.decide(50, 0.07, true), "u >= phi (1 - t/T) = 0.05, buffer full");
        assertEquals(AdaptiveSchedule.Source.FRESH, s.decide(50, 0.04, true), "u < phi (1 - t/T)");
        assertEquals(AdaptiveSchedule.Source.DATASET, s.decide(50, 0.5, true));
        for (int i = 0; i < 20; i++) {
            s.observe(3.0 + i);
        }
        assertEquals(1f, s.threshold(), 1e-6, "capped at 1");
    }

    @Test
    void replayBufferKeepsTheNewestAndSamplesWithoutReplacement() {
        ReplayBuffer b = new ReplayBuffer(3);
        PromptExample e = new PromptExample("p\n", "a", "");
        for (int i = 0; i < 5; i++) {
            b.add(new ReplayBuffer.Entry(e, new int[] {1}, new int[] {i}, 0));
        }
        assertEquals(3, b.size());
        assertTrue(b.full());
        var drawn = b.sample(3, new SplittableRandom(1));
        assertEquals(
                java.util.Set.of(2, 3, 4),
                drawn.stream().map(x -> x.completion()[0]).collect(java.util.stream.Collectors.toSet()));
        assertRejects("4", () -> b.sample(4, new SplittableRandom(1)));
    }
}
