// The analysis behind docs/results.md ("Why GOLD loses here"): GOLD shows feedback in even iterations
// only, and its odd iterations are prompted exactly as ZeroGen's (same seeds, same prompts), so the two
// runs of one seed share their odd halves sample for sample. A fresh student trained on each half,
// scored on the runs' 5,000 real test reviews, says which half carries the difference.
//
//   java -cp "gold-lib/target/gold-lib-0.1.0-SNAPSHOT.jar:gold-lib/target/lib/*" docs/gold/Halves.java \
//       runs/imdb/gold-s1 runs/imdb/zerogen-oodprompt-s1 ...
import ai.goldkd.data.Example;
import ai.goldkd.data.Split;
import ai.goldkd.data.Task;
import ai.goldkd.data.TaskCatalog;
import ai.goldkd.data.TaskExamples;
import ai.goldkd.gold.GeneratedSample;
import ai.goldkd.gold.ClassifierStudent;
import ai.goldkd.gold.Iteration;
import ai.goldkd.gold.RunDirectory;
import ai.goldkd.metrics.Diversity;
import ai.goldkd.student.BagOfNgramsStudent;
import ai.goldkd.student.Student;
import ai.goldkd.student.StudentConfig;
import ai.goldkd.offline.SentimentJudge;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

public class Halves {
    public static void main(String[] runs) {
        Task task = TaskCatalog.locate().task("imdb-sentiment");
        List<Example> train = TaskCatalog.locate().examples(task, Split.TRAIN);
        SentimentJudge judge = SentimentJudge.train(train.stream().map(e -> e.get("text")).toList(),
                train.stream().map(e -> e.get("label")).toList(), task.labelNames());
        for (String run : runs) {
            RunDirectory dir = RunDirectory.open(Path.of(run));
            List<Example> test = TaskExamples.testSet(task, dir.config().testSize());
            List<GeneratedSample> even = new ArrayList<>();
            List<GeneratedSample> odd = new ArrayList<>();
            for (Iteration it : dir.completedIterations(task)) {
                (it.index() % 2 == 0 ? even : odd).addAll(it.train());
                (it.index() % 2 == 0 ? even : odd).addAll(it.validation());
            }
            int n = Math.min(even.size(), odd.size());
            StringBuilder line = new StringBuilder(run + " n=" + n);
            for (String half : List.of("even", "odd")) {
                List<GeneratedSample> samples = (half.equals("even") ? even : odd).subList(0, n);
                List<String> texts = samples.stream().map(s -> s.field("text")).toList();
                List<String> labels = samples.stream().map(s -> s.field("label")).toList();
                int[] y = labels.stream().mapToInt(l -> task.labelNames().indexOf(l)).toArray();
                double accuracy;
                try (Student s = new BagOfNgramsStudent(StudentConfig.defaults(), 2, 3)) {
                    s.train(texts, y, 5, 3);
                    accuracy = ClassifierStudent.score(s, task, test);
                }
                line.append(String.format("  %s-iters: acc %.2f len %.0f d2 %.3f cons %.3f", half, 100 * accuracy,
                        texts.stream().mapToInt(String::length).average().orElse(0), Diversity.distinctN(texts, 2),
                        judge.agreement(texts, labels)));
            }
            System.out.println(line);
        }
    }
}
