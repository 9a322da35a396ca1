package ai.goldkd.loss;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.goldkd.nd.Scalars;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hybrid cross-tokenizer loss against make_hybrid_golden.py, and on one model behind two tokenizers. */
class HybridCrossTokenizerLossTest {

    private static NDManager manager;
    private static JsonObject golden;

    @BeforeAll
    static void load() throws IOException {
        manager = NDManager.newBaseManager();
        try (InputStream in = HybridCrossTokenizerLossTest.class.getResourceAsStream("/golden/hybrid.json")) {
            golden = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                    .getAsJsonObject();
        }
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static int[] ints(JsonElement e) {
        JsonArray a = e.getAsJsonArray();
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsInt();
        }
        return out;
    }

    private static Divergence divergence(String name) {
        return switch (name) {
            case "forward" -> Divergences.forwardKl();
            case "reverse" -> Divergences.reverseKl();
            default -> Divergences.generalizedJsd(Float.parseFloat(name.substring("jsd=".length())));
        };
    }

    @Test
    void matchesTheReferenceForEachDivergenceAndWeight() {
        VocabularyMatch match = new VocabularyMatch(
                ints(golden.get("match_teacher")),
                ints(golden.get("match_student")),
                golden.get("teacher_vocab").getAsInt(),
                golden.get("student_vocab").getAsInt());
        NDArray teacher = Golden.floats(manager, golden.get("teacher_logits"));
        for (JsonElement c : golden.getAsJsonArray("cases")) {
            JsonObject expected = c.getAsJsonObject();
            float weight = expected.get("matched_weight").isJsonNull()
                    ? Float.NaN
                    : expected.get("matched_weight").getAsFloat();
            HybridCrossTokenizerLoss loss = new HybridCrossTokenizerLoss(
                    divergence(expected.get("divergence").getAsString()),
                    expected.get("student_temperature").getAsFloat(),
                    expected.get("teacher_temperature").getAsFloat(),
                    weight);
            String what = expected.get("divergence").getAsString() + " w=" + weight;
            try (NDManager scope = manager.newSubManager()) {
                NDArray z = Golden.floats(scope, golden.get("student_logits"));
                z.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray value = loss.sequence(
                            z,
                            ints(golden.get("student_tokens")),
                            ints(golden.get("student_ends")),
                            teacher,
                            ints(golden.get("teacher_tokens")),
                            ints(golden.get("teacher_ends")),
                            match);
                    gc.backward(value);
                    Golden.assertClose(expected.get("value").getAsDouble(), value, "hybrid " + what);
                }
                Golden.assertClose(Golden.floats(scope, expected.get("gradient")), z.getGradient(), "gradient " + what);
            }
        }
    }

    @Test
    void vocabulariesAreMatchedByTokenText() {
        String[] teacher = {"a", "b", "c", "dd", "b"};
        String[] student = {"c", "x", "a", "b", "a"};
        VocabularyMatch m = VocabularyMatch.byText(i -> teacher[i], teacher.length, i -> student[i], student.length);
        assertArrayEquals(new int[] {0, 1, 2}, m.teacher());
        assertArrayEquals(new int[] {2, 3, 0}, m.student(), "a -> 2 (its lowest id), b -> 3, c -> 0");
        assertArrayEquals(new int[] {3, 4}, m.teacherUnmatched());
        assertArrayEquals(new int[] {1, 4}, m.studentUnmatched());
        assertEquals(
                3 / 5f, new HybridCrossTokenizerLoss(Divergences.generalizedJsd(0.5f), 1f, 1f, Float.NaN).weight(m));
    }

    @Test
    void oneModelBehindTwoTokenizersIsAtZeroAndTrainingReducesTheLoss() {
        // The teacher is the student's model with its vocabulary renamed (ids reversed) and three of its ten
        // token texts changed: the same model behind another tokenizer of the same text, 7 tokens shared.
        int t = 6;
        int v = 10;
        int[] ends = {1, 3, 4, 7, 8, 10};
        int[] studentTokens = {1, 4, 2, 9, 0, 5};
        int[] teacherTokens = new int[t];
        for (int i = 0; i < t; i++) {
            teacherTokens[i] = v - 1 - studentTokens[i];
        }
        String[] studentText = new String[v];
        String[] teacherText = new String[v];
        for (int i = 0; i < v; i++) {
            studentText[i] = "tok" + i;
            teacherText[v - 1 - i] = i < 3 ? "other" + i : "tok" + i;
        }
        VocabularyMatch match = VocabularyMatch.byText(i -> teacherText[i], v, i -> studentText[i], v);
        assertEquals(7, match.size());
        manager.getEngine().setRandomSeed(12);
        NDArray model = manager.randomNormal(new Shape(t, v)).mul(2);
        NDArray renamed = model.flip(1);
        HybridCrossTokenizerLoss loss =
                new HybridCrossTokenizerLoss(Divergences.generalizedJsd(0.5f), 1f, 1f, Float.NaN);
        float same = loss.sequence(model, studentTokens, ends, renamed, teacherTokens, ends, match)
                .getFloat();
        assertTrue(same < 1e-6f, "the same model behind two tokenizers: " + same);

        NDArray student = manager.randomNormal(new Shape(t, v));
        float first = Float.NaN;
        float last = Float.NaN;
        for (int step = 0; step < 80; step++) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray z = student.duplicate();
                scope.tempAttachAll(z);
                z.setRequiresGradient(true);
                float value;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray l = loss.sequence(z, studentTokens, ends, renamed, teacherTokens, ends, match);
                    gc.backward(l);
                    value = l.getFloat();
                }
                student.subi(Scalars.mul(z.getGradient(), 2.0));
                first = step == 0 ? value : first;
                last = value;
            }
        }
        assertTrue(last < 0.5f * first, "training lowers the hybrid loss: " + first + " -> " + last);
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new HybridCrossTokenizerLoss(null, 1f, 1f, Float.NaN));
        IllegalArgumentException w = assertThrows(
                IllegalArgumentException.class,
                () -> new HybridCrossTokenizerLoss(Divergences.forwardKl(), 1f, 1f, 1.5f));
        assertTrue(w.getMessage().contains("1.5"), w.getMessage());
    }
}
