package ai.goldkd.train.distill;

import ai.goldkd.data.Split;
import ai.goldkd.data.Task;
import ai.goldkd.data.TaskCatalog;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.List;

/**
 * The prompts of a distillation experiment: what the student trains on, what is held out for the
 * validation cross-entropy, and what is scored.
 *
 * @param train training prompts and answers, at least one
 * @param validation held-out prompts and answers; may be empty
 * @param test the problems to score
 */
public record PromptSplits(List<PromptExample> train, List<PromptExample> validation, List<PromptExample> test) {

    /** Copies the lists and checks that there is something to train on. */
    public PromptSplits {
        if (train == null || train.isEmpty()) {
            throw new IllegalArgumentException("no training examples; give at least one prompt and answer");
        }
        train = List.copyOf(train);
        validation = validation == null ? List.of() : List.copyOf(validation);
        test = test == null ? List.of() : List.copyOf(test);
    }

    /**
     * Splits of a task in the catalogue: the first {@code trainSize} train examples, the last
     * {@code validationSize} of the train split for validation, the first {@code testSize} test examples.
     *
     * @param taskName the task, e.g. {@code arithmetic-answer}
     * @param trainSize training examples
     * @param validationSize validation examples, taken from the end of the train split
     * @param testSize test examples
     * @return the splits
     * @throws IllegalArgumentException when a split has fewer examples than asked, naming both counts
     */
    public static PromptSplits of(String taskName, int trainSize, int validationSize, int testSize) {
        TaskCatalog catalog = TaskCatalog.locate();
        Task task = catalog.task(taskName);
        List<PromptExample> all = PromptExample.of(task, catalog.examples(task, Split.TRAIN));
        List<PromptExample> test = PromptExample.of(task, catalog.examples(task, Split.TEST));
        if (trainSize < 1
                || validationSize < 0
                || testSize < 0
                || trainSize > all.size()
                || validationSize > all.size()
                || testSize > test.size()) {
            throw new IllegalArgumentException(taskName + " has " + all.size() + " train and " + test.size()
                    + " test examples; asked for " + trainSize + " train, " + validationSize + " validation and "
                    + testSize + " test: ask for at most as many (and at least one to train on)");
        }
        return new PromptSplits(
                all.subList(0, trainSize),
                all.subList(all.size() - validationSize, all.size()),
                test.subList(0, testSize));
    }

    /**
     * A few training examples as a table: family, prompt and reference answer.
     *
     * @param n how many, from the first
     * @return the table
     */
    public Table sample(int n) {
        List<PromptExample> first = train.subList(0, Math.min(n, train.size()));
        return Table.create(
                first.size() == 1 ? "A training problem" : first.size() + " training problems",
                StringColumn.create(
                        "family", first.stream().map(PromptExample::slice).toList()),
                StringColumn.create(
                        "prompt", first.stream().map(e -> e.prompt().strip()).toList()),
                StringColumn.create(
                        "reference answer",
                        first.stream().map(PromptExample::answer).toList()));
    }
}
