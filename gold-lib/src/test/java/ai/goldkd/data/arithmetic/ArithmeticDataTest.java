package ai.goldkd.data.arithmetic;

import ai.goldkd.data.Jsonl;
import ai.goldkd.data.Split;
import ai.goldkd.data.TaskCatalog;
import ai.goldkd.metrics.Equation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArithmeticDataTest {

    private static Path datasets;
    private static List<WordProblem> train;
    private static List<WordProblem> test;

    @BeforeAll
    static void generate() {
        datasets = TaskCatalog.locate().dir();
        train = ArithmeticData.generate(Split.TRAIN);
        test = ArithmeticData.generate(Split.TEST);
    }

    @Test
    void regeneratingGivesTheCommittedBytes() throws Exception {
        for (Split split : Split.values()) {
            List<WordProblem> problems = split == Split.TRAIN ? train : test;
            String expected = Files.readString(ArithmeticData.file(datasets, split), StandardCharsets.UTF_8);
            String actual =
                    Jsonl.format(problems.stream().map(WordProblem::toExample).toList());
            assertTrue(
                    expected.equals(actual),
                    split.label() + ".jsonl differs from what the generator makes now;"
                            + " if the change is intended, bump ArithmeticData.VERSION and run ArithmeticData.write");
        }
        assertEquals(test, ArithmeticData.read(datasets, Split.TEST));
    }

    @Test
    void theSameSeedGivesTheSameProblemsAndAnotherSeedOthers() {
        List<WordProblem> a = new ArithmeticGenerator(7).generate(50, "x-", Set.of());
        List<WordProblem> b = new ArithmeticGenerator(7).generate(50, "x-", Set.of());
        List<WordProblem> c = new ArithmeticGenerator(8).generate(50, "x-", Set.of());
        assertEquals(a, b);
        assertNotEquals(a, c);
        // The reference SplitMix64's first outputs for seed 0 (Vigna's splitmix64.c).
        SplitMix64 random = new SplitMix64(0);
        assertEquals(0xE220A8397B1DCDAFL, random.nextLong());
        assertEquals(0x6E789E6AA1B965F4L, random.nextLong());
    }

    @Test
    void familiesHaveExactlyTheirLongTailedShares() {
        for (Split split : Split.values()) {
            List<WordProblem> problems = split == Split.TRAIN ? train : test;
            Map<Family, Integer> counts = new EnumMap<>(Family.class);
            problems.forEach(p -> counts.merge(p.family(), 1, Integer::sum));
            for (Family f : Family.values()) {
                assertEquals(problems.size() * f.perMille() / 1000, counts.get(f), split + " " + f);
            }
        }
        assertEquals(
                Map.of(
                        Family.ADD,
                        360,
                        Family.SUBTRACT,
                        280,
                        Family.MULTIPLY,
                        100,
                        Family.DIVIDE,
                        80,
                        Family.TWO_STEP,
                        80,
                        Family.TWO_STEP_MULTIPLY,
                        50,
                        Family.DISTRACTOR,
                        50),
                Map.of(
                        Family.ADD,
                        Family.ADD.perMille(),
                        Family.SUBTRACT,
                        Family.SUBTRACT.perMille(),
                        Family.MULTIPLY,
                        Family.MULTIPLY.perMille(),
                        Family.DIVIDE,
                        Family.DIVIDE.perMille(),
                        Family.TWO_STEP,
                        Family.TWO_STEP.perMille(),
                        Family.TWO_STEP_MULTIPLY,
                        Family.TWO_STEP_MULTIPLY.perMille(),
                        Family.DISTRACTOR,
                        Family.DISTRACTOR.perMille()));
        int tail = 0;
        for (Family f : Family.values()) {
            tail += f.head() ? 0 : f.perMille();
        }
        assertEquals(360, tail, "the tail is 36% of every set");
        assertArrayEquals(new int[] {4, 3, 1, 1, 1, 0, 0}, Family.counts(10));
        assertEquals(7, java.util.Arrays.stream(Family.counts(7)).sum());
    }

    @Test
    void problemsAreWellFormedDistinctAndTheSplitsDisjoint() {
        Set<String> testKeys = new HashSet<>();
        test.forEach(p -> testKeys.add(ArithmeticGenerator.key(p)));
        assertEquals(test.size(), testKeys.size());
        Set<String> trainKeys = new HashSet<>();
        Pattern number = Pattern.compile("\\d+");
        for (WordProblem p : train) {
            assertTrue(trainKeys.add(ArithmeticGenerator.key(p)), "duplicate " + p);
            assertTrue(!testKeys.contains(ArithmeticGenerator.key(p)), "in both splits: " + p);
            assertEquals(p.value(), Equation.evaluate(p.equation()), 0.0, p.id());
            assertTrue(p.value() >= 0 && p.value() < 200, p.toString());
            assertTrue(p.answer().endsWith("The answer is " + p.value() + "."), p.toString());
            Matcher m = number.matcher(p.body());
            while (m.find()) {
                assertTrue(Integer.parseInt(m.group()) < 100, p.toString());
            }
            m = number.matcher(p.equation());
            while (m.find()) {
                assertTrue(p.body().matches(".*\\b" + m.group() + "\\b.*"), "equation number not in body: " + p);
            }
        }
    }

    @Test
    void distractorsHoldANumberTheEquationDoesNotUse() {
        for (WordProblem p : test) {
            if (p.family() == Family.DISTRACTOR) {
                long inBody =
                        Pattern.compile("\\d+").matcher(p.body()).results().count();
                long inEquation =
                        Pattern.compile("\\d+").matcher(p.equation()).results().count();
                assertEquals(inEquation + 1, inBody, p.toString());
            }
        }
    }
}
