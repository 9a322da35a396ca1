package ai.goldkd.offline;

import ai.goldkd.data.Example;
import ai.goldkd.data.Task;
import ai.goldkd.data.TaskCatalog;
import ai.goldkd.data.arithmetic.Family;
import ai.goldkd.data.arithmetic.WordProblem;
import ai.goldkd.prompt.Parsing;
import ai.goldkd.prompt.PromptTemplates;
import ai.goldkd.prompt.Prompts;
import ai.goldkd.teacher.Completion;
import ai.goldkd.teacher.GenerationRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The arithmetic writer on the real TRAIN split, through the task's own prompts and parser. */
class ArithmeticWriterTest {

    private static List<WordProblem> train;
    private static ArithmeticWriterModel model;
    private static ArithmeticWriter writer;
    private static Task task;
    private static Prompts prompts;
    private static Parsing parsing;

    @BeforeAll
    static void build() {
        train = ArithmeticWriters.train();
        model = ArithmeticWriterModel.build(train);
        writer = new ArithmeticWriter(model, ArithmeticWriterConfig.defaults());
        task = TaskCatalog.locate().task("arithmetic-answer");
        prompts = new Prompts(task, PromptTemplates.defaults());
        parsing = new Parsing(task);
    }

    private static GenerationRequest request(String prompt, int n, float temperature, long seed) {
        return GenerationRequest.of(prompt)
                .withN(n)
                .withTemperature(temperature)
                .withTopK(20)
                .withMaxTokens(160)
                .withStop(prompts.stops())
                .withSeed(seed);
    }

    private static List<Example> parsed(ArithmeticWriter w, String prompt, int n, float temperature, long seed) {
        List<Example> out = new ArrayList<>();
        for (Completion c : w.generate(request(prompt, n, temperature, seed))) {
            Parsing.Outcome o = parsing.parse(prompts, null, c.text());
            if (o.accepted()) {
                out.add(o.sample());
            }
        }
        return out;
    }

    private static List<Example> feedback(Family family) {
        List<Example> out = new ArrayList<>(task.examples());
        train.stream()
                .filter(p -> p.family() == family)
                .limit(2)
                .map(ArithmeticWriterReport::example)
                .forEach(out::add);
        return out;
    }

    private static double share(List<Example> samples, Family family) {
        return (double) samples.stream()
                        .filter(e -> ArithmeticCheck.family(e.get("body"), e.get("answer")) == family)
                        .count()
                / samples.size();
    }

    @Test
    void completionsOfARealPromptParseAsAnLlmReplyAndAreMostlyCorrect() {
        String prompt = prompts.generation(null, task.examples(), false);
        assertTrue(prompt.endsWith("body:"), prompt);
        List<Completion> completions = writer.generate(request(prompt, 200, 0.8f, 1L));
        assertEquals(200, completions.size());
        int rejects = 0;
        int correct = 0;
        for (Completion c : completions) {
            assertTrue(
                    c.text().startsWith(" ")
                            && c.text().contains("\nquestion: ")
                            && c.text().contains("\nanswer: "),
                    c.text());
            Parsing.Outcome o = parsing.parse(prompts, null, c.text());
            if (!o.accepted()) {
                rejects++;
                continue;
            }
            Example e = o.sample();
            assertTrue(e.get("answer").matches(".*The answer is \\d+\\.$"), e.get("answer"));
            correct += ArithmeticCheck.correct(e.get("body"), e.get("question"), e.get("answer")) ? 1 : 0;
        }
        assertTrue(rejects <= 4, rejects + " of 200 completions were rejected");
        double rate = correct / (200.0 - rejects);
        assertTrue(rate > 0.8 && rate < 0.99, "correct rate " + rate + ": neither muddled nor flawless");
    }

    @Test
    void examplesOfAFamilyRaiseItsShareAndClearlyDifferentLowersIt() {
        String plain = prompts.generation(null, task.examples(), false);
        String steered = prompts.generation(null, feedback(Family.DIVIDE), false);
        String different = prompts.generation(null, feedback(Family.DIVIDE), true);
        double without = share(parsed(writer, plain, 200, 0.8f, 3L), Family.DIVIDE);
        double with = share(parsed(writer, steered, 200, 0.8f, 3L), Family.DIVIDE);
        double away = share(parsed(writer, different, 200, 0.8f, 3L), Family.DIVIDE);
        assertTrue(with > without + 0.15, "divide share " + without + " -> " + with + " with divide examples");
        assertTrue(
                away < with / 3 && away <= without + 0.03,
                "divide share with 'clearly different': " + away + " (plain " + without + ", with examples " + with
                        + ")");
    }

    @Test
    void aSeededRequestIsReproducibleAndTheSeedMatters() {
        String prompt = prompts.generation(null, task.examples(), false);
        List<String> a = writer.generate(request(prompt, 20, 0.8f, 7L)).stream()
                .map(Completion::text)
                .toList();
        List<String> b = writer.generate(request(prompt, 20, 0.8f, 7L)).stream()
                .map(Completion::text)
                .toList();
        List<String> c = writer.generate(request(prompt, 20, 0.8f, 8L)).stream()
                .map(Completion::text)
                .toList();
        assertEquals(a, b);
        assertNotEquals(a, c);
        assertEquals(a.subList(1, 20), c.subList(0, 19), "sample i of seed s is sample i - 1 of seed s + 1");
    }

