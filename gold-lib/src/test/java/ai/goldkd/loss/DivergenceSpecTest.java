package ai.goldkd.loss;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The divergence registry: kinds, their parameters as fields, and the JSON form. */
class DivergenceSpecTest {

    private static final List<DivergenceSpec> EVERY_KIND = List.of(
            DivergenceSpec.forwardKl(),
            DivergenceSpec.reverseKl(),
            DivergenceSpec.jsd(0.3f),
            DivergenceSpec.skewKl(0.2f),
            DivergenceSpec.skewReverseKl(0.15f),
            DivergenceSpec.totalVariation(),
            DivergenceSpec.adaptiveKl(0.4f),
            DivergenceSpec.taid(0.4f, Taid.Interpolation.PROBABILITIES));

    @Test
    void everyKindRoundTripsThroughJson() {
        assertEquals(DivergenceKind.values().length, EVERY_KIND.size(), "one spec per kind");
        for (DivergenceSpec spec : EVERY_KIND) {
            JsonObject json = spec.toJson();
            DivergenceSpec back = DivergenceSpec.fromJson(JsonParser.parseString(json.toString()));
            assertEquals(spec, back, json.toString());
            assertEquals(spec.name(), back.name());
        }
    }

    @Test
    void aTwoParameterDivergenceKeepsBothParameters() {
        DivergenceSpec taid = DivergenceSpec.taid(0.4f, Taid.Interpolation.PROBABILITIES);
        JsonObject json = taid.toJson();
        assertEquals("{\"kind\":\"taid\",\"t\":0.4,\"interpolation\":\"probabilities\"}", json.toString());
        DivergenceSpec back = DivergenceSpec.fromJson(json);
        assertEquals(0.4f, back.t());
        assertEquals(Taid.Interpolation.PROBABILITIES, back.interpolation());
        assertNotEquals(DivergenceSpec.taid(0.4f, Taid.Interpolation.LOGITS), back, "the second parameter counts");
        assertEquals(
                Taid.at(0.4f, Taid.Interpolation.PROBABILITIES).name(),
                back.create().name());
    }

    @Test
    void specsMakeTheFactoriesDivergences() {
        assertEquals(Divergences.generalizedJsd(0.3f), DivergenceSpec.jsd(0.3f).create());
        assertEquals(
                Divergences.skewReverseKl(0.15f),
                DivergenceSpec.skewReverseKl(0.15f).create());
        assertEquals(
                Divergences.forwardKl(),
                DivergenceSpec.fromJson(JsonParser.parseString("\"kl\"")).create());
        assertEquals(
                "jsd(beta=0.5)",
                DivergenceSpec.fromJson(JsonParser.parseString("{\"kind\": \"jsd\"}"))
                        .name(),
                "a missing parameter takes the usual value");
        assertEquals(DivergenceKind.SKEW_REVERSE_KL, DivergenceKind.parse("Skew-Reverse-KL"));
    }

    @Test
    void badInputNamesTheValueAndTheFix() {
        assertMessage(
                () -> DivergenceKind.parse("wasserstein"), "wasserstein", "jsd (beta)", "taid (t, interpolation)");
        assertMessage(
                () -> DivergenceSpec.fromJson(JsonParser.parseString("{\"kind\": \"jsd\", \"alpha\": 0.1}")),
                "\"alpha\"",
                "beta");
        assertMessage(() -> DivergenceSpec.fromJson(JsonParser.parseString("{\"name\": \"jsd\"}")), "\"kind\"");
        assertMessage(
                () -> DivergenceSpec.fromJson(JsonParser.parseString("{\"kind\": \"jsd\", \"beta\": \"x\"}")),
                "\"beta\" must be a number");
        assertMessage(() -> DivergenceSpec.jsd(1.5f), "1.5");
        assertMessage(
                () -> new DivergenceSpec(DivergenceKind.REVERSE_KL, 0.5f, Float.NaN, Float.NaN, Float.NaN, null),
                "reverse_kl takes no beta");
        assertMessage(
                () -> DivergenceSpec.fromJson(
                        JsonParser.parseString("{\"kind\": \"taid\", \"interpolation\": \"cubic\"}")),
                "cubic",
                "logits");
    }

    private static void assertMessage(Runnable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), e.getMessage() + " should name " + part);
        }
    }
}
