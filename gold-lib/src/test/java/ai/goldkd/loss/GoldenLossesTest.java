package ai.goldkd.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

/** Cross-entropy, Hinton KD, symmetric CE and TAID's schedule against golden/make_golden.py. */
class GoldenLossesTest {

    private final JsonObject golden = Golden.load();

    @Test
    void crossEntropyMatchesTorchWithIgnoreIndex() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = Golden.floats(m, golden.get("student"));
            NDArray labels = Golden.longs(m, golden.get("labels"));
            JsonObject expected = golden.getAsJsonObject("cross_entropy");
            Golden.assertClose(
                    Golden.floats(m, expected.get("per_token")),
                    CrossEntropyLoss.perToken(logits, labels, -100),
                    "CE per token");
            Golden.assertClose(
                    expected.get("token_mean").getAsDouble(),
                    CrossEntropyLoss.tokenMean().evaluate(new NDList(labels), new NDList(logits)),
                    "CE token mean");
        }
    }

    @Test
    void hintonKdMatchesTorch() {
        try (NDManager m = NDManager.newBaseManager()) {
            JsonObject cls = golden.getAsJsonObject("classifier");
            JsonObject expected = cls.getAsJsonObject("hinton");
            NDArray student = Golden.floats(m, cls.get("student"));
            NDArray teacher = Golden.floats(m, cls.get("teacher"));
            NDArray labels = Golden.longs(m, cls.get("labels"));
            HintonKdLoss loss = HintonKdLoss.of(
                    expected.get("alpha").getAsFloat(),
                    expected.get("temperature").getAsFloat());
            Golden.assertClose(
                    Golden.floats(m, expected.get("per_example")),
                    loss.perToken(student, teacher, labels),
                    "Hinton per example");
            Golden.assertClose(
                    expected.get("mean").getAsDouble(),
                    loss.evaluate(new NDList(labels, teacher), new NDList(student)),
                    "Hinton mean");
        }
    }

    @Test
    void symmetricCrossEntropyMatchesTheClampedOneHotForm() {
        try (NDManager m = NDManager.newBaseManager()) {
            JsonObject cls = golden.getAsJsonObject("classifier");
            JsonObject expected = cls.getAsJsonObject("sce");
            NDArray logits = Golden.floats(m, cls.get("student"));
            NDArray labels = Golden.longs(m, cls.get("labels"));
            SymmetricCrossEntropyLoss loss = SymmetricCrossEntropyLoss.of(
                    expected.get("alpha").getAsFloat(), expected.get("beta").getAsFloat());
            Golden.assertClose(
                    Golden.floats(m, expected.get("per_example")), loss.perToken(logits, labels), "SCE per example");
            Golden.assertClose(
                    expected.get("mean").getAsDouble(),
                    loss.evaluate(new NDList(labels), new NDList(logits)),
                    "SCE mean");
        }
    }

    @Test
    void taidScheduleFollowsTheReleasedUpdateRule() {
        JsonObject expected = golden.getAsJsonObject("taid_schedule");
        JsonArray losses = expected.getAsJsonArray("losses");
        for (String[] keys : new String[][] {{"total_steps", "t"}, {"total_steps_long", "t_long"}}) {
            TaidSchedule schedule = TaidSchedule.defaults();
            long total = expected.get(keys[0]).getAsLong();
            JsonArray ts = expected.getAsJsonArray(keys[1]);
            for (int i = 0; i < losses.size(); i++) {
                float t = schedule.update(losses.get(i).getAsDouble(), i + 1, total);
                Golden.assertClose(ts.get(i).getAsDouble(), t, "t after step " + (i + 1) + " of " + total);
            }
        }
    }
}
