package ai.goldkd.loss;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.goldkd.nd.GcStorm;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Top-k + tail divergences against make_topk_golden.py's dense computation on the restricted support. */
class TopKDivergencesTest {

    private static NDManager manager;
    private static JsonObject golden;
    private static NDArray student;
    private static NDArray teacher;

    @BeforeAll
    static void load() throws IOException {
        manager = NDManager.newBaseManager();
        try (InputStream in = TopKDivergencesTest.class.getResourceAsStream("/golden/topk.json")) {
            golden = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                    .getAsJsonObject();
        }
        student = Golden.floats(manager, golden.get("student"));
        teacher = Golden.floats(manager, golden.get("teacher"));
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static TopKDivergences.TopKDivergence of(String name) {
        return switch (name) {
            case "forward" -> TopKDivergences.forwardKl();
            case "reverse" -> TopKDivergences.reverseKl();
            default -> TopKDivergences.generalizedJsd(Float.parseFloat(name.split("=")[1]));
        };
    }

    @Test
    void valuesAndGradientsMatchTheRestrictedDenseReference() {
        int checked = 0;
        for (JsonElement c : golden.getAsJsonArray("cases")) {
            JsonObject expected = c.getAsJsonObject();
            int k = expected.get("k").getAsInt();
            float temperature = expected.get("temperature").getAsFloat();
            String name = expected.get("divergence").getAsString();
            String what = name + " k=" + k + " T=" + temperature;
            try (NDManager scope = manager.newSubManager()) {
                NDArray z = student.duplicate();
                scope.tempAttachAll(z);
                z.setRequiresGradient(true);
                TopKDistribution top = TopKDistribution.ofLogits(teacher, k, temperature);
                scope.tempAttachAll(top.ids(), top.logProbs());
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray value = of(name).perToken(z, top, temperature);
                    GcStorm.now(); // what the graph saved for backward must outlive a collection
                    gc.backward(value.sum());
                    Golden.assertClose(Golden.floats(scope, expected.get("values")), value, what + " values");
                }
                Golden.assertClose(Golden.floats(scope, expected.get("gradient")), z.getGradient(), what + " gradient");
                checked++;
            }
        }
        assertEquals(30, checked);
    }

    @Test
    void withTheWholeVocabularyEachEqualsItsDenseDivergence() {
        long vocab = teacher.getShape().tail();
        List<Object[]> pairs = List.of(
                new Object[] {TopKDivergences.forwardKl(), Divergences.forwardKl()},
                new Object[] {TopKDivergences.reverseKl(), Divergences.reverseKl()},
                new Object[] {TopKDivergences.generalizedJsd(0.5f), Divergences.generalizedJsd(0.5f)},
                new Object[] {TopKDivergences.generalizedJsd(0.9f), Divergences.generalizedJsd(0.9f)});
        for (Object[] pair : pairs) {
            TopKDivergences.TopKDivergence sparse = (TopKDivergences.TopKDivergence) pair[0];
            Divergence dense = (Divergence) pair[1];
            for (float temperature : new float[] {1f, 2f}) {
                try (NDManager scope = manager.newSubManager()) {
                    NDArray zs = student.duplicate();
                    NDArray zd = student.duplicate();
                    scope.tempAttachAll(zs, zd);
                    zs.setRequiresGradient(true);
                    zd.setRequiresGradient(true);
                    TopKDistribution top = TopKDistribution.ofLogits(teacher, (int) vocab, temperature);
                    scope.tempAttachAll(top.ids(), top.logProbs());
                    NDArray a;
                    NDArray b;
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        a = sparse.perToken(zs, top, temperature);
                        gc.backward(a.sum());
                    }
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        b = dense.perToken(zd, teacher, temperature);
                        gc.backward(b.sum());
                    }
                    String what = sparse.name() + " T=" + temperature;
                    assertTrue(a.sub(b).abs().max().getFloat() < 1e-5f, what + ": " + a + " vs " + b);
                    assertTrue(
                            zs.getGradient().sub(zd.getGradient()).abs().max().getFloat() < 1e-5f, what + " gradient");
                }
            }
        }
    }

    @Test
    void aStudentEqualToTheTeacherIsAtZeroForAnyK() {
        for (int k : new int[] {1, 4, 11}) {
            try (NDManager scope = manager.newSubManager()) {
                TopKDistribution top = TopKDistribution.ofLogits(teacher, k, 1f);
                scope.tempAttachAll(top.ids(), top.logProbs());
                for (TopKDivergences.TopKDivergence d : List.of(
                        TopKDivergences.forwardKl(),
                        TopKDivergences.reverseKl(),
                        TopKDivergences.generalizedJsd(0.5f))) {
                    float worst = d.perToken(teacher, top, 1f).abs().max().getFloat();
                    assertTrue(worst < 1e-6f, d.name() + " k=" + k + ": " + worst);
                }
                NDArray tail = top.tailMass();
                assertTrue(k < 11 ? tail.min().getFloat() > 0f : tail.max().getFloat() < 1e-6f, "tail " + tail);
            }
        }
    }

    @Test
    void mismatchedPositionsAndBadKAreRefused() {
        TopKDistribution top = TopKDistribution.ofLogits(teacher, 3, 1f);
        NDArray other = student.get("0:1");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> TopKDivergences.forwardKl().perToken(other, top, 1f));
        assertTrue(e.getMessage().contains("not for the same positions"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TopKDistribution.ofLogits(teacher, 12, 1f));
        assertTrue(e.getMessage().contains("top-k 12 must be in [1, 11]"), e.getMessage());
    }
}
