package ai.goldkd.offline;

import ai.goldkd.data.Example;
import ai.goldkd.data.Jsonl;
import ai.goldkd.data.Split;
import ai.goldkd.data.Task;
import ai.goldkd.data.TaskCatalog;
import ai.goldkd.data.TaskExamples;
import ai.goldkd.gold.ClassifierStudent;
import ai.goldkd.gold.GeneratedSample;
import ai.goldkd.gold.Iteration;
import ai.goldkd.gold.RunDirectory;
import ai.goldkd.metrics.Diversity;
import ai.goldkd.student.BagOfNgramsStudent;
import ai.goldkd.student.EncoderStudent;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Why one method beats another: for finished runs of a classification task, what their data and
 * final students look like, judged by measures independent of the teacher (a naive Bayes judge
 * and topics fitted on real training data, {@link TeacherHealth}). Per method, averaged over seeds:
 *
 * <ul>
 *   <li>{@code consistency}: the judge agrees with the requested label, over all accepted samples;
 *   <li>{@code consistency dropped} / {@code consistency feedback}: the same over what the noise filter
 *       dropped and what went back to the teacher as feedback;
 *   <li>{@code distinct-2}, {@code topic overlap} (1 - total variation between the data's and the real
 *       test set's topic histograms) and {@code test coverage};
 *   <li>{@code accuracy} and {@code tail accuracy}: the final student on the real test set, and on its
 *       tail: test reviews of the rarest judge topics, together at most 25% of the test set.
 * </ul>
 *
 * @param health the judge and topics
 * @param task the task
 * @param test the real test samples the tail is cut from
 */
public record RunDiagnostics(TeacherHealth health, Task task, List<Example> test) {

    /** The tail: the rarest topics whose test reviews together make at most this share. */
    public static final double TAIL_SHARE = 0.25;

    /**
     * Builds the diagnostics for a task, fitting the judge on its real training split.
     *
     * @param taskName the task
     * @param testSize real test samples (the runs' own test subset size), 0 for all
     * @return the diagnostics
     */
    public static RunDiagnostics fit(String taskName, int testSize) {
        Task task = TaskCatalog.locate().task(taskName);
        List<Example> train = TaskCatalog.locate().examples(task, Split.TRAIN);
        List<Example> test = TaskExamples.testSet(task, testSize);
        return new RunDiagnostics(TeacherHealth.fit(train, test, task.labelNames()), task, test);
    }

    /**
     * The table, one row per method in the order first seen.
     *
     * @param runs finished run directories
     * @return the table
     */
    public Table table(List<Path> runs) {
        Set<Integer> tailTopics = tailTopics();
        List<Integer> topics = health.topicsOf(TaskExamples.inputsOf(task, test));
        List<Example> tail = IntStream.range(0, test.size())
                .filter(i -> tailTopics.contains(topics.get(i)))
                .mapToObj(test::get)
                .toList();
        Map<String, List<double[]>> rows = new LinkedHashMap<>();
        for (Path dir : runs) {
            RunDirectory run = RunDirectory.open(dir);
            if (run.result() == null) {
                continue;
            }
            rows.computeIfAbsent(run.config().name(), k -> new ArrayList<>()).add(measure(run, tail));
        }
        String[] names = {
            "consistency",
            "consistency dropped",
            "consistency feedback",
            "distinct-2",
            "topic overlap",
            "test coverage",
            "accuracy",
            "tail accuracy"
        };
        return meanTable(
                String.format(
                        Locale.ROOT,
                        "Data and students, judged on real data (tail: %d of %d" + " test reviews)",
                        tail.size(),
                        test.size()),
                names,
                rows);
    }

    /**
     * One row per method: the number of seeds, then each measure's mean over the seeds (NaN left out),
     * to four decimals.
     *
     * @param title the table's name
     * @param names the measures, in the order of each row's values
     * @param rows per method, one array of values per seed
     * @return the table
     */
    static Table meanTable(String title, String[] names, Map<String, List<double[]>> rows) {
        StringColumn method = StringColumn.create("method");
        IntColumn seeds = IntColumn.create("seeds");
        DoubleColumn[] columns = Arrays.stream(names).map(DoubleColumn::create).toArray(DoubleColumn[]::new);
        rows.forEach((name, values) -> {
            method.append(name);
            seeds.append(values.size());
            for (int c = 0; c < names.length; c++) {
                int col = c;
                double mean = values.stream()
                        .mapToDouble(v -> v[col])
                        .filter(x -> !Double.isNaN(x))
                        .average()
                        .orElse(Double.NaN);
                columns[c].append(Double.parseDouble(String.format(Locale.ROOT, "%.4f", mean)));
            }
        });
        Table t = Table.create(title, method, seeds);
        t.addColumns(columns);
        return t;
    }

    private double[] measure(RunDirectory run, List<Example> tail) {
        List<GeneratedSample> all = new ArrayList<>();
        List<GeneratedSample> feedback = new ArrayList<>();
        for (Iteration it : run.completedIterations(task)) {
            all.addAll(it.train());
            all.addAll(it.validation());
            feedback.addAll(it.feedback());
        }
        Path droppedFile = run.finalDir().resolve("dropped.jsonl");
        List<String> fields = task.fields().stream().map(f -> f.name()).toList();
        List<GeneratedSample> dropped = Files.exists(droppedFile)
                ? Jsonl.read(droppedFile).stream()
                        .map(r -> GeneratedSample.fromRow(r, fields))
                        .toList()
                : List.of();
        List<String> texts = texts(all);
        double accuracy = Double.NaN;
        double tailAccuracy = Double.NaN;
        Path studentFile = run.finalDir().resolve("student.bin");
        Path encoderDir = run.finalDir().resolve("student");
        if (Files.exists(studentFile)) {
            try (BagOfNgramsStudent s = BagOfNgramsStudent.load(studentFile)) {
                accuracy = ClassifierStudent.score(s, task, test);
                tailAccuracy = ClassifierStudent.score(s, task, tail);
            }
        } else if (Files.exists(encoderDir.resolve("config.json"))) {
            // an encoder student's final checkpoint: a Hugging Face directory with its head
            try (EncoderStudent s = EncoderStudent.open(
                    encoderDir,
                    run.config().student().encoder().settings(),
                    task.labelNames().size(),
                    run.config().seed(),
                    run.config().student().encoder().featureCache())) {
                accuracy = ClassifierStudent.score(s, task, test);
                tailAccuracy = ClassifierStudent.score(s, task, tail);
            }
        }
        return new double[] {
            consistency(all),
            consistency(dropped),
            consistency(feedback),
            texts.isEmpty() ? Double.NaN : Diversity.distinctN(texts, 2),
            texts.isEmpty() ? Double.NaN : health.topicOverlap(texts),
            texts.isEmpty() ? Double.NaN : health.testCoverage(texts),
            accuracy,
            tailAccuracy
        };
    }

    private double consistency(List<GeneratedSample> samples) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        return health.labelConsistency(
                texts(samples),
                samples.stream().map(s -> s.field(task.target().name())).toList());
    }

    private List<String> texts(List<GeneratedSample> samples) {
        return TaskExamples.inputsOf(
                task, samples.stream().map(GeneratedSample::sample).toList());
    }

    /** The rarest judge topics of the test set, together at most {@link #TAIL_SHARE} of it. */
    Set<Integer> tailTopics() {
        double[] h = health.histogram(TaskExamples.inputsOf(task, test));
        Integer[] order = IntStream.range(0, h.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> h[i]));
        Set<Integer> out = new HashSet<>();
        double sum = 0;
        for (int t : order) {
            if (sum + h[t] > TAIL_SHARE) {
                break;
            }
            sum += h[t];
            out.add(t);
        }
        return out;
    }
}
