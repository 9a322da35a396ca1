package ai.goldkd.offline;

import ai.goldkd.data.Split;
import ai.goldkd.data.TaskCatalog;
import ai.goldkd.data.arithmetic.ArithmeticData;
import ai.goldkd.data.arithmetic.WordProblem;

import java.nio.file.Path;
import java.util.List;

/**
 * The offline arithmetic writer, built from the arithmetic TRAIN split ({@code datasets/arithmetic/train.jsonl})
 * each time it is opened: counting takes well under a second, so nothing is cached.
 *
 * <pre>{@code
 * ArithmeticWriter teacher = ArithmeticWriters.writer();   // gold serve --model arithmetic-writer
 * }</pre>
 */
public final class ArithmeticWriters {

    /** The teacher's name: {@code gold serve --model}, {@code gold teacher build|report} and the GOLD teacher kind take it. */
    public static final String NAME = "arithmetic-writer";

    private ArithmeticWriters() {}

    /** The TRAIN problems of the checkout's {@code datasets/} ({@link TaskCatalog#locate()}). */
    public static List<WordProblem> train() {
        return train(TaskCatalog.locate().dir());
    }

    /**
     * The TRAIN problems of a datasets directory.
     *
     * @param datasetsDir the {@code datasets/} directory
     * @return the problems
     */
    public static List<WordProblem> train(Path datasetsDir) {
        return ArithmeticData.read(datasetsDir, Split.TRAIN);
    }

    /** The model counted from the checkout's TRAIN split. */
    public static ArithmeticWriterModel model() {
        return ArithmeticWriterModel.build(train());
    }

    /** The writer on the checkout's TRAIN split with {@link ArithmeticWriterConfig#defaults()}. */
    public static ArithmeticWriter writer() {
        return new ArithmeticWriter(model(), ArithmeticWriterConfig.defaults());
    }
}
