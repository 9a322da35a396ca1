package ai.goldkd.tokenizer;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Gpt2TokenizerTest {

    private final Gpt2Tokenizer tok = Tokenizers.gpt2();

    @Test
    void encodesAsGpt2Does() {
        // GPT-2's published ids: "Hello" 15496, " world" 995, "!" 0.
        assertArrayEquals(new int[] {15496, 995, 0}, tok.encode("Hello world!"));
    }

    @Test
    void roundTripsEveryText() {
        for (String text : Samples.TEXTS) {
            assertEquals(text, tok.decode(tok.encode(text)), () -> "text: " + text);
        }
    }

    @Test
    void endOfTextSpelledInTheTextIsOrdinaryText() {
        int[] ids = tok.encode("a<|endoftext|>b");
        assertFalse(Arrays.stream(ids).anyMatch(id -> id >= Gpt2Tokenizer.END_OF_TEXT), Arrays.toString(ids));
    }

    @Test
    void padIsItsOwnIdAfterEndOfText() {
        SpecialTokens s = tok.specials();
        assertEquals(50258, tok.vocabSize());
        assertEquals(50256, s.bos());
        assertEquals(50256, s.eos());
        assertEquals(50257, s.pad());
        assertNotEquals(s.pad(), s.eos());
        assertTrue(s.pad() < tok.vocabSize() && s.eos() < tok.vocabSize());
    }

    @Test
    void decodeDropsSpecialsAndSurvivesSplitCharacters() {
        int[] hello = tok.encode("Hello");
        assertEquals("Hello", tok.decode(new int[] {50256, hello[0], 50257, 50257}));
        int[] emoji = tok.encode("🎉");
        assertTrue(emoji.length > 1, "the test needs an emoji that BPE splits: " + Arrays.toString(emoji));
        assertTrue(tok.decode(new int[] {emoji[0]}).contains("\uFFFD"));
        assertThrows(IllegalArgumentException.class, () -> tok.decode(new int[] {50258}));
    }
}
