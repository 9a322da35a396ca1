package ai.goldkd.offline;

import ai.goldkd.data.Sha256;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Everything that decides what {@link TopicNgramModel#build} makes: the data (by SHA-256), the topic
 * and n-gram settings, and {@link #VERSION}, the version of the build code. Two equal recipes give
 * the same model, so a built model is cached under the recipe's {@link #hash()}.
 *
 * @param dataSha256 the SHA-256 of the training data file, in hex
 * @param topics how many latent topics k-means finds, at least 2
 * @param topicMinDf the fewest training reviews a topic word occurs in
 * @param topicMaxDfShare the largest share of training reviews a topic word occurs in, in (0, 1]
 * @param kmeansIterations k-means iterations, at least 1
 * @param seed the k-means++ seed
 * @param vocabMinCount the least count of a word the n-gram models know; rarer words are never written
 * @param trigramMinCount the least count of a stored trigram (singletons are dropped by default)
 * @param maxContinuations the most continuations stored per context, at least 1
 * @param discount the absolute discount D of the interpolated models, in (0, 1)
 */
public record TeacherRecipe(
        String dataSha256,
        int topics,
        int topicMinDf,
        double topicMaxDfShare,
        int kmeansIterations,
        long seed,
        int vocabMinCount,
        int trigramMinCount,
        int maxContinuations,
        double discount) {

    /** The version of the build code; bump it when the build changes what it writes. */
    public static final int VERSION = 2;

    /** Checks every field and names the bad value. */
    public TeacherRecipe {
        if (dataSha256 == null || !dataSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("dataSha256 must be 64 lower-case hex digits, got " + dataSha256);
        }
        if (topics < 2) {
            throw new IllegalArgumentException("topics must be >= 2, got " + topics + "; try 30");
        }
        if (topicMinDf < 1) {
            throw new IllegalArgumentException("topicMinDf must be >= 1, got " + topicMinDf);
        }
        if (!(topicMaxDfShare > 0 && topicMaxDfShare <= 1)) {
            throw new IllegalArgumentException("topicMaxDfShare must be in (0, 1], got " + topicMaxDfShare);
        }
        if (kmeansIterations < 1) {
            throw new IllegalArgumentException("kmeansIterations must be >= 1, got " + kmeansIterations);
        }
        if (vocabMinCount < 1 || trigramMinCount < 1) {
            throw new IllegalArgumentException(
                    "vocabMinCount " + vocabMinCount + " and trigramMinCount " + trigramMinCount + " must be >= 1");
        }
        if (maxContinuations < 1) {
            throw new IllegalArgumentException("maxContinuations must be >= 1, got " + maxContinuations + "; try 256");
        }
        if (!(discount > 0 && discount < 1)) {
            throw new IllegalArgumentException("discount must be in (0, 1), got " + discount + "; try 0.75");
        }
    }

    /**
     * The default recipe for a data file.
     *
     * @param dataSha256 the file's SHA-256
     * @return 30 topics, words in 5 to 30% of reviews, 15 k-means iterations, seed 1; words seen 3
     *     times, trigrams seen twice, 256 continuations per context, discount 0.75
     */
    public static TeacherRecipe defaults(String dataSha256) {
        return new TeacherRecipe(dataSha256, 30, 5, 0.3, 15, 1, 3, 2, 256, 0.75);
    }

    /** @return a copy with another number of topics */
    public TeacherRecipe withTopics(int value) {
        return new TeacherRecipe(
                dataSha256,
                value,
                topicMinDf,
                topicMaxDfShare,
                kmeansIterations,
                seed,
                vocabMinCount,
                trigramMinCount,
                maxContinuations,
                discount);
    }

    /** @return a copy with another k-means seed */
    public TeacherRecipe withSeed(long value) {
        return new TeacherRecipe(
                dataSha256,
                topics,
                topicMinDf,
                topicMaxDfShare,
                kmeansIterations,
                value,
                vocabMinCount,
                trigramMinCount,
                maxContinuations,
                discount);
    }

    /** @return a copy with other word count cuts */
    public TeacherRecipe withCounts(int vocabMin, int trigramMin, int continuations) {
        return new TeacherRecipe(
                dataSha256,
                topics,
                topicMinDf,
                topicMaxDfShare,
                kmeansIterations,
                seed,
                vocabMin,
                trigramMin,
                continuations,
                discount);
    }

    /** @return a copy with other topic word limits */
    public TeacherRecipe withTopicWords(int minDf, double maxDfShare) {
        return new TeacherRecipe(
                dataSha256,
                topics,
                minDf,
                maxDfShare,
                kmeansIterations,
                seed,
                vocabMinCount,
                trigramMinCount,
                maxContinuations,
                discount);
    }

    /** The recipe as one canonical line, {@link #VERSION} first: what {@link #hash()} digests. */
    public String canonical() {
        return String.format(
                Locale.ROOT,
                "v%d data=%s topics=%d minDf=%d maxDf=%s iterations=%d seed=%d vocabMin=%d"
                        + " trigramMin=%d continuations=%d discount=%s",
                VERSION,
                dataSha256,
                topics,
                topicMinDf,
                Double.toString(topicMaxDfShare),
                kmeansIterations,
                seed,
                vocabMinCount,
                trigramMinCount,
                maxContinuations,
                Double.toString(discount));
    }

    /** The first 12 hex digits of the SHA-256 of {@link #canonical()}: the cache directory's suffix. */
    public String hash() {
        return Sha256.hex(canonical().getBytes(StandardCharsets.UTF_8)).substring(0, 12);
    }
}
