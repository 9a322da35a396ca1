package ai.goldkd.nd;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Scalar arithmetic keeps its gradient after the garbage collector has run between forward and backward. */
class ScalarsTest {

    /** d(sum f(x))/dx with a GC storm between forward and backward. */
    private static float[] gradientThroughStorm(BiFunction<NDArray, Float, NDArray> f, float c) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1f, 2f, 3f});
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = f.apply(x, c).sum();
                GcStorm.now();
                gc.backward(y);
            }
            return x.getGradient().toFloatArray();
        }
    }

    @Test
    void gradientsOfScalarOpsSurviveACollection() {
        for (int round = 0; round < 5; round++) {
            assertArrayEquals(
                    new float[] {1 / 1.5f, 1 / 1.5f, 1 / 1.5f},
                    gradientThroughStorm(Scalars::div, 1.5f),
                    1e-6f,
                    "x / 1.5");
            assertArrayEquals(new float[] {3f, 3f, 3f}, gradientThroughStorm(Scalars::mul, 3f), 1e-6f, "x * 3");
            assertArrayEquals(
                    new float[] {0f, 1f, 1f}, gradientThroughStorm(Scalars::maximum, 1.5f), 1e-6f, "max(x, 1.5)");
            assertArrayEquals(
                    new float[] {1f, 0f, 0f}, gradientThroughStorm(Scalars::minimum, 1.5f), 1e-6f, "min(x, 1.5)");
            assertArrayEquals(new float[] {2f, 4f, 6f}, gradientThroughStorm(Scalars::pow, 2f), 1e-5f, "x ^ 2");
            assertArrayEquals(
                    new float[] {2f, 2f, 2f},
                    gradientThroughStorm((x, c) -> Scalars.muli(Scalars.mul(x, 1), c), 2f),
                    1e-6f,
                    "x * 2 in place");
        }
    }

    /**
     * Why the class exists: DJL's own {@code x.div(1.5f)} loses its gradient to the same storm. If this
     * test starts failing, DJL has fixed it and {@link Scalars} may go.
     */
    @Test
    void djlsOwnScalarOpReadsFreedMemoryAfterACollection() {
        int wrong = 0;
        for (int round = 0; round < 5; round++) {
            float g = gradientThroughStorm((x, c) -> x.div(c), 1.5f)[0];
            if (Math.abs(g - 1 / 1.5f) > 1e-6f) {
                wrong++;
            }
        }
        assertEquals(5, wrong, "DJL's x.div(Number) kept its gradient through a GC storm in some rounds");
    }
}
