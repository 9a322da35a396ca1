package ai.goldkd.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassifierTest {

    static final TransformerConfig TINY = new TransformerConfig(2, 32, 4, 64, 30, 16, 0f, Positions.LEARNED, true);

    NDManager manager;
    ParameterStore ps;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        ps = new ParameterStore(manager, false);
        Engine.getInstance().setRandomSeed(5);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void labelWordLogitsAreTheLanguageModelsLogitsAtTheLastRealToken() {
        LabelWordClassifier classifier = new LabelWordClassifier(TINY, new int[] {7, 12, 20}).initialize(manager);
        NDArray ids = manager.create(new long[] {1, 4, 5, 6, 0, 0, 1, 8, 9, 10, 11, 13}, new Shape(2, 6));
        NDArray mask = manager.create(new int[] {1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1}, new Shape(2, 6));
        NDArray classes = classifier.classLogits(ps, ids, mask, false); // (2, 3)
        assertEquals(new Shape(2, 3), classes.getShape());
        NDArray lm = classifier.backbone().logits(ps, ids, mask, false); // (2, 6, V)
        float[] row0 = lm.get(new NDIndex().addIndices(0, 3)).toFloatArray();
        float[] row1 = lm.get(new NDIndex().addIndices(1, 5)).toFloatArray();
        assertArrayEquals(
                new float[] {row0[7], row0[12], row0[20], row1[7], row1[12], row1[20]}, classes.toFloatArray(), 1e-5f);
    }

    @Test
    void pooledLogitsIgnorePadding() {
        PooledClassifier classifier = new PooledClassifier(TINY, 2).initialize(manager);
        NDArray alone = classifier.classLogits(
                ps,
                manager.create(new long[] {1, 4, 5}, new Shape(1, 3)),
                manager.create(new int[] {1, 1, 1}, new Shape(1, 3)),
                false);
        NDArray padded = classifier.classLogits(
                ps,
                manager.create(new long[] {1, 4, 5, 0, 0}, new Shape(1, 5)),
                manager.create(new int[] {1, 1, 1, 0, 0}, new Shape(1, 5)),
                false);
        assertArrayEquals(alone.toFloatArray(), padded.toFloatArray(), 1e-5f);
    }

    @Test
    void badLabelWordsAreNamed() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new LabelWordClassifier(TINY, new int[] {7, 7}));
        assertTrue(e.getMessage().contains("distinct"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LabelWordClassifier(TINY, new int[] {7, 30}));
        assertTrue(e.getMessage().contains("label token 30"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new PooledClassifier(TINY, 1));
        assertTrue(e.getMessage().contains("got 1"), e.getMessage());
    }
}
