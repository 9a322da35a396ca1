package ai.goldkd.gold;

import ai.goldkd.teacher.Generator;
import ai.goldkd.teacher.OpenAiClient;
import ai.goldkd.teacher.offline.ArithmeticWriters;
import ai.goldkd.teacher.offline.ImdbTeachers;
import ai.goldkd.teacher.offline.TransformerTeacher;

/** Opens the teacher a {@link TeacherSpec} names. */
public final class GoldTeachers {

    private GoldTeachers() {}

    /**
     * Opens a teacher.
     *
     * @param spec the spec
     * @param unused true when the run needs no teacher (real-data): nothing is opened
     * @return the teacher, to close after the run
     */
    public static Opened open(TeacherSpec spec, boolean unused) {
        if (unused) {
            return new Opened(request -> {
                throw new IllegalStateException("the real-data baseline asks no teacher");
            }, null);
        }
        return switch (spec.kind()) {
            case "endpoint" -> {
                OpenAiClient client = new OpenAiClient(spec.clientConfig());
                try {
                    client.checkReachable(); // before the first iteration: a dead endpoint fails now, not in minutes
                } catch (RuntimeException e) {
                    client.close();
                    throw e;
                }
                yield new Opened(client, client);
            }
            case "imdb" -> new Opened(ImdbTeachers.latentTopic(), null);
            case "imdb-cache" -> new Opened(ImdbTeachers.cacheBaseline(), null);
            case ArithmeticWriters.NAME -> new Opened(ArithmeticWriters.writer(), null);
            case "imdb-transformer" -> {
                TransformerTeacher teacher = ImdbTeachers.transformer();
                yield new Opened(teacher, teacher);
            }
            default -> throw new IllegalArgumentException("teacher kind '" + spec.kind() + "' is unknown; use imdb,"
                    + " imdb-cache, imdb-transformer, " + ArithmeticWriters.NAME + " or endpoint");
        };
    }

    /**
     * An opened teacher and what to close after it.
     *
     * @param generator the teacher
     * @param resource closed after the run, or null
     */
    public record Opened(Generator generator, AutoCloseable resource) implements AutoCloseable {
        @Override
        public void close() {
            if (resource != null) {
                try {
                    resource.close();
                } catch (Exception e) {
                    throw new IllegalStateException("could not close the teacher: " + e.getMessage(), e);
                }
            }
        }
    }
}
