package ai.goldkd.offline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.goldkd.teacher.Completion;
import ai.goldkd.teacher.GenerationRequest;
import ai.goldkd.tokenizer.ByteTokenizer;
import ai.goldkd.train.distill.PromptExample;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MarkovTeacherTest {

    private static final MarkovLanguage LANGUAGE = MarkovLanguage.defaults();

    @Test
    void everyRowOfTheTableIsADistributionAndTheSeedFixesIt() {
        double[][] table = LANGUAGE.table();
        assertEquals(17 * 17, table.length);
        for (double[] row : table) {
            double sum = 0;
            for (double lp : row) {
                sum += Math.exp(lp);
            }
            assertEquals(1.0, sum, 1e-12);
        }
        assertArrayEquals(table[40], LANGUAGE.table()[40]);
        double[] other = new MarkovLanguage(16, 2.5, 0.8, 99, 4, 32).table()[40];
        assertTrue(Math.abs(other[0] - table[40][0]) > 1e-6, "another seed, another table");
    }

    @Test
    void theLogitsAreTheChainsLogProbabilitiesOfTheLastTwoTokens() {
        MarkovTeacher teacher = new MarkovTeacher(LANGUAGE);
        double[][] table = LANGUAGE.table();
        // BOS, c, a, f, then a byte that is not a letter of the alphabet (z is past p), then EOS
        long[] ids = {ByteTokenizer.BOS, 'c', 'a', 'f', 'z', ByteTokenizer.EOS};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = teacher.logits(m.create(ids, new Shape(1, ids.length)), null);
            assertEquals(new Shape(1, ids.length, ByteTokenizer.VOCAB), logits.getShape());
            float[] v = logits.toFloatArray();
            int b = LANGUAGE.boundary();
            int[][] states = {{b, b}, {b, 2}, {2, 0}, {0, 5}, {5, b}, {b, b}};
            for (int t = 0; t < ids.length; t++) {
                double[] row = table[LANGUAGE.state(states[t][0], states[t][1])];
                int base = t * ByteTokenizer.VOCAB;
                for (int j = 0; j < 16; j++) {
                    assertEquals(row[j], v[base + 'a' + j], 1e-6, "position " + t + ", letter " + j);
                }
                assertEquals(row[16], v[base + ByteTokenizer.EOS], 1e-6, "position " + t + ", the end");
                assertEquals(MarkovTeacher.NEVER, v[base + 'q'], "q is not in a 16-letter alphabet");
                assertEquals(MarkovTeacher.NEVER, v[base + ByteTokenizer.BOS]);
            }
        }
    }

    @Test
    void samplesFollowTheChainsProbabilities() {
        MarkovTeacher teacher = new MarkovTeacher(LANGUAGE);
        double[] row = LANGUAGE.table()[LANGUAGE.state(0, 1)];
        int n = 20_000;
        List<Completion> draws = teacher.generate(
                GenerationRequest.of("ab").withN(n).withMaxTokens(1).withSeed(3L));
        int[] counts = new int[17];
        for (Completion c : draws) {
            int token = c.tokens()[0];
            counts[token == ByteTokenizer.EOS ? 16 : token - 'a']++;
        }
        for (int j = 0; j < 17; j++) {
            double p = Math.exp(row[j]);
            double sd = Math.sqrt(n * p * (1 - p));
            assertTrue(
                    Math.abs(counts[j] - n * p) < 5 * sd + 1,
                    "symbol " + j + ": " + counts[j] + " of " + n + " for p = " + p);
        }
    }

    @Test
    void greedyFollowsTheMostLikelySymbolAndTheEndStopsIt() {
        MarkovTeacher teacher = new MarkovTeacher(LANGUAGE);
        double[][] table = LANGUAGE.table();
        for (String prompt : List.of("abcd", "pong", "fjch")) {
            Completion c = teacher.generate(GenerationRequest.of(prompt)
                            .withTemperature(0f)
                            .withMaxTokens(40)
                            .withLogprobs(true, 0))
                    .get(0);
            String expected = LANGUAGE.continuation(table, prompt, null);
            if (c.finishReason().equals("stop")) {
                assertEquals(expected, c.text());
                assertEquals(ByteTokenizer.EOS, c.tokens()[c.tokens().length - 1]);
            } else {
                assertEquals(40, c.tokens().length);
                assertTrue(c.text().startsWith(expected), c.text() + " goes on from " + expected);
            }
            // logprobs are the chain's, untempered
            String text = prompt + c.text();
            int at = prompt.length();
            double[] row =
                    table[LANGUAGE.state(LANGUAGE.symbol(text.charAt(at - 2)), LANGUAGE.symbol(text.charAt(at - 1)))];
            int first = c.tokens()[0] == ByteTokenizer.EOS ? 16 : c.tokens()[0] - 'a';
            assertEquals(row[first], c.logprobs()[0], 1e-6);
        }
    }

    @Test
    void examplesAreTheChainsDrawsWithinTheirLengths() {
        List<PromptExample> a = LANGUAGE.examples(300, 7);
        assertEquals(a, LANGUAGE.examples(300, 7));
        int longest = 0;
        for (PromptExample e : a) {
            assertEquals(4, e.prompt().length());
            assertTrue(e.prompt().chars().allMatch(c -> c >= 'a' && c <= 'p'), e.prompt());
            assertTrue(e.answer().chars().allMatch(c -> c >= 'a' && c <= 'p'), e.answer());
            longest = Math.max(longest, e.answer().length());
        }
        assertTrue(longest <= 32 && longest > 10, "longest answer " + longest);
        // the chain's own NLL of its samples is its entropy rate: far below a uniform guess over 17 symbols
        double nll = LANGUAGE.nll(a);
        assertTrue(nll > 0.5 && nll < Math.log(17) - 0.8, "entropy rate " + nll);
        // a drawn continuation past maxLetters is refused (the data is conditioned on its length)
        MarkovLanguage tight = new MarkovLanguage(16, 2.5, -4, 1234, 4, 2);
        int refused = 0;
        for (int i = 0; i < 50; i++) {
            refused += tight.continuation(tight.table(), "abcd", new Random(i)) == null ? 1 : 0;
        }
        assertTrue(refused > 25, refused + " of 50 long draws refused");
        MarkovLanguage endless = new MarkovLanguage(16, 2.5, -50, 1234, 4, 3);
        assertNull(endless.continuation(endless.table(), "ab", new Random(1)));
    }

    @Test
    void theRowsTableListsARowsLikeliestSymbolsItsEndAndItsEntropy() {
        double[] row = LANGUAGE.table()[LANGUAGE.state(7, 7)];
        tech.tablesaw.api.Table t = LANGUAGE.rows(List.of("hh", "xhh"), 3);
        assertEquals(2, t.rowCount());
        assertEquals(t.getString(0, 1), t.getString(1, 1), "only the last two characters pick the row");
        double entropy = 0;
        int best = 0;
        for (int j = 0; j < row.length; j++) {
            entropy -= Math.exp(row[j]) * row[j];
            best = row[j] > row[best] ? j : best;
        }
        assertEquals(Math.exp(row[16]), t.doubleColumn("P(end)").get(0), 5e-4);
        assertEquals(entropy, t.doubleColumn("entropy (nats)").get(0), 5e-4);
        String first = best == 16 ? "." : String.valueOf((char) ('a' + best));
        assertTrue(t.getString(0, 1).startsWith(first + " "), t.getString(0, 1));
        assertEquals(3, t.getString(0, 1).split(", ").length);
    }

    @Test
    void badSettingsAndRequestsAreRefusedByName() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new MarkovLanguage(30, 2.5, 0.8, 1, 4, 32));
        assertTrue(e.getMessage().contains("letters 30"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new MarkovTeacher(LANGUAGE)
                        .generate(GenerationRequest.of("ab").withTopK(5)));
        assertTrue(e.getMessage().contains("top-k 5"), e.getMessage());
    }
}
