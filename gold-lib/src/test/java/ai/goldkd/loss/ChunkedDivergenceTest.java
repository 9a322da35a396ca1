package ai.goldkd.loss;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.goldkd.nd.GcStorm;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** Chunked evaluation and backward agree with the plain graph, through a model's parameters too. */
class ChunkedDivergenceTest {

    @Test
    void chunkedBackwardGivesTheModelTheSameGradientAsThePlainGraph() {
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(3);
            NDArray hidden = m.randomNormal(new Shape(2, 6, 8)); // (B, T, D)
            NDArray weight = m.randomNormal(new Shape(8, 13)).mul(0.5f); // (D, V), the "model"
            NDArray teacher = m.randomNormal(new Shape(2, 6, 13)).mul(2f); // (B, T, V)
            NDArray labels = m.create(new long[] {1, 2, -100, 3, 4, 5, -100, -100, 6, 7, 8, -100}, new Shape(2, 6));
            for (Divergence d : List.of(
                    Divergences.generalizedJsd(0.5f),
                    Divergences.adaptiveKl(0.5f),
                    Divergences.skewReverseKl(0.1f),
                    Taid.at(0.6f))) {
                for (Reduction r : List.of(Reduction.tokenMean(), Reduction.sequenceMean(), Reduction.sumOver(5))) {
                    DivergenceLoss loss = new DivergenceLoss(d, r, 1.5f, -100);
                    NDArray plain = gradient(weight, w -> {
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            NDArray value = loss.compute(hidden.matMul(w), teacher, labels);
                            GcStorm.now(); // what the graph saved for backward must outlive a collection
                            gc.backward(value);
                            return value;
                        }
                    });
                    for (int chunk : new int[] {1, 5, 12, 100}) {
                        NDArray[] chunkedValue = new NDArray[1];
                        NDArray chunked = gradient(weight, w -> {
                            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                                chunkedValue[0] = new ChunkedDivergence(loss, chunk)
                                        .backward(gc, hidden.matMul(w), teacher, labels);
                                return chunkedValue[0];
                            }
                        });
                        String what = d.name() + " " + r.mode() + " chunk " + chunk;
                        Golden.assertClose(plain, chunked, what + " weight gradient");
                    }
                }
            }
        }
    }

    private static NDArray gradient(NDArray weight, java.util.function.Function<NDArray, NDArray> step) {
        NDArray w = weight.duplicate();
        w.setRequiresGradient(true);
        step.apply(w);
        return w.getGradient().duplicate();
    }

    @Test
    void noneHasNoGradientAndSaysWhatToUse() {
        try (NDManager m = NDManager.newBaseManager();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray z = m.zeros(new Shape(1, 2, 3));
            ChunkedDivergence chunked =
                    new ChunkedDivergence(new DivergenceLoss(Divergences.forwardKl(), Reduction.none(), 1f, -100), 2);
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> chunked.valueAndGradient(gc, z, z, m.zeros(new Shape(1, 2))));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("tokenMean()"), e.getMessage());
        }
    }
}
