package ai.goldkd.tokenizer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ByteTokenizerTest {

    private final ByteTokenizer tok = Tokenizers.bytes();

    @Test
    void roundTripsEveryText() {
        for (String text : Samples.TEXTS) {
            assertEquals(text, tok.decode(tok.encode(text)), () -> "text: " + text);
        }
    }

    @Test
    void idsAreTheUtf8Bytes() {
        assertArrayEquals(new int[] {'a', 0xC3, 0xA9, 0xF0, 0x9F, 0x8E, 0x89}, tok.encode("aé🎉"));
        assertArrayEquals(new int[0], tok.encode(""));
    }

    @Test
    void specialsAreDistinctLastIdsAndDecodeToNothing() {
        SpecialTokens s = tok.specials();
        assertEquals(259, tok.vocabSize());
        assertEquals(new SpecialTokens(256, 257, 258), s);
        assertEquals("hi", tok.decode(new int[] {s.bos(), 'h', s.pad(), 'i', s.eos(), s.pad()}));
    }

    @Test
    void invalidUtf8DecodesToReplacementCharacters() {
        assertEquals("\uFFFD", tok.decode(new int[] {0xC3}));
        assertEquals("a\uFFFDb", tok.decode(new int[] {'a', 0xFF, 'b'}));
        int[] emoji = tok.encode("🎉");
        assertEquals("x\uFFFD", tok.decode(new int[] {'x', emoji[0], emoji[1]}));
    }

    @Test
    void idOutsideTheVocabularyNamesTheRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tok.decode(new int[] {259}));
        assertTrue(e.getMessage().contains("token id 259") && e.getMessage().contains("[0, 259)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> tok.decode(new int[] {-1}));
    }

    @Test
    void checkVocabNamesBothSizesAndTheFix() {
        tok.checkVocab(259);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tok.checkVocab(8192));
        assertTrue(
                e.getMessage().startsWith("tokenizer vocab 259 != model vocab 8192; build the model with vocab 259"),
                e.getMessage());
    }
}
