package ai.goldkd.student;

import ai.goldkd.data.Example;
import ai.goldkd.data.ImdbReviews;
import ai.goldkd.data.Split;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BagOfNgramsStudentTest {

    private static final List<String> TEXTS = List.of(
            "a great wonderful film",
            "awful boring mess",
            "wonderful acting, great story",
            "boring and awful",
            "great fun",
            "an awful waste");
    private static final int[] LABELS = {1, 0, 1, 0, 1, 0};

    @Test
    void learnsASeparableToyTaskAndIsDeterministic() {
        StudentConfig config = StudentConfig.defaults();
        try (Student a = new BagOfNgramsStudent(config, 2, 7);
                Student b = new BagOfNgramsStudent(config, 2, 7)) {
            a.train(TEXTS, LABELS, 30, 1);
            b.train(TEXTS, LABELS, 30, 1);
            assertArrayEquals(LABELS, a.predict(TEXTS));
            assertArrayEquals(a.logits(List.of("great film"))[0], b.logits(List.of("great film"))[0]);
            assertEquals(1, a.predict(List.of("what a great story"))[0]);
            assertEquals(0, a.predict(List.of("boring, awful"))[0]);
        }
    }

    @Test
    void rejectsMismatchedLabels() {
        try (Student s = new BagOfNgramsStudent(StudentConfig.defaults(), 2, 1)) {
            Exception e = assertThrows(IllegalArgumentException.class, () -> s.train(TEXTS, new int[] {1}, 1, 1));
            assertTrue(e.getMessage().contains("6 texts but 1 labels"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> s.train(List.of("x"), new int[] {2}, 1, 1));
            assertTrue(e.getMessage().contains("label 2"), e.getMessage());
        }
    }

    @Test
    void featuresHashWordsAndPairsIntoBuckets() {
        int[] f = HashedNgrams.features("Great film! Great.", 1000, 100);
        assertEquals(7, f.length); // 4 words (great, film, !, great) + 3 pairs
        assertEquals(f[0], f[3]); // the same word, the same bucket
        for (int id : f) {
            assertTrue(id >= 1 && id < 1000, "bucket " + id);
        }
        assertEquals(3, HashedNgrams.features("Great film! Great.", 1000, 3).length);
    }

    @Test
    void reachesFastTextAccuracyOnRealReviews() {
        Assumptions.assumeTrue(Files.exists(ImdbReviews.file()), "IMDB not installed (environment/gold setup)");
        ImdbReviews imdb = ImdbReviews.load();
        List<Example> train = imdb.subset(Split.TRAIN, 3000);
        List<Example> test = imdb.subset(Split.TEST, 2000);
        try (Student s = new BagOfNgramsStudent(StudentConfig.defaults(), 2, 3)) {
            long t0 = System.nanoTime();
            s.train(texts(train), labels(train), 5, 3);
            long t1 = System.nanoTime();
            int[] predicted = s.predict(texts(test));
            int[] gold = labels(test);
            int correct = 0;
            for (int i = 0; i < gold.length; i++) {
                correct += predicted[i] == gold[i] ? 1 : 0;
            }
            double accuracy = correct / (double) gold.length;
            System.out.printf(
                    "student on 3000 real reviews: accuracy %.4f, train %.1f s, predict %.1f s%n",
                    accuracy, (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);
            assertTrue(accuracy > 0.80, "accuracy " + accuracy);
        }
    }

    static List<String> texts(List<Example> examples) {
        List<String> out = new ArrayList<>();
        examples.forEach(e -> out.add(e.fields().get("text")));
        return out;
    }

    static int[] labels(List<Example> examples) {
        return examples.stream()
                .mapToInt(e -> ImdbReviews.LABELS.indexOf(e.fields().get("label")))
                .toArray();
    }
}
