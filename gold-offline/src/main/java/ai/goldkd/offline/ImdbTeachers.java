package ai.goldkd.offline;

import ai.goldkd.config.GoldHome;
import ai.goldkd.data.Example;
import ai.goldkd.data.ImdbReviews;
import ai.goldkd.data.Split;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The offline IMDB teachers, built from the IMDB TRAIN split and cached under
 * {@code $GOLD_HOME/teachers/imdb-HASH/} ({@code gold teacher build imdb} builds ahead of time).
 *
 * <pre>{@code
 * Generator teacher = ImdbTeachers.latentTopic();          // the GOLD loop's embedded default
 * Generator baseline = ImdbTeachers.cacheBaseline();       // class-conditional trigram + example cache
 * TransformerTeacher lm = ImdbTeachers.transformer();       // a small transformer LM (trained on first use)
 * }</pre>
 */
public final class ImdbTeachers {

    /** The teacher's name: its cache directories start with it, {@code gold serve --model} takes it. */
    public static final String NAME = "imdb";

    private ImdbTeachers() {}

    /** The default recipe: {@link TeacherRecipe#defaults} on the pinned IMDB file. */
    public static TeacherRecipe recipe() {
        // ImdbReviews.load() refuses any file whose SHA-256 is not the pinned one, so the pin names the data.
        return TeacherRecipe.defaults(ImdbReviews.SHA256);
    }

    /** Where built teachers live: {@code $GOLD_HOME/teachers}. */
    public static Path root() {
        return GoldHome.dir().resolve("teachers");
    }

    /**
     * Loads the model of a recipe, building it from the IMDB TRAIN split when it is not cached.
     *
     * @param recipe the recipe
     * @return the model, where it lives, and whether it was built now
     */
    public static TeacherStore.Obtained obtain(TeacherRecipe recipe) {
        return TeacherStore.obtain(root(), NAME, recipe, ImdbTeachers::trainCorpus);
    }

    /** The default model (built on first use, then loaded from the cache). */
    public static TopicNgramModel model() {
        return obtain(recipe()).model();
    }

    /** The latent-topic teacher on the default model, with {@link LatentTopicConfig#defaults()}. */
    public static LatentTopicTeacher latentTopic() {
        return new LatentTopicTeacher(model(), LatentTopicConfig.defaults());
    }

    /** The trigram + cache baseline on the default model, cache weight 0.4. */
    public static CacheTrigramTeacher cacheBaseline() {
        return new CacheTrigramTeacher(model(), CacheTrigramTeacher.DEFAULT_CACHE_WEIGHT);
    }

    /** The name of the transformer teacher: its cache directories start with it. */
    public static final String TRANSFORMER_NAME = "imdb-transformer";

    /** The transformer teacher's default recipe: {@link TransformerRecipe#defaults} on the pinned IMDB file. */
    public static TransformerRecipe transformerRecipe() {
        return TransformerRecipe.defaults(ImdbReviews.SHA256);
    }

    /**
     * Loads the transformer teacher of a recipe, training it on the IMDB TRAIN split when it is not cached
     * in {@code $GOLD_HOME/teachers/imdb-transformer-HASH/}.
     *
     * @param recipe the recipe
     * @param log progress lines of a build
     * @return the teacher (close it), where it lives, and whether it was built now
     */
    public static TeacherStore.ObtainedTransformer obtainTransformer(TransformerRecipe recipe, Consumer<String> log) {
        return TeacherStore.obtain(root(), TRANSFORMER_NAME, recipe, ImdbTeachers::trainCorpus, log);
    }

    /** The small-transformer teacher of the default recipe (trained on first use: minutes); close it. */
    public static TransformerTeacher transformer() {
        return obtainTransformer(transformerRecipe(), System.err::println).teacher();
    }

    /** The IMDB TRAIN split as a corpus. */
    public static TeacherStore.Corpus trainCorpus() {
        List<Example> train = ImdbReviews.load().split(Split.TRAIN);
        return new TeacherStore.Corpus(
                train.stream().map(e -> e.get("text")).toList(),
                train.stream().map(e -> e.get("label")).toList(),
                ImdbReviews.LABELS);
    }
}
