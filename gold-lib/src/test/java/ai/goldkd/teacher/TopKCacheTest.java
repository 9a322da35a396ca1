package ai.goldkd.teacher;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.goldkd.loss.TopKDistribution;
import ai.goldkd.nd.HalfFloats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The teacher-logits cache: what goes in comes out (log-probabilities as halves), and a cut record is dropped. */
class TopKCacheTest {

    @TempDir
    Path dir;

    private static final TopKCache.Meta META = new TopKCache.Meta(1, "tiny-teacher", "sha256:abc", 300, 20, 1f);

    private static int[] tokens(int t, int salt) {
        int[] out = new int[t];
        for (int i = 0; i < t; i++) {
            out[i] = (i * 37 + salt) % 300;
        }
        return out;
    }

    @Test
    void storesAndReadsBackEverySequence() {
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine().setRandomSeed(3);
            NDArray[] logits = new NDArray[3];
            try (TopKCache cache = TopKCache.create(dir.resolve("c"), META)) {
                for (int s = 0; s < 3; s++) {
                    logits[s] = manager.randomNormal(new Shape(5 + s, 300)).mul(3);
                    cache.put(s, tokens(5 + s, s), TopKDistribution.ofLogits(logits[s], 20, 1f));
                }
                assertEquals(
                        3 + 5 * 20 + 16.0 / 6,
                        cache.bytesPerToken(),
                        1e-9,
                        "3 + 5k bytes per token, plus 16 bytes of record head and length per sequence");
            }
            try (TopKCache cache = TopKCache.open(dir.resolve("c"))) {
                assertEquals(META, cache.meta());
                for (int s = 0; s < 3; s++) {
                    TopKDistribution want = TopKDistribution.ofLogits(logits[s], 20, 1f);
                    TopKCache.Entry entry = cache.get(s);
                    assertArrayEquals(tokens(5 + s, s), entry.tokens());
                    long[] ids = want.ids().toLongArray();
                    float[] lp = want.logProbs().toFloatArray();
                    for (int i = 0; i < ids.length; i++) {
                        assertEquals(ids[i], entry.ids()[i]);
                        assertEquals(HalfFloats.toFloat(HalfFloats.of(lp[i])), entry.logProbs()[i]);
                    }
                    TopKDistribution back = entry.distribution(manager, 20);
                    assertEquals(new Shape(5 + s, 20), back.ids().getShape());
                }
            }
        }
    }

    @Test
    void aRecordCutShortByAKilledWriterIsDroppedAndRewritten() throws IOException {
        Path c = dir.resolve("cut");
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.randomNormal(new Shape(4, 300));
            try (TopKCache cache = TopKCache.create(c, META)) {
                cache.put(0, tokens(4, 0), TopKDistribution.ofLogits(logits, 20, 1f));
                cache.put(1, tokens(4, 1), TopKDistribution.ofLogits(logits, 20, 1f));
            }
            try (FileChannel data = FileChannel.open(c.resolve(TopKCache.DATA), StandardOpenOption.WRITE)) {
                data.truncate(data.size() - 7); // as if the process died inside the second record
            }
            try (TopKCache cache = TopKCache.create(c, META)) {
                assertTrue(cache.has(0));
                assertFalse(cache.has(1), "the cut record is not read as a sequence");
                cache.put(1, tokens(4, 1), TopKDistribution.ofLogits(logits, 20, 1f));
            }
            try (TopKCache cache = TopKCache.open(c)) {
                assertEquals(2, cache.size());
                assertArrayEquals(tokens(4, 1), cache.get(1).tokens());
            }
        }
    }

    @Test
    void anotherTeacherOrKInTheSameDirectoryIsRefused() {
        try (TopKCache cache = TopKCache.create(dir.resolve("m"), META)) {
            assertEquals(0, cache.size());
        }
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> TopKCache.create(
                        dir.resolve("m"), new TopKCache.Meta(1, "tiny-teacher", "sha256:abc", 300, 8, 1f)));
        assertTrue(e.getMessage().contains("already holds a cache"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TopKCache.open(dir.resolve("none")));
        assertTrue(e.getMessage().contains("gold teacher logits"), e.getMessage());
    }
}
