package ai.goldkd.loss;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.goldkd.nd.GcStorm;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

/** Every divergence and reduction against PyTorch's values (golden/make_golden.py). */
class GoldenDivergencesTest {

    private static final Map<String, Divergence> DIVERGENCES = Map.ofEntries(
            Map.entry("forward_kl", Divergences.forwardKl()),
            Map.entry("reverse_kl", Divergences.reverseKl()),
            Map.entry("jsd_0.0", Divergences.generalizedJsd(0f)),
            Map.entry("jsd_0.1", Divergences.generalizedJsd(0.1f)),
            Map.entry("jsd_0.5", Divergences.generalizedJsd(0.5f)),
            Map.entry("jsd_0.9", Divergences.generalizedJsd(0.9f)),
            Map.entry("jsd_1.0", Divergences.generalizedJsd(1f)),
            Map.entry("skew_kl_0.1", Divergences.skewKl(0.1f)),
            Map.entry("skew_reverse_kl_0.1", Divergences.skewReverseKl(0.1f)),
            Map.entry("total_variation", Divergences.totalVariation()),
            Map.entry("adaptive_kl_0.5", Divergences.adaptiveKl(0.5f)),
            Map.entry("taid_0.4_logits", Taid.at(0.4f)),
            Map.entry("taid_0.4_probabilities", Taid.at(0.4f, Taid.Interpolation.PROBABILITIES)));

    private static JsonObject golden;
    private static NDManager manager;
    private static NDArray student;
    private static NDArray teacher;
    private static NDArray labels;
    private static long itemCount;

    @BeforeAll
    static void load() {
        golden = Golden.load();
        manager = NDManager.newBaseManager();
        student = Golden.floats(manager, golden.get("student"));
        teacher = Golden.floats(manager, golden.get("teacher"));
        labels = Golden.longs(manager, golden.get("labels"));
        itemCount = golden.get("item_count").getAsLong();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void everyDivergenceMatchesPyTorchPerTokenAndReduced() {
        JsonObject all = golden.getAsJsonObject("divergences");
        for (String name : all.keySet()) {
            Divergence divergence = DIVERGENCES.get(name);
            for (String t : all.getAsJsonObject(name).keySet()) {
                JsonObject expected = all.getAsJsonObject(name).getAsJsonObject(t);
                float temperature = Float.parseFloat(t);
                String what = name + " at T=" + t;
                try (NDManager scope = manager.newSubManager()) {
                    NDArray perToken = divergence.perToken(student, teacher, temperature);
                    scope.tempAttachAll(perToken);
                    Golden.assertClose(Golden.floats(scope, expected.get("per_token")), perToken, what + " per token");
                    check(expected, "token_mean", Reduction.tokenMean(), divergence, temperature, what);
                    check(expected, "sequence_mean", Reduction.sequenceMean(), divergence, temperature, what);
                    check(expected, "sum", Reduction.sum(), divergence, temperature, what);
                    check(expected, "sum_over_items", Reduction.sumOver(itemCount), divergence, temperature, what);
                    NDArray none = new DivergenceLoss(divergence, Reduction.none(), temperature, -100)
                            .compute(student, teacher, labels);
                    scope.tempAttachAll(none);
                    Golden.assertClose(Golden.floats(scope, expected.get("none")), none, what + " none");
                    // chunked evaluation gives the same values, whatever the chunk size
                    for (int chunk : new int[] {1, 4, 15}) {
                        NDArray chunked = new ChunkedDivergence(
                                        new DivergenceLoss(divergence, Reduction.sequenceMean(), temperature, -100),
                                        chunk)
                                .evaluate(student, teacher, labels);
                        scope.tempAttachAll(chunked);
                        Golden.assertClose(
                                expected.get("sequence_mean").getAsDouble(),
                                chunked,
                                what + " chunked(" + chunk + ") sequence mean");
                    }
                }
            }
        }
    }

    private static void check(
            JsonObject expected,
            String key,
            Reduction reduction,
            Divergence divergence,
            float temperature,
            String what) {
        NDArray value = new DivergenceLoss(divergence, reduction, temperature, Reduction.IGNORE_INDEX)
                .compute(student, teacher, labels);
        try {
            Golden.assertClose(expected.get(key).getAsDouble(), value, what + " " + key);
        } finally {
            value.close();
        }
    }

    @Test
    void gradientsMatchPyTorchAutograd() {
        JsonObject all = golden.getAsJsonObject("gradients");
        for (String name : all.keySet()) {
            JsonObject expected = all.getAsJsonObject(name);
            float temperature = expected.get("temperature").getAsFloat();
            DivergenceLoss loss = new DivergenceLoss(DIVERGENCES.get(name), Reduction.tokenMean(), temperature, -100);
            try (NDManager scope = manager.newSubManager()) {
                NDArray z = student.duplicate();
                scope.tempAttachAll(z);
                z.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray value = loss.compute(z, teacher, labels);
                    GcStorm.now(); // what the graph saved for backward must outlive a collection
                    gc.backward(value);
                    Golden.assertClose(expected.get("token_mean").getAsDouble(), value, name + " value");
                }
                NDArray want = Golden.floats(scope, expected.get("grad"));
                Golden.assertClose(want, z.getGradient(), name + " gradient");
                // chunked: the same gradient, written into a buffer chunk by chunk
                NDArray zc = student.duplicate();
                scope.tempAttachAll(zc);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    ChunkedDivergence.LossAndGradient result =
                            new ChunkedDivergence(loss, 4).valueAndGradient(gc, zc, teacher, labels);
                    scope.tempAttachAll(result.loss(), result.gradient());
                    Golden.assertClose(
                            expected.get("token_mean").getAsDouble(), result.loss(), name + " chunked value");
                    Golden.assertClose(want, result.gradient(), name + " chunked gradient");
                }
            }
        }
    }

    @Test
    void adaptiveKlPutsTheCrossingTokenInTheTailAsTheAuthorsGetRatioDoes() {
        JsonObject crossing = golden.getAsJsonObject("adaptive_kl_crossing");
        try (NDManager scope = manager.newSubManager()) {
            NDArray want = Golden.floats(scope, crossing.get("per_token"));
            NDArray other = Golden.floats(scope, crossing.get("ascending_split"));
            // the fixture only tells the splits apart if they disagree on its first position
            float apart = Math.abs(want.getFloat(0) - other.getFloat(0));
            org.junit.jupiter.api.Assertions.assertTrue(apart > 0.1f, "crossing fixture too weak: " + apart);
            NDArray got = Divergences.adaptiveKl(crossing.get("mu").getAsFloat())
                    .perToken(
                            Golden.floats(scope, crossing.get("student")),
                            Golden.floats(scope, crossing.get("teacher")),
                            crossing.get("temperature").getAsFloat());
            scope.tempAttachAll(got);
            Golden.assertClose(want, got, "adaptive_kl crossing token");
        }
    }
}
