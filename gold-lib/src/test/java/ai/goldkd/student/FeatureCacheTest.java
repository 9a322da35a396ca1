package ai.goldkd.student;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The disk cache of a frozen encoder's features: across instances, crashes, encoders and widths. */
class FeatureCacheTest {

    @TempDir
    Path tmp;

    private static float[] row(float seed) {
        return new float[] {seed, -seed, seed * 0.5f};
    }

    @Test
    void whatOneInstanceWritesTheNextReadsAndAStoppedWriteLosesOnlyItsLastRecord() throws IOException {
        try (FeatureCache first = FeatureCache.open(tmp, "enc", 3)) {
            assertNull(first.get("a"));
            first.put(List.of("a", "b"), new float[][] {row(1), row(2)});
            first.put(List.of("b", "c"), new float[][] {row(9), row(3)}); // b is kept as first written
            assertArrayEquals(row(2), first.get("b"));
            assertEquals(3, first.size());
        }
        try (FeatureCache second = FeatureCache.open(tmp, "enc", 3)) {
            assertEquals(3, second.size());
            assertArrayEquals(row(1), second.get("a"));
            assertArrayEquals(row(2), second.get("b"));
            assertArrayEquals(row(3), second.get("c"));
            assertNull(second.get("d"));
            assertEquals(3, second.hits());
            assertEquals(1, second.misses());
            second.put(List.of("d"), new float[][] {row(4)}); // a segment of its own
        }
        List<Path> segments;
        try (Stream<Path> s = Files.list(tmp.resolve("enc"))) {
            segments = s.sorted().toList();
        }
        assertEquals(2, segments.size(), "one segment per writer");
        // a crash in the middle of an append: the cut record is left out, the others survive
        Path last = segments.get(0);
        try (FileChannel f = FileChannel.open(last, StandardOpenOption.WRITE)) {
            f.truncate(f.size() - 5);
        }
        try (FeatureCache third = FeatureCache.open(tmp, "enc", 3)) {
            assertEquals(3, third.size(), "the truncated record is left out");
        }
    }

    @Test
    void encodersAndWidthsNeverShareFeatures(@TempDir Path dirA) throws IOException {
        Files.writeString(dirA.resolve("config.json"), "{\"hidden_size\": 3}");
        Files.write(dirA.resolve("model.safetensors"), new byte[] {1, 2, 3});
        String a = FeatureCache.fingerprint(dirA, "pooling=MEAN;maxLength=128");
        assertEquals(a, FeatureCache.fingerprint(dirA, "pooling=MEAN;maxLength=128"));
        assertNotEquals(a, FeatureCache.fingerprint(dirA, "pooling=MEAN;maxLength=64"));
        Files.write(dirA.resolve("model.safetensors"), new byte[] {1, 2, 4}); // a fine-tuned copy
        assertNotEquals(a, FeatureCache.fingerprint(dirA, "pooling=MEAN;maxLength=128"));

        try (FeatureCache c = FeatureCache.open(tmp, "enc", 3)) {
            c.put(List.of("a"), new float[][] {row(1)});
            assertThrows(IllegalArgumentException.class, () -> c.put(List.of("b"), new float[][] {{1f}}));
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> FeatureCache.open(tmp, "enc", 4));
        assertTrue(e.getMessage().contains("delete the folder"), e.getMessage());
    }
}
