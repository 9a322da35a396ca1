package ai.goldkd.offline;

import ai.goldkd.data.Example;
import ai.goldkd.data.Task;
import ai.goldkd.data.TaskCatalog;
import ai.goldkd.prompt.Parsing;
import ai.goldkd.prompt.PromptTemplates;
import ai.goldkd.prompt.Prompts;
import ai.goldkd.teacher.Completion;
import ai.goldkd.teacher.GenerationRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tiny transformer teacher trained for a few seconds on synthetic reviews (sentiment words follow the
 * label, topics run in blocks of 8 neighbouring reviews as IMDB keeps a film's reviews together). A
 * hundred steps teach it the sentence template, not yet the label or the topic (that took longer than a
 * unit test should), so the tests check the wiring: what the model reads, what it writes, and the errors.
 */
class TransformerTeacherTest {

    @TempDir
    static Path root;

    private static TeacherStore.ObtainedTransformer obtained;
    private static TransformerTeacher teacher;

    /** 1,600 reviews; topic blocks of 8, labels alternating. */
    static TeacherStore.Corpus corpus() {
        Random rng = new Random(11);
        List<String> texts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < 1600; i++) {
            List<String> topic = (i / 8) % 2 == 0 ? SyntheticReviews.SPACE : SyntheticReviews.WESTERN;
            int label = i % 2;
            texts.add(SyntheticReviews.review(
                    topic, label == 1 ? SyntheticReviews.POSITIVE : SyntheticReviews.NEGATIVE, rng));
            labels.add(SyntheticReviews.LABELS.get(label));
        }
        return new TeacherStore.Corpus(texts, labels, SyntheticReviews.LABELS);
    }

    static TransformerRecipe recipe() {
        return TransformerRecipe.defaults("0".repeat(64))
                .withText(64, 40, 128)
                .withShape(1, 64, 2, 128)
                .withTraining(100, 8, 0.01f);
    }

    @BeforeAll
    static void build() {
        obtained = TeacherStore.obtain(root, "syn-transformer", recipe(), TransformerTeacherTest::corpus, line -> {});
        teacher = obtained.teacher();
    }

    @AfterAll
    static void close() {
        teacher.close();
    }

    private static List<String> texts(String prompt, long seed) {
        return teacher
                .generate(GenerationRequest.of(prompt)
                        .withN(24)
                        .withTemperature(0.8f)
                        .withTopK(20)
                        .withMaxTokens(160)
                        .withStop(List.of("\n"))
                        .withSeed(seed))
                .stream()
                .map(Completion::text)
                .toList();
    }

    @Test
    void buildsOnceIntoTheStoreThenLoads() {
        assertTrue(obtained.built());
        assertTrue(obtained.dir().getFileName().toString().startsWith("syn-transformer-" + recipe().hash()));
        assertTrue(Files.isRegularFile(obtained.dir().resolve(TransformerTeacher.PARAMS_FILE)));
        TeacherStore.ObtainedTransformer again = TeacherStore.obtain(
                root,
                "syn-transformer",
                recipe(),
                () -> {
                    throw new AssertionError("an unchanged recipe loads without reading the data");
                },
                line -> {});
        try (TransformerTeacher loaded = again.teacher()) {
            assertFalse(again.built());
            String p = SyntheticReviews.prompt(SyntheticReviews.SPACE, "positive", false);
            assertEquals(
                    texts(p, 3),
                    loaded
                            .generate(GenerationRequest.of(p)
                                    .withN(24)
                                    .withTemperature(0.8f)
                                    .withTopK(20)
                                    .withMaxTokens(160)
                                    .withStop(List.of("\n"))
                                    .withSeed(3L))
                            .stream()
                            .map(Completion::text)
                            .toList(),
                    "the loaded teacher writes what the first one wrote");
        }
    }

    @Test
    void samplesParseAsImdbSamplesAndASeedRepeatsThem() {
        Task task = TaskCatalog.locate().task("imdb-sentiment");
        Prompts prompts = new Prompts(task, PromptTemplates.defaults());
        String p = prompts.generation(
                "negative",
                List.of(Example.of("text", "The rocket and the planet were dull.", "label", "negative")),
                false);
        GenerationRequest request = GenerationRequest.of(p)
                .withN(8)
                .withTemperature(0.8f)
                .withTopK(20)
                .withMaxTokens(160)
                .withStop(prompts.stops())
                .withSeed(7L);
        List<Completion> out = teacher.generate(request);
        assertEquals(8, out.size());
        Parsing parsing = new Parsing(task);
        for (Completion c : out) {
            Parsing.Outcome o = parsing.parse(prompts, "negative", c.text());
            assertTrue(o.accepted(), o.detail() + ": " + c.text());
            assertTrue(Character.isUpperCase(c.text().charAt(0)), c.text());
        }
        assertEquals(
                out.stream().map(Completion::text).toList(),
                teacher.generate(request).stream().map(Completion::text).toList());
        assertNotEquals(
                out.stream().map(Completion::text).toList(),
                teacher.generate(request.withSeed(8L)).stream()
                        .map(Completion::text)
                        .toList());
    }

    @Test
    void theLabelTokenIsReadAndTheExamplesComeBeforeIt() {
        TeacherPrompt read = TeacherPrompt.read(
                SyntheticReviews.prompt(SyntheticReviews.SPACE, "negative", false), teacher.labels());
        int[] ids = teacher.inputIds(read, "negative", 41);
        assertEquals(1, ids[0], "BOS first");
        assertEquals(teacher.labelToken("negative"), ids[ids.length - 1], Arrays.toString(ids));
        assertEquals(
                1,
                Arrays.stream(ids)
                        .filter(id -> id == teacher.labelToken("positive"))
                        .count(),
                "example 1 is marked with its own label: " + Arrays.toString(ids));
        assertEquals(2, Arrays.stream(ids).filter(id -> id == 2).count(), "each example ends: " + Arrays.toString(ids));
        TeacherPrompt different =
                TeacherPrompt.read(SyntheticReviews.prompt(SyntheticReviews.SPACE, "negative", true), teacher.labels());
        assertEquals(
                2, teacher.inputIds(different, "negative", 41).length, "clearly different: BOS and the label only");

        int[] positive = ids.clone();
        positive[positive.length - 1] = teacher.labelToken("positive");
        assertFalse(
                Arrays.equals(teacher.nextLogProbs(ids), teacher.nextLogProbs(positive)),
                "the next-word distribution depends on the label token");
        int[] noExamples = {1, teacher.labelToken("negative")};
        assertFalse(
                Arrays.equals(teacher.nextLogProbs(ids), teacher.nextLogProbs(noExamples)),
                "the next-word distribution depends on the examples before the label");
    }

    @Test
    void limitsAndStopsAreHonoured() {
        String p = SyntheticReviews.prompt(SyntheticReviews.WESTERN, "positive", false);
        Completion c = teacher.generate(
                        GenerationRequest.of(p).withMaxTokens(3).withSeed(1L).withLogprobs(true, 0))
                .get(0);
        assertTrue(c.tokens().length <= 3, Arrays.toString(c.tokens()));
        assertEquals(c.tokens().length, c.logprobs().length);
        Completion stopped = teacher.generate(
                        GenerationRequest.of(p).withMaxTokens(160).withSeed(1L).withStop(List.of(",")))
                .get(0);
        assertFalse(stopped.text().contains(","), stopped.text());
        Completion greedy = teacher.generate(GenerationRequest.of(p)
                        .withTemperature(0f)
                        .withN(2)
                        .withSeed(1L)
                        .withMaxTokens(160))
                .get(1);
        assertEquals(
                teacher.generate(GenerationRequest.of(p)
                                .withTemperature(0f)
                                .withSeed(9L)
                                .withMaxTokens(160))
                        .get(0)
                        .text(),
                greedy.text(),
                "greedy decoding ignores the seed");
    }

    @Test
    void badInputGetsClearErrors() {
        IllegalArgumentException label =
                assertThrows(IllegalArgumentException.class, () -> teacher.labelToken("neutral"));
        assertTrue(
                label.getMessage().contains("neutral") && label.getMessage().contains("positive"), label.getMessage());
        IllegalArgumentException tokens = assertThrows(
                IllegalArgumentException.class,
                () -> teacher.generate(GenerationRequest.of("x").withMaxTokens(1 << 20)));
        assertTrue(tokens.getMessage().contains(String.valueOf(1 << 20)), tokens.getMessage());
        IllegalArgumentException empty = assertThrows(
                IllegalArgumentException.class, () -> TransformerTeacher.load(root.resolve("nothing-here")));
        assertTrue(empty.getMessage().contains("gold teacher build imdb-transformer"), empty.getMessage());
        IllegalArgumentException context =
                assertThrows(IllegalArgumentException.class, () -> recipe().withText(64, 40, 20));
        assertTrue(context.getMessage().contains("context 20"), context.getMessage());
        IllegalArgumentException heads =
                assertThrows(IllegalArgumentException.class, () -> recipe().withShape(1, 30, 4, 64));
        assertTrue(heads.getMessage().contains("heads 4"), heads.getMessage());
        TeacherStore.Corpus wrong =
                new TeacherStore.Corpus(List.of("a fine film."), List.of("neutral"), SyntheticReviews.LABELS);
        IllegalArgumentException corpusLabel = assertThrows(
                IllegalArgumentException.class,
                () -> TeacherStore.obtain(root, "bad", recipe(), () -> wrong, line -> {}));
        assertTrue(corpusLabel.getMessage().contains("neutral"), corpusLabel.getMessage());
    }

    @Test
    void capitalsKeepTheLength() {
        assertEquals(
                "I think it's fine. I'd go! Is it? Yes",
                TransformerText.capitalise("i think it's fine. i'd go! is it? yes"));
    }
}
