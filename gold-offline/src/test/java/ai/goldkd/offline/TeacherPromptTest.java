package ai.goldkd.offline;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TeacherPromptTest {

    private static final List<String> LABELS = List.of("negative", "positive");

    private static final String PROMPT = """
            You are a helpful assistant. Reply with one sample only, in the format of the examples.

            Task: Sentiment of movie reviews.
            Labels:
            - negative: the review is unfavourable overall
            - positive: the review is favourable overall

            Examples:
            1. text: Sure it is a new take on vampires.
               label: negative
            2. text: A wonderful story about Paris.
               label: positive
              10. text: Third one,
            on two lines.
               label: positive

            Give me a novel sample of this task with label Negative.
            text:""";

    @Test
    void readsLabelExamplesAndContents() {
        TeacherPrompt p = TeacherPrompt.read(PROMPT, LABELS);
        assertEquals("negative", p.label(), "the last whole-word label name, in any case");
        assertEquals(3, p.examples().size());
        assertTrue(p.examples().get(0).startsWith("1. text: Sure"));
        assertEquals("Sure it is a new take on vampires.", p.contents().get(0));
        assertEquals("Third one, on two lines.", p.contents().get(2));
        assertFalse(p.clearlyDifferent());
    }

    @Test
    void aLabelMustBeAWholeWord() {
        assertEquals(
                "positive",
                TeacherPrompt.read("label positive; not positively negatives", LABELS)
                        .label());
        assertNull(TeacherPrompt.read("positively, negatives", LABELS).label());
    }

    @Test
    void aBlankLineEndsAnExample() {
        TeacherPrompt p = TeacherPrompt.read("1. text: one\n\nnot part of it\n2. text: two\n", LABELS);
        assertEquals(List.of("one", "two"), p.contents());
    }

    @Test
    void clearlyDifferentInAnyCase() {
        assertTrue(TeacherPrompt.read("The next sample must be CLEARLY Different.", LABELS)
                .clearlyDifferent());
    }

    @Test
    void noExamplesNoLabel() {
        TeacherPrompt p = TeacherPrompt.read("Write something.", LABELS);
        assertNull(p.label());
        assertTrue(p.examples().isEmpty());
    }
}
