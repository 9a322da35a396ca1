package ai.goldkd.loss;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.goldkd.nd.GcStorm;
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
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ULD and the cross-tokenizer loss against make_uld_golden.py, and their behaviour on one model behind two tokenizers. */
class CrossTokenizerLossTest {

    private static NDManager manager;
    private static JsonObject golden;

    @BeforeAll
    static void load() throws IOException {
        manager = NDManager.newBaseManager();
        try (InputStream in = CrossTokenizerLossTest.class.getResourceAsStream("/golden/uld.json")) {
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

    @Test
    void sortedDistanceMatchesTheReferenceWithDifferentVocabularies() {
        NDArray teacher = Golden.floats(manager, golden.get("teacher"));
        for (JsonElement c : golden.getAsJsonArray("per_token")) {
            JsonObject expected = c.getAsJsonObject();
            float ts = expected.get("student_temperature").getAsFloat();
            float tt = expected.get("teacher_temperature").getAsFloat();
            try (NDManager scope = manager.newSubManager()) {
                NDArray z = Golden.floats(scope, golden.get("student"));
                z.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray value = SortedProbabilityDistance.perToken(z, teacher, ts, tt);
                    GcStorm.now();
                    gc.backward(value.sum());
                    Golden.assertClose(Golden.floats(scope, expected.get("values")), value, "ULD T=" + ts + "/" + tt);
                }
                Golden.assertClose(Golden.floats(scope, expected.get("gradient")), z.getGradient(), "ULD gradient");
            }
        }
    }

    @Test
    void alignmentGroupsAndTheSequenceLossMatchTheReference() {
        JsonObject in = golden.getAsJsonObject("sequence_inputs");
        TokenAlignment.Groups groups =
                TokenAlignment.byEndOffsets(ints(in.get("student_ends")), ints(in.get("teacher_ends")));
        JsonArray sg = in.getAsJsonArray("student_groups");
        JsonArray tg = in.getAsJsonArray("teacher_groups");
        assertEquals(sg.size(), groups.size());
        for (int g = 0; g < groups.size(); g++) {
            assertArrayEquals(ints(sg.get(g)), groups.student().get(g));
            assertArrayEquals(ints(tg.get(g)), groups.teacher().get(g));
        }
        NDArray teacher = Golden.floats(manager, in.get("teacher_logits"));
        for (JsonElement c : golden.getAsJsonArray("sequences")) {
            JsonObject expected = c.getAsJsonObject();
            CrossTokenizerLoss loss = new CrossTokenizerLoss(
                    expected.get("student_temperature").getAsFloat(),
                    expected.get("teacher_temperature").getAsFloat());
            try (NDManager scope = manager.newSubManager()) {
                NDArray z = Golden.floats(scope, in.get("student_logits"));
                z.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray value = loss.sequence(
                            z,
                            ints(in.get("student_tokens")),
                            ints(in.get("student_ends")),
                            teacher,
                            ints(in.get("teacher_tokens")),
                            ints(in.get("teacher_ends")));
                    GcStorm.now();
                    gc.backward(value);
                    Golden.assertClose(expected.get("value").getAsDouble(), value, "cross-tokenizer loss");
                }
                Golden.assertClose(Golden.floats(scope, expected.get("gradient")), z.getGradient(), "its gradient");
            }
        }
    }

    @Test
    void oneModelBehindTwoTokenizersIsAtZeroAndTrainingReducesTheLoss() {
        // The teacher is the student's distribution with its vocabulary renamed (ids reversed): the same model
        // behind another tokenizer of the same text, which splits the same tokens with other ids.
        int t = 6;
        int v = 10;
        int[] ends = {1, 3, 4, 7, 8, 10};
        int[] studentTokens = {1, 4, 2, 9, 0, 5};
        int[] teacherTokens = new int[t];
        for (int i = 0; i < t; i++) {
            teacherTokens[i] = v - 1 - studentTokens[i];
        }
        manager.getEngine().setRandomSeed(11);
        NDArray model = manager.randomNormal(new Shape(t, v)).mul(2);
        NDArray renamed = model.flip(1);
        CrossTokenizerLoss loss = CrossTokenizerLoss.defaults();
        float same = loss.sequence(model, studentTokens, ends, renamed, teacherTokens, ends)
                .getFloat();
        assertTrue(same < 1e-6f, "the same model behind two tokenizers: " + same);

        NDArray student = manager.randomNormal(new Shape(t, v));
        float first = Float.NaN;
        float last = Float.NaN;
        for (int step = 0; step < 60; step++) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray z = student.duplicate();
                scope.tempAttachAll(z);
                z.setRequiresGradient(true);
                float value;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray l = loss.sequence(z, studentTokens, ends, renamed, teacherTokens, ends);
                    gc.backward(l);
                    value = l.getFloat();
                }
                student.subi(Scalars.mul(z.getGradient(), 2.0));
                first = step == 0 ? value : first;
                last = value;
            }
        }
        assertTrue(last < 0.5f * first, "training lowers the cross-tokenizer loss: " + first + " -> " + last);
    }

    @Test
    void textsThatShareNoSpanAreRefused() {
        NDArray a = manager.zeros(new Shape(2, 4));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> CrossTokenizerLoss.defaults()
                        .sequence(a, new int[] {0, 1}, new int[] {1, 2}, a, new int[] {0, 1}, new int[0]));
        assertTrue(e.getMessage().contains("same") || e.getMessage().contains("match"), e.getMessage());
        assertEquals(
                List.of(),
                TokenAlignment.byEndOffsets(new int[] {1, 2}, new int[0]).student());
    }
}
