package ai.goldkd.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CausalLmTest {

    static final TransformerConfig TINY = new TransformerConfig(2, 32, 4, 64, 50, 16, 0f, Positions.LEARNED, true);

    NDManager manager;
    ParameterStore ps;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        ps = new ParameterStore(manager, false);
        ai.djl.engine.Engine.getInstance().setRandomSeed(7);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    CausalLm model(Positions positions) {
        return new CausalLm(TINY.withPositions(positions)).initialize(manager);
    }

    NDArray ids(long[] values, int batch) {
        return manager.create(values, new Shape(batch, values.length / batch));
    }

    @ParameterizedTest
    @EnumSource(Positions.class)
    void changingAFutureTokenLeavesEarlierLogitsUnchanged(Positions positions) {
        CausalLm lm = model(positions);
        long[] a = {1, 5, 9, 13, 17, 21, 25, 29};
        long[] b = a.clone();
        b[5] = 42;
        NDArray la = lm.logits(ps, ids(a, 1), null, false);
        NDArray lb = lm.logits(ps, ids(b, 1), null, false);
        NDIndex before = new NDIndex().addAllDim().addSliceDim(0, 5);
        NDIndex after = new NDIndex().addAllDim().addSliceDim(5, 8);
        assertArrayEquals(la.get(before).toFloatArray(), lb.get(before).toFloatArray(), 0f);
        assertTrue(la.get(after).sub(lb.get(after)).abs().max().getFloat() > 1e-4f, "position 5 onward must change");
    }

    @ParameterizedTest
    @EnumSource(Positions.class)
    void cachedDecodingGivesTheSameLogits(Positions positions) {
        CausalLm lm = model(positions);
        long[] seq = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3};
        NDArray full = lm.logits(ps, ids(seq, 1), null, false); // (1, 10, V)
        KvCache cache = lm.newCache(manager, 1, 16);
        NDArray first = lm.step(ps, ids(new long[] {3, 1, 4, 1}, 1), new boolean[][] {{true, true, true, true}}, cache);
        assertArrayEquals(
                full.get(new NDIndex().addAllDim().addIndices(3)).toFloatArray(), first.toFloatArray(), 1e-5f);
        for (int t = 4; t < seq.length; t++) {
            NDArray next = lm.step(ps, ids(new long[] {seq[t]}, 1), new boolean[][] {{true}}, cache);
            assertArrayEquals(
                    full.get(new NDIndex().addAllDim().addIndices(t)).toFloatArray(),
                    next.toFloatArray(),
                    1e-4f,
                    "position " + t);
        }
    }

    @ParameterizedTest
    @EnumSource(Positions.class)
    void leftPaddingDoesNotChangeARowsLogits(Positions positions) {
        CausalLm lm = model(positions);
        NDArray alone = lm.logits(ps, ids(new long[] {7, 8, 9}, 1), null, false); // (1, 3, V)
        NDArray batch = ids(new long[] {0, 0, 7, 8, 9, 1, 2, 3, 4, 5}, 2); // row 0 left-padded
        NDArray mask = manager.create(new int[] {0, 0, 1, 1, 1, 1, 1, 1, 1, 1}, new Shape(2, 5));
        NDArray padded = lm.logits(ps, batch, mask, false);
        NDArray row = padded.get(new NDIndex().addSliceDim(0, 1).addSliceDim(2, 5));
        assertArrayEquals(alone.toFloatArray(), row.toFloatArray(), 1e-4f);

        KvCache cache = lm.newCache(manager, 2, 8);
        NDArray last = lm.step(
                ps, batch, new boolean[][] {{false, false, true, true, true}, {true, true, true, true, true}}, cache);
        assertArrayEquals(
                alone.get(new NDIndex().addAllDim().addIndices(2)).toFloatArray(),
                last.get(new NDIndex().addSliceDim(0, 1)).toFloatArray(),
                1e-4f);
        NDArray next = lm.step(ps, ids(new long[] {11, 12}, 2), new boolean[][] {{true}, {true}}, cache);
        NDArray aloneNext = lm.logits(ps, ids(new long[] {7, 8, 9, 11}, 1), null, false);
        assertArrayEquals(
                aloneNext.get(new NDIndex().addAllDim().addIndices(3)).toFloatArray(),
                next.get(new NDIndex().addSliceDim(0, 1)).toFloatArray(),
                1e-4f);
    }

    @Test
    void logitsHaveTheVocabularyShape() {
        NDArray logits = model(Positions.LEARNED).logits(ps, ids(new long[] {1, 2, 3, 4, 5, 6}, 2), null, false);
        assertEquals(new Shape(2, 3, 50), logits.getShape());
        assertEquals(DataType.FLOAT32, logits.getDataType());
    }

    @Test
    void sequencesLongerThanTheContextAreRefused() {
        CausalLm lm = model(Positions.LEARNED);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> lm.logits(ps, ids(new long[17], 1), null, false));
        assertTrue(e.getMessage().contains("17 tokens") && e.getMessage().contains("context 16"), e.getMessage());
    }

    @Test
    void configErrorsNameTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TINY.withHeads(5));
        assertTrue(e.getMessage().contains("dim 32 is not divisible by heads 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TINY.withDropout(1.5f));
        assertTrue(e.getMessage().contains("1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TINY.withLayers(0));
        assertTrue(e.getMessage().contains("layers must be positive, got 0"), e.getMessage());
    }
}
