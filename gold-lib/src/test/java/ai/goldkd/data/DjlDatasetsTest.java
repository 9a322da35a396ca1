package ai.goldkd.data;

import ai.djl.basicdataset.nlp.StanfordMovieReview;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DjlDatasetsTest {

    /** A stand-in tokenizer: one id per character. */
    private static int[] chars(String text) {
        return text.chars().toArray();
    }

    @Test
    void examplesBatchThroughDjl() throws Exception {
        List<Example> rows = List.of(
                Example.of("text", "good", "label", "positive"),
                Example.of("text", "bad film", "label", "negative"),
                Example.of("text", "ok", "label", "positive"));
        ExampleDataset data = ExampleDataset.builder()
                .setExamples(rows)
                .setEncoder(Encoders.classification(DjlDatasetsTest::chars, 0, "text", "label", ImdbReviews.LABELS, 5))
                .setSampling(2, false)
                .build();
        assertEquals(3, data.size());
        try (NDManager manager = NDManager.newBaseManager()) {
            int batches = 0;
            for (Batch batch : data.getData(manager)) {
                try (batch) {
                    if (batches == 0) {
                        assertArrayEquals(
                                new long[] {2, 5},
                                batch.getData().head().getShape().getShape());
                        assertArrayEquals(
                                new int[] {'g', 'o', 'o', 'd', 0, 'b', 'a', 'd', ' ', 'f'},
                                batch.getData().head().toIntArray());
                        assertArrayEquals(
                                new int[] {1, 0}, batch.getLabels().head().toIntArray());
                    }
                    batches++;
                }
            }
            assertEquals(2, batches);
        }
    }

    @Test
    void builderNamesWhatIsMissing() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ExampleDataset.builder()
                        .setExamples(List.of(Example.of("text", "x")))
                        .setSampling(1, false)
                        .build());
        assertTrue(e.getMessage().contains("setEncoder"), e.getMessage());
    }

    @Test
    void absentDjlFilesNameWhatToPutWhere(@TempDir Path dir) {
        DataFileException e =
                assertThrows(DataFileException.class, () -> DjlDatasets.movieReviews(dir, Dataset.Usage.TRAIN));
        assertTrue(
                e.getMessage().contains(dir.resolve("aclImdb/aclImdb/train/pos").toString())
                        && e.getMessage().contains("tar xzf aclImdb_v1.tar.gz"),
                e.getMessage());
        e = assertThrows(DataFileException.class, () -> DjlDatasets.squad(dir, Dataset.Usage.TEST));
        assertTrue(e.getMessage().contains(dir.resolve("dev-v2.0.json").toString()), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DjlDatasets.squad(dir, Dataset.Usage.VALIDATION));
    }

    @Test
    void djlsMovieReviewsReadALocalDirectory(@TempDir Path dir) throws Exception {
        Path train = dir.resolve("aclImdb/aclImdb/train");
        Files.createDirectories(train.resolve("pos"));
        Files.createDirectories(train.resolve("neg"));
        Files.writeString(train.resolve("pos/0_9.txt"), "A wonderful film.", StandardCharsets.UTF_8);
        Files.writeString(train.resolve("neg/1_2.txt"), "Dull and too long.", StandardCharsets.UTF_8);
        StanfordMovieReview reviews = DjlDatasets.movieReviews(dir, Dataset.Usage.TRAIN)
                .setSampling(2, false)
                .build();
        reviews.prepare();
        assertEquals(2, reviews.size());
        assertEquals("A wonderful film.", reviews.getRawText(0, true));
    }
}
