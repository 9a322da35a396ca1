package ai.goldkd.offline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TeacherStoreTest {

    @TempDir
    Path root;

    @Test
    void buildsOnceThenLoadsAndRebuildsWhenTheRecipeChanges() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        Supplier<TeacherStore.Corpus> corpus = () -> {
            reads.incrementAndGet();
            return SyntheticReviews.corpus();
        };
        TeacherRecipe recipe = SyntheticReviews.recipe();
        TeacherStore.Obtained first = TeacherStore.obtain(root, "syn", recipe, corpus);
        assertTrue(first.built());
        assertTrue(Files.isRegularFile(first.dir().resolve(TeacherStore.MODEL_FILE)));
        assertTrue(
                Files.readString(first.dir().resolve(TeacherStore.RECIPE_FILE)).contains(recipe.hash()));
        try (var listing = Files.list(root)) {
            assertEquals(1, listing.count(), "no temporary directory left behind");
        }

        TeacherStore.Obtained again = TeacherStore.obtain(root, "syn", recipe, corpus);
        assertFalse(again.built());
        assertEquals(1, reads.get(), "an unchanged recipe loads without reading the data");
        assertEquals(
                first.model().vocabulary().size(), again.model().vocabulary().size());
        assertEquals(first.model().entries(), again.model().entries());
        String prompt = "1. text: the rocket and the planet\n\nlabel positive";
        var request = ai.goldkd.teacher.GenerationRequest.of(prompt)
                .withN(3)
                .withMaxTokens(100)
                .withSeed(3L);
        assertEquals(
                new LatentTopicTeacher(first.model(), LatentTopicConfig.defaults())
                        .generate(request).stream().map(c -> c.text()).toList(),
                new LatentTopicTeacher(again.model(), LatentTopicConfig.defaults())
                        .generate(request).stream().map(c -> c.text()).toList(),
                "the loaded model writes what the built one wrote");

        TeacherStore.Obtained changed = TeacherStore.obtain(root, "syn", recipe.withSeed(3), corpus);
        assertTrue(changed.built());
        assertEquals(2, reads.get());
        assertNotEquals(first.dir(), changed.dir());
    }

    @Test
    void aModelOfAnotherRecipeIsRefused() {
        TeacherStore.Obtained built =
                TeacherStore.obtain(root, "syn", SyntheticReviews.recipe(), SyntheticReviews::corpus);
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> TopicNgramModel.load(
                        built.dir().resolve(TeacherStore.MODEL_FILE),
                        SyntheticReviews.recipe().withTopics(3)));
        assertTrue(e.getMessage().contains("gold teacher build imdb"), e.getMessage());
    }

    @Test
    void theHashFollowsEverySetting() {
        TeacherRecipe r = SyntheticReviews.recipe();
        assertEquals(r.hash(), SyntheticReviews.recipe().hash());
        assertNotEquals(r.hash(), r.withTopics(3).hash());
        assertNotEquals(r.hash(), r.withCounts(2, 1, 256).hash());
        assertNotEquals(r.hash(), TeacherRecipe.defaults("1".repeat(64)).hash());
        assertThrows(IllegalArgumentException.class, () -> r.withTopics(1));
    }
}