    @Test
    void examplesAreNeverCopiedWhole() {
        List<Example> examples = feedback(Family.TWO_STEP);
        Set<String> bodies = new HashSet<>();
        examples.forEach(e -> bodies.add(e.get("body")));
        List<Example> got = parsed(writer, prompts.generation(null, examples, false), 300, 0.8f, 11L);
        assertTrue(got.size() > 280);
        for (Example e : got) {
            assertTrue(!bodies.contains(e.get("body")), "copied an example's body: " + e.get("body"));
        }
    }

    @Test
    void hotterSamplingWritesMoreKindsOfProblems() {
        String prompt = prompts.generation(null, task.examples(), false);
        assertTrue(skeletons(parsed(writer, prompt, 300, 1.2f, 5L))
                > skeletons(parsed(writer, prompt, 300, 0.5f, 5L)) + 10);
    }

    private static long skeletons(List<Example> samples) {
        return samples.stream()
                .map(e -> model.text().delexicalise(e.get("body"), e.get("question"), null))
                .distinct()
                .count();
    }

    @Test
    void slipsAndMisreadsAreTheConfiguredMistakes() {
        String prompt = prompts.generation(null, task.examples(), false);
        ArithmeticWriter careful =
                new ArithmeticWriter(model, ArithmeticWriterConfig.defaults().withErrors(0, 0));
        ArithmeticWriter sloppy =
                new ArithmeticWriter(model, ArithmeticWriterConfig.defaults().withErrors(0.5, 0.5));
        double carefulRate = correctRate(parsed(careful, prompt, 200, 0.5f, 9L));
        double sloppyRate = correctRate(parsed(sloppy, prompt, 200, 0.5f, 9L));
        assertTrue(carefulRate > 0.93, "without slips or misreads " + carefulRate);
        assertTrue(sloppyRate < carefulRate - 0.3, "with half slipping and half misreading " + sloppyRate);
    }

    private static double correctRate(List<Example> samples) {
        return (double) samples.stream()
                        .filter(e -> ArithmeticCheck.correct(e.get("body"), e.get("question"), e.get("answer")))
                        .count()
                / samples.size();
    }

    @Test
    void tokensLimitsAndStopsBehaveAsAServerHonoursThem() {
        String prompt = prompts.generation(null, task.examples(), false);
        Completion full = writer.generate(request(prompt, 1, 0.8f, 2L).withLogprobs(true, 0))
                .get(0);
        assertEquals("stop", full.finishReason());
        assertEquals(full.text().length(), writer.textOffset(full.tokens(), full.tokens().length));
        assertEquals(full.tokens().length, full.logprobs().length);
        StringBuilder joined = new StringBuilder();
        for (int id : full.tokens()) {
            joined.append(writer.tokenText(id));
        }
        assertEquals(full.text().replace(" ", ""), joined.toString().replace(" ", ""));
        Completion cut =
                writer.generate(request(prompt, 1, 0.8f, 2L).withMaxTokens(5)).get(0);
        assertEquals("length", cut.finishReason());
        assertEquals(5, cut.tokens().length);
        Completion line = writer.generate(request(prompt, 1, 0.8f, 2L).withStop(List.of("\n")))
                .get(0);
        assertEquals(full.text().substring(0, full.text().indexOf('\n')), line.text());
    }

    @Test
    void theFamilyJudgeAndTheCorrectnessCheckAgreeWithTrain() {
        for (WordProblem p : train) {
            assertEquals(p.family(), ArithmeticCheck.family(p.body(), p.answer()), p.toString());
            assertTrue(ArithmeticCheck.correct(p.body(), p.question(), p.answer()), p.toString());
        }
        String body = "Sam had 24 marbles. He gave 7 marbles to Umar.";
        String q = "How many marbles does Sam have left?";
        assertTrue(!ArithmeticCheck.correct(body, q, "24 - 7 = 18. The answer is 18."), "wrong arithmetic");
        assertTrue(!ArithmeticCheck.correct(body, q, "24 - 8 = 16. The answer is 16."), "8 is not in the text");
        assertTrue(!ArithmeticCheck.correct(body, q, "24 - 7 = 17. The answer is 18."), "final number differs");
        assertTrue(!ArithmeticCheck.correct(body, q, "The answer is 17."), "no step");
    }

    @Test
    void badInputGetsAClearError() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ArithmeticWriterConfig.defaults().withErrors(1.5, 0));
        assertTrue(e.getMessage().contains("1.5") && e.getMessage().contains("slip"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> ArithmeticWriterConfig.defaults().withFamilyMix(1));
        assertTrue(e.getMessage().contains("familyMix") && e.getMessage().contains("try"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ArithmeticWriterModel.build(List.of()));
        assertTrue(e.getMessage().contains("train.jsonl"), e.getMessage());
        String prompt = prompts.generation(null, task.examples(), false);
        e = assertThrows(
                IllegalArgumentException.class,
                () -> writer.generate(GenerationRequest.of(prompt).withLogprobs(true, 2)));
        assertTrue(e.getMessage().contains("top_logprobs 2"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> writer.generate(GenerationRequest.of(prompt).withMaxTokens(1 << 20)));
        assertTrue(e.getMessage().contains(Integer.toString(1 << 20)), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ArithmeticWriterReport(0, 1, 1, 1));
        assertTrue(e.getMessage().contains("samples 0"), e.getMessage());
    }
}
