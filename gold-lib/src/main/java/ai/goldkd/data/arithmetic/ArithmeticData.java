package ai.goldkd.data.arithmetic;

import ai.goldkd.data.Example;
import ai.goldkd.data.Jsonl;
import ai.goldkd.data.Split;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The project's fixed arithmetic data set, version 1: {@value #TRAIN_SIZE} training and
 * {@value #TEST_SIZE} test problems, committed as {@code datasets/arithmetic/train.jsonl} and
 * {@code test.jsonl}. The test set is generated first (seed {@value #TEST_SEED}); the training set
 * (seed {@value #TRAIN_SEED}) skips any body and question that the test set holds. Changing a
 * template, a seed or a size changes the data: bump the version and regenerate with {@link #write}.
 */
public final class ArithmeticData {

    /** The data set's version, written nowhere but here and in datasets/README.md. */
    public static final int VERSION = 1;
    /** The training set's size. */
    public static final int TRAIN_SIZE = 8000;
    /** The test set's size. */
    public static final int TEST_SIZE = 1000;
    /** The training set's seed. */
    public static final long TRAIN_SEED = 20240301L;
    /** The test set's seed. */
    public static final long TEST_SEED = 20240302L;
    /** The directory under {@code datasets/} that holds the files. */
    public static final String DIR = "arithmetic";

    private ArithmeticData() {}

    /**
     * Generates both splits from their seeds.
     *
     * @param split which one
     * @return the problems, as {@link #read} returns them from the committed files
     */
    public static List<WordProblem> generate(Split split) {
        List<WordProblem> test = new ArithmeticGenerator(TEST_SEED).generate(TEST_SIZE, "arith-test-", Set.of());
        if (split == Split.TEST) {
            return test;
        }
        Set<String> testKeys = new HashSet<>();
        test.forEach(p -> testKeys.add(ArithmeticGenerator.key(p)));
        return new ArithmeticGenerator(TRAIN_SEED).generate(TRAIN_SIZE, "arith-train-", testKeys);
    }

    /**
     * Writes both splits as JSONL.
     *
     * @param datasetsDir the {@code datasets/} directory; files go to {@code arithmetic/{split}.jsonl}
     */
    public static void write(Path datasetsDir) {
        for (Split split : Split.values()) {
            Jsonl.write(
                    file(datasetsDir, split),
                    generate(split).stream().map(WordProblem::toExample).toList());
        }
    }

    /**
     * Reads a split from its committed file.
     *
     * @param datasetsDir the {@code datasets/} directory
     * @param split which split
     * @return the problems
     */
    public static List<WordProblem> read(Path datasetsDir, Split split) {
        List<Example> rows = Jsonl.read(file(datasetsDir, split));
        return rows.stream().map(WordProblem::fromExample).toList();
    }

    /**
     * The file of a split.
     *
     * @param datasetsDir the {@code datasets/} directory
     * @param split which split
     * @return {@code datasetsDir/arithmetic/<split>.jsonl}
     */
    public static Path file(Path datasetsDir, Split split) {
        return datasetsDir.resolve(DIR).resolve(split.label() + ".jsonl");
    }
}
