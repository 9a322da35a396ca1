package ai.goldkd.tokenizer;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WordTokenizerTest {

    private static final List<String> CORPUS =
            List.of("the cat sat on the mat.", "The dog sat, too!", "Don't stop (now).", "héllo 世界 🎉 family 👩‍👩‍👧");

    @Test
    void vocabularyIsOrderedByCountThenLexicographically() {
        WordTokenizer tok = Tokenizers.words(List.of("b a c b", "c b a, d"));
        // b:3, a:2, c:2, then ",":1 and "d":1 in lexicographic order (',' < 'd').
        assertEquals(List.of("<pad>", "<bos>", "<eos>", "<unk>", "b", "a", "c", ",", "d"), tok.vocabulary());
    }

    @Test
    void vocabularyDoesNotDependOnCorpusOrder() {
        List<String> shuffled = new ArrayList<>(CORPUS);
        Collections.shuffle(shuffled, new Random(7));
        assertEquals(
                Tokenizers.words(CORPUS).vocabulary(),
                Tokenizers.words(shuffled).vocabulary());
    }

    @Test
    void roundTripsTextMadeOfKnownWords() {
        WordTokenizer tok = Tokenizers.words(CORPUS);
        for (String text : List.of(
                "",
                "the cat sat on the mat.",
                "The dog sat, too!",
                "Don't stop (now).",
                "héllo 世界 🎉 family 👩‍👩‍👧")) {
            assertEquals(text, tok.decode(tok.encode(text)), () -> "text: " + text);
        }
        assertArrayEquals(new int[0], tok.encode(""));
    }

    @Test
    void splitsPunctuationAndKeepsGraphemesWhole() {
        WordTokenizer tok = Tokenizers.words(CORPUS);
        assertEquals(List.of("Don", "'", "t", "stop", "(", "now", ")", "."), tok.tokenize("Don't stop (now)."));
        assertEquals(List.of("héllo", "世界", "🎉", "👩‍👩‍👧", "🇫🇷"), tok.tokenize(" héllo\t世界🎉👩‍👩‍👧🇫🇷\n"));
    }

    @Test
    void unknownWordsEncodeToUnkAndDecodeVisibly() {
        WordTokenizer tok = Tokenizers.words(CORPUS);
        int[] ids = tok.encode("the zebra sat");
        assertEquals(WordTokenizer.UNK_ID, ids[1]);
        assertEquals("the <unk> sat", tok.decode(ids));
    }

    @Test
    void specialsAreDistinctAndDecodeToNothing() {
        WordTokenizer tok = Tokenizers.words(CORPUS);
        SpecialTokens s = tok.specials();
        assertEquals(new SpecialTokens(0, 1, 2), s);
        assertTrue(tok.vocabSize() > WordTokenizer.UNK_ID + 1);
        int[] ids = tok.encode("the cat");
        assertEquals("the cat", tok.decode(new int[] {s.bos(), ids[0], ids[1], s.eos(), s.pad()}));
        assertThrows(IllegalArgumentException.class, () -> tok.decode(new int[] {tok.vocabSize()}));
    }

    @Test
    void lowercasingMergesCases() {
        WordTokenizer kept = Tokenizers.words(CORPUS);
        WordTokenizer lower =
                Tokenizers.words(CORPUS, WordTokenizer.Options.defaults().withLowercase(true));
        assertTrue(kept.vocabulary().contains("The"));
        assertFalse(lower.vocabulary().contains("The"));
        assertEquals("the dog", lower.decode(lower.encode("THE DOG")));
        assertEquals(kept.vocabSize() - 1, lower.vocabSize(), "The merges into the");
    }

    @Test
    void minCountAndMaxVocabCutTheRarestWords() {
        List<String> corpus = List.of("a a a b b c");
        assertEquals(
                List.of("a", "b"),
                words(Tokenizers.words(corpus, WordTokenizer.Options.defaults().withMinCount(2))));
        assertEquals(
                List.of("a"),
                words(Tokenizers.words(corpus, WordTokenizer.Options.defaults().withMaxVocab(5))));
    }

    private static List<String> words(WordTokenizer tok) {
        return tok.vocabulary().subList(4, tok.vocabSize());
    }

    @Test
    void emptyCorpusSaysSo() {
        for (List<String> corpus : List.of(List.<String>of(), List.of("", "  \n"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizers.words(corpus));
            assertTrue(e.getMessage().startsWith("corpus is empty ("), e.getMessage());
        }
    }

    @Test
    void minCountAboveEveryWordNamesTheMostFrequent() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Tokenizers.words(
                        List.of("a a b"), WordTokenizer.Options.defaults().withMinCount(3)));
        assertTrue(
                e.getMessage().contains("minCount=3")
                        && e.getMessage().contains("'a' occurs 2 times")
                        && e.getMessage().endsWith("lower minCount"),
                e.getMessage());
    }

    @Test
    void badOptionsNameTheValue() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> WordTokenizer.Options.defaults().withMinCount(0));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> WordTokenizer.Options.defaults().withMaxVocab(4));
        assertTrue(e.getMessage().contains("got 4"), e.getMessage());
    }
}
