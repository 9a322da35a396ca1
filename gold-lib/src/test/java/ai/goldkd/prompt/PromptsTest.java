package ai.goldkd.prompt;

import ai.goldkd.data.Example;
import ai.goldkd.data.Task;
import ai.goldkd.data.TaskCatalog;
import ai.goldkd.data.TaskField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PromptsTest {

    private static Task imdb;
    private static Task arithmetic;
    private static Prompts prompts;

    @BeforeAll
    static void tasks() {
        TaskCatalog catalog = TaskCatalog.locate();
        imdb = catalog.task("imdb-sentiment");
        arithmetic = catalog.task("arithmetic-answer");
        prompts = new Prompts(imdb, PromptTemplates.defaults());
    }

    /** The task's three few-shot examples, then a feedback sample whose text spans lines. */
    private static List<Example> examples() {
        List<Example> out = new ArrayList<>(imdb.examples());
        out.add(Example.of(
                "id",
                "t0001-validation-004",
                "text",
                "A quiet film.\n  Slow, but   it stayed with me.",
                "label",
                "positive"));
        return out;
    }

    @Test
    void generationPromptNumbersTheExamplesWithContinuationLines() {
        String p = prompts.generation("positive", examples(), false);
        List<Example> ex = examples();
        for (int i = 0; i < ex.size(); i++) {
            String block = (i + 1) + ". text: "
                    + ex.get(i).get("text").replaceAll("\\s*\\n\\s*", " ").strip() + "\n   label: "
                    + ex.get(i).get("label") + "\n";
            assertTrue(p.contains(block), "example " + (i + 1) + " is not written as\n" + block + "in\n" + p);
        }
        assertTrue(p.contains("4. text: A quiet film. Slow, but   it stayed with me.\n"), p);
        assertFalse(p.contains("5. "), "only four examples were given");
        assertFalse(p.contains("t0001-validation-004"), "the id is not a task field and must not be shown");
        assertTrue(
                p.indexOf("1. text:") < p.indexOf("2. text:")
                        && p.indexOf("2. text:") < p.indexOf("3. text:")
                        && p.indexOf("3. text:") < p.indexOf("4. text:"),
                p);
    }

    @Test
    void continuationLinesAreIndentedPastTwoDigitNumbers() {
        List<Example> ten = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ten.add(Example.of("text", "review number " + i + " is long enough", "label", "negative"));
        }
        String p = prompts.generation("negative", ten, false);
        assertTrue(p.contains("9. text: review number 8 is long enough\n   label: negative\n"), p);
        assertTrue(p.contains("10. text: review number 9 is long enough\n    label: negative\n"), p);
    }

    @Test
    void generationPromptHoldsTheDescriptionLabelMeaningsAndTheRequestedLabel() {
        String p = prompts.generation("positive", examples(), false);
        assertTrue(p.contains(imdb.description()), p);
        assertTrue(
                p.contains("- negative: " + imdb.labels().get(0).meaning() + "\n- positive: "
                        + imdb.labels().get(1).meaning() + "\n"),
                p);
        assertTrue(p.contains("with label positive"), p);
        assertFalse(p.contains("with label negative"), p);
        assertTrue(prompts.generation("negative", examples(), false).contains("with label negative"));
        assertFalse(p.contains("{{"), "a placeholder was left unfilled:\n" + p);
    }

    @Test
    void generationPromptEndsInThePrefill() {
        assertEquals("text:", prompts.prefill());
        for (boolean ood : new boolean[] {false, true}) {
            String p = prompts.generation("positive", examples(), ood);
            assertTrue(
                    p.endsWith("\ntext:"),
                    "the prompt should end in the prefill 'text:' (the teacher"
                            + " continues the field on that line); it ends in " + show(p.substring(p.length() - 20)));
        }
    }

    @Test
    void theOodInstructionAppearsOnlyWhenAsked() {
        String instruction = PromptTemplates.defaults().ood().strip();
        String plain = prompts.generation("positive", examples(), false);
        String ood = prompts.generation("positive", examples(), true);
        assertFalse(plain.contains(instruction), plain);
        assertFalse(plain.toLowerCase().contains("clearly different"), plain);
        assertTrue(ood.contains(instruction + "\nGive me a novel sample"), ood);
        assertEquals(
                plain, ood.replace(instruction + "\n", ""), "the OOD prompt should differ only by the instruction");
    }

    @Test
    void anUnknownLabelIsRejectedNamingTheLabels() {
        for (String bad : new String[] {"neutral", null}) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> prompts.generation(bad, examples(), false));
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("negative") && e.getMessage().contains("positive"), e.getMessage());
        }
    }

    @Test
    void answerPromptHoldsTheSampleAndEndsInTheTargetField() {
        Example sample = Example.of("text", "Two hours\nI will never get back.", "label", "positive");
        String p = prompts.answer(imdb.examples(), sample);
        assertTrue(p.contains("text: Two hours I will never get back.\n"), p);
        assertTrue(p.endsWith("label:"), "ends in " + show(p.substring(p.length() - 20)));
        assertTrue(p.contains("3. text: "), p);
        assertFalse(p.contains("4. text: "), p);
        // The sample's own label is not shown (it is what the teacher must answer); the examples' labels are.
        int sampleAt = p.indexOf("text: Two hours");
        assertFalse(p.substring(sampleAt).contains("positive"), p.substring(sampleAt));
        assertFalse(p.contains("{{"), p);
    }

    @Test
    void fieldsToWriteAndStopsFollowTheTaskKind() {
        assertEquals(
                List.of("text"),
                prompts.fieldsToWrite().stream().map(TaskField::name).toList());
        assertEquals(List.of("\n"), prompts.stops());
        Prompts arith = new Prompts(arithmetic, PromptTemplates.defaults());
        assertEquals(
                List.of("body", "question", "answer"),
                arith.fieldsToWrite().stream().map(TaskField::name).toList());
        assertEquals(List.of("\n\n"), arith.stops());
        assertEquals("body:", arith.prefill());
        String p = arith.generation(null, arithmetic.examples(), false);
        assertTrue(
                p.contains("1. body: Sam had 24 marbles. He gave 7 marbles to Umar.\n   question: How many"
                        + " marbles does Sam have left?\n   answer: 24 - 7 = 17. The answer is 17.\n"),
                p);
        assertTrue(p.endsWith("\nbody:"), show(p.substring(p.length() - 20)));
    }

    @Test
    void loadFallsBackToTheDefaultsForMissingFiles(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("ood.txt"), "Write about something else entirely.\n");
        PromptTemplates loaded = PromptTemplates.load(dir);
        PromptTemplates defaults = PromptTemplates.defaults();
        assertEquals("Write about something else entirely.\n", loaded.ood());
        assertEquals(defaults.generation(), loaded.generation());
        assertEquals(defaults.answer(), loaded.answer());
        String p = new Prompts(imdb, loaded).generation("negative", examples(), true);
        assertTrue(p.contains("Write about something else entirely.\nGive me"), p);
    }

    @Test
    void writeThenLoadRoundTrips(@TempDir Path dir) {
        PromptTemplates custom = new PromptTemplates(
                "G {{examples}} / {{label}} {{prefill}}", "be different", "A {{sample}} {{prefill}}");
        custom.write(dir.resolve("sub"));
        assertEquals(custom, PromptTemplates.load(dir.resolve("sub")));
    }

    @Test
    void loadRejectsAGenerationTemplateWithoutExamples(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("generation.txt"), "Write a review with label {{label}}.\n{{prefill}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PromptTemplates.load(dir));
        assertTrue(
                e.getMessage().contains("generation.txt") && e.getMessage().contains("{{examples}}"), e.getMessage());
        Files.writeString(dir.resolve("generation.txt"), "{{examples}}\n{{prefill}}");
        IllegalArgumentException noLabel =
                assertThrows(IllegalArgumentException.class, () -> PromptTemplates.load(dir));
        assertTrue(noLabel.getMessage().contains("{{label}}"), noLabel.getMessage());
        Files.delete(dir.resolve("generation.txt"));
        Files.writeString(dir.resolve("answer.txt"), "label it\n");
        IllegalArgumentException noSample =
                assertThrows(IllegalArgumentException.class, () -> PromptTemplates.load(dir));
        assertTrue(
                noSample.getMessage().contains("answer.txt")
                        && noSample.getMessage().contains("{{sample}}"),
                noSample.getMessage());
        Files.writeString(dir.resolve("answer.txt"), PromptTemplates.defaults().answer());
        Files.writeString(dir.resolve("ood.txt"), "  \n");
        assertThrows(IllegalArgumentException.class, () -> PromptTemplates.load(dir));
        IllegalArgumentException missing =
                assertThrows(IllegalArgumentException.class, () -> PromptTemplates.load(dir.resolve("absent")));
        assertTrue(missing.getMessage().contains("absent"), missing.getMessage());
    }

    private static String show(String s) {
        return "'" + s.replace("\n", "\\n") + "'";
    }
}
