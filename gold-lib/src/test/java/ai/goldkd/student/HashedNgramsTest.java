package ai.goldkd.student;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HashedNgramsTest {

    @Test
    void wordsAreLowerCasedWithBangsAndQuestionMarksAsWords() {
        assertEquals(
                List.of("i", "didn't", "like", "it", "!", "why", "?", "10", "10"),
                HashedNgrams.words("I didn't LIKE it!Why? 10/10."));
        assertEquals(List.of(), HashedNgrams.words(" ... \n"));
    }

    @Test
    void featuresAreWordsThenAdjacentPairsInRange() {
        int[] f = HashedNgrams.features("The acting was great", 1000, 100);
        assertEquals(7, f.length); // 4 words + 3 pairs
        for (int b : f) {
            assertTrue(b >= 1 && b < 1000, "bucket " + b);
        }
        int[] words = HashedNgrams.features("the", 1000, 100);
        assertEquals(1, words.length);
        assertEquals(words[0], f[0], "a word's bucket does not depend on the text around it");
        assertEquals(0, HashedNgrams.features("", 1000, 100).length);
        assertArrayEquals(f, HashedNgrams.features("THE acting, was great.", 1000, 100));
        assertArrayEquals(Arrays.copyOf(f, 5), HashedNgrams.features("The acting was great", 1000, 5));
    }

    @Test
    void pairsDependOnWordOrder() {
        int[] ab = HashedNgrams.features("good not", 1 << 20, 10);
        int[] ba = HashedNgrams.features("not good", 1 << 20, 10);
        assertEquals(ab[0], ba[1]);
        assertEquals(ab[1], ba[0]);
        assertFalse(ab[2] == ba[2], "the pairs (good, not) and (not, good) should hash apart");
    }

    @Test
    void twoBucketsPutEverythingInBucketOne() {
        for (int b : HashedNgrams.features("any words at all", 2, 100)) {
            assertEquals(1, b);
        }
    }
}
