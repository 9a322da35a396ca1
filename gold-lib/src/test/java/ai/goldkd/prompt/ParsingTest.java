package ai.goldkd.prompt;

import ai.goldkd.data.Example;
import ai.goldkd.data.Task;
import ai.goldkd.data.TaskCatalog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParsingTest {

    private static Prompts imdbPrompts;
    private static Parsing imdb;
    private static Prompts arithPrompts;
    private static Parsing arith;

    @BeforeAll
    static void tasks() {
        TaskCatalog catalog = TaskCatalog.locate();
        Task imdbTask = catalog.task("imdb-sentiment");
        Task arithTask = catalog.task("arithmetic-answer");
        imdbPrompts = new Prompts(imdbTask, PromptTemplates.defaults());
        imdb = new Parsing(imdbTask);
        arithPrompts = new Prompts(arithTask, PromptTemplates.defaults());
        arith = new Parsing(arithTask);
    }

    @Test
    void aOneLineCompletionBecomesASampleWithTheRequestedLabel() {
        Parsing.Outcome o = imdb.parse(imdbPrompts, "negative", " The plot dragged and the jokes fell flat.\n");
        assertTrue(o.accepted(), o.detail());
        assertEquals(
                Map.of("text", "The plot dragged and the jokes fell flat.", "label", "negative"),
                o.sample().fields());
        assertNull(o.reason());
        Parsing.Outcome pos = imdb.parse(imdbPrompts, "positive", " The plot dragged and the jokes fell flat.");
        assertEquals("positive", pos.sample().get("label"));
    }

    @Test
    void continuationLinesJoinTheField() {
        Parsing.Outcome o = imdb.parse(imdbPrompts, "positive", " A slow start,\nbut a moving ending.\n\n");
        assertTrue(o.accepted(), o.detail());
        assertEquals("A slow start, but a moving ending.", o.sample().get("text"));
    }

    @Test
    void tooShortOrTooLongTextIsALengthReject() {
        Parsing.Outcome shortOne = imdb.parse(imdbPrompts, "positive", " meh\n");
        assertFalse(shortOne.accepted());
        assertEquals("length", shortOne.reason());
        assertTrue(shortOne.detail().contains("text") && shortOne.detail().contains("20..600"), shortOne.detail());
        assertEquals(" meh\n", shortOne.raw());
        assertNull(shortOne.sample());

        Parsing.Outcome longOne = imdb.parse(imdbPrompts, "negative", " " + "bad film. ".repeat(61));
        assertFalse(longOne.accepted());
        assertEquals("length", longOne.reason(), longOne.detail());

        // 600 characters exactly still fits.
        String fits = "x".repeat(600);
        assertTrue(imdb.parse(imdbPrompts, "negative", fits).accepted());
        assertEquals("length", imdb.parse(imdbPrompts, "negative", fits + "y").reason());
    }

    @Test
    void anEmptyCompletionIsAMissingFieldReject() {
        for (String empty : new String[] {"", "\n", "   \n\n"}) {
            Parsing.Outcome o = imdb.parse(imdbPrompts, "positive", empty);
            assertFalse(o.accepted());
            assertEquals("missing-field", o.reason());
            assertTrue(o.detail().contains("text"), o.detail());
            assertEquals(empty, o.raw());
        }
    }

    @Test
    void aLabelOutsideTheSetIsALabelReject() {
        Parsing.Outcome o = imdb.parse(imdbPrompts, "neutral", " A perfectly average film, neither good nor bad.");
        assertFalse(o.accepted());
        assertEquals("label", o.reason());
        assertTrue(o.detail().contains("neutral"), o.detail());
    }

    @Test
    void aMultiFieldCompletionIsSplitIntoFields() {
        String completion = " Mia had 12 apples. She ate 5 of them.\nquestion: How many apples does Mia have"
                + " left?\nanswer: 12 - 5 = 7. The answer is 7.\n";
        Parsing.Outcome o = arith.parse(arithPrompts, null, completion);
        assertTrue(o.accepted(), o.detail());
        assertEquals(
                Map.of(
                        "body",
                        "Mia had 12 apples. She ate 5 of them.",
                        "question",
                        "How many apples does Mia have left?",
                        "answer",
                        "12 - 5 = 7. The answer is 7."),
                o.sample().fields());
        assertEquals(
                java.util.List.of("body", "question", "answer"),
                java.util.List.copyOf(o.sample().fields().keySet()));
    }

    @Test
    void fieldNamesAreMatchedInAnyCaseAndAfterIndentation() {
        String completion = " Ann has 3 bags with 4 pens in each.\n   Question: How many pens does Ann have?\n"
                + "ANSWER: 3 * 4 = 12.\nThe answer is 12.";
        Parsing.Outcome o = arith.parse(arithPrompts, "ignored", completion);
        assertTrue(o.accepted(), o.detail());
        assertEquals("How many pens does Ann have?", o.sample().get("question"));
        assertEquals("3 * 4 = 12. The answer is 12.", o.sample().get("answer"));
        assertFalse(o.sample().has("label"), "a seq2seq sample gets no label field");
    }

    @Test
    void missingFieldsAreNamed() {
        Parsing.Outcome o = arith.parse(arithPrompts, null, " Tom has 8 cards and buys 3 more.\n");
        assertFalse(o.accepted());
        assertEquals("missing-field", o.reason());
        assertTrue(o.detail().contains("question") && o.detail().contains("answer"), o.detail());
        assertFalse(o.detail().contains("body"), o.detail());
    }

    @Test
    void ruleFailuresGiveTheirReasons() {
        Parsing.Outcome noNumber = arith.parse(
                arithPrompts,
                null,
                " Lee had 9 stamps. He lost 4 of them.\n"
                        + "question: How many stamps does Lee have now?\nanswer: Lee has some stamps left over.");
        assertFalse(noNumber.accepted());
        assertEquals("rule", noNumber.reason());
        assertTrue(noNumber.detail().contains("no number"), noNumber.detail());

        Parsing.Outcome shortQuestion = arith.parse(
                arithPrompts,
                null,
                " Lee had 9 stamps. He lost 4 of them.\n" + "question: How many?\nanswer: 9 - 4 = 5. The answer is 5.");
        assertFalse(shortQuestion.accepted());
        assertEquals("length", shortQuestion.reason());
        assertTrue(shortQuestion.detail().contains("question"), shortQuestion.detail());
    }

    @Test
    void theReasonDoesNotDependOnTheWordsOfTheRejectedSample() {
        // The rule's message quotes the sample; words in it (long, label, occur, ...) must not decide the reason.
        String body = " Lee had 9 stamps. He lost 4 of them.\nquestion: How many stamps does Lee have now?\nanswer: ";
        for (String answer : new String[] {
            "It takes a long time to tell.",
            "Check the label on the box.",
            "That does not occur to me.",
            "Solve the equation first."
        }) {
            Parsing.Outcome o = arith.parse(arithPrompts, null, body + answer);
            assertFalse(o.accepted(), answer);
            assertEquals("rule", o.reason(), "the answer '" + answer + "' holds no number: " + o.detail());
        }
        Parsing.Outcome label = imdb.parse(imdbPrompts, "neutral", " Too long by an hour, and the label was wrong.");
        assertEquals("label", label.reason(), label.detail());
    }

    @Test
    void reasonCodesFromTheRulesMessages() {
        assertEquals("length", Parsing.reasonCode("field 'text' has 3 characters, outside 20..600"));
        assertEquals("label", Parsing.reasonCode("label 'neutral' is not one of [negative, positive]"));
        assertEquals("answer-not-in-context", Parsing.reasonCode("answer 'Paris' does not occur in the context"));
        assertEquals("equation", Parsing.reasonCode("equation 'x = (' does not evaluate"));
        assertEquals("rule", Parsing.reasonCode("answer 'none' holds no number"));
        assertEquals("length", Parsing.reasonCode("field 'label' has 25 characters, outside 1..20"));
        assertEquals("equation", Parsing.reasonCode("equation 'a short label' does not evaluate"));
    }

    @Test
    void thePrefillsCompletionIsTheSampleText() {
        // What a teacher continues: the prompt ends in "text:", the completion starts after it.
        String prompt = imdbPrompts.generation("positive", imdbPrompts.task().examples(), false);
        assertTrue(prompt.endsWith(imdbPrompts.prefill()));
        Example sample = imdb.parse(imdbPrompts, "positive", " Warm, funny and beautifully shot.")
                .sample();
        assertEquals("Warm, funny and beautifully shot.", sample.get("text"));
    }
}
