package ai.goldkd.teacher;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.goldkd.tokenizer.Tokenizers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A teacher run once over sequences into a top-k cache, resumed without recomputing what is stored. */
class TopKCachingTest {

    @TempDir
    static Path dir;

    static LocalTeacher teacher;

    @BeforeAll
    static void setUp() {
        teacher = TinyTeacher.create(dir.resolve("teacher"));
    }

    @AfterAll
    static void tearDown() {
        teacher.close();
    }

    @Test
    void storesTheTeachersTopTokensAndResumes() {
        List<int[]> sequences = List.of("The movie was", "A quiet film", "Numbers: 12 + 30", "x").stream()
                .map(s -> teacher.tokenizer().encode(s))
                .toList();
        TopKCache.Meta meta = new TopKCache.Meta(
                1,
                "tiny",
                TopKCaching.fingerprint(teacher.tokenizer()),
                teacher.tokenizer().vocabSize(),
                8,
                1f);
        try (TopKCache cache = TopKCache.create(dir.resolve("cache"), meta)) {
            assertEquals(2, TopKCaching.fill(teacher, sequences.subList(0, 2), cache));
        }
        try (TopKCache cache = TopKCache.create(dir.resolve("cache"), meta)) {
            assertEquals(2, TopKCaching.fill(teacher, sequences, cache), "the two stored sequences are not recomputed");
            assertEquals(4, cache.size());
            try (NDManager manager = NDManager.newBaseManager()) {
                for (int i = 0; i < sequences.size(); i++) {
                    int[] tokens = sequences.get(i);
                    NDArray ids =
                            manager.create(tokens, new Shape(1, tokens.length)).toType(DataType.INT64, false);
                    long[] argmax = teacher.logits(ids, null).get(0).argMax(-1).toLongArray();
                    TopKCache.Entry entry = cache.get(i);
                    for (int t = 0; t < tokens.length; t++) {
                        assertEquals(argmax[t], entry.ids()[t * 8], "sequence " + i + " position " + t + ": top-1");
                        assertTrue(entry.logProbs()[t * 8] >= entry.logProbs()[t * 8 + 7], "sorted by probability");
                    }
                }
            }
        }
        assertEquals(TopKCaching.fingerprint(Tokenizers.bytes()), TopKCaching.fingerprint(teacher.tokenizer()));
        assertNotEquals(TopKCaching.fingerprint(Tokenizers.bytes()), "sha256:");
    }
}
