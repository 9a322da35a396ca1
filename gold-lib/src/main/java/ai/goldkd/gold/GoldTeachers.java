package ai.goldkd.gold;

import ai.goldkd.config.Devices;
import ai.goldkd.teacher.ChatTemplateGenerator;
import ai.goldkd.teacher.Generator;
import ai.goldkd.teacher.LocalTeacher;
import ai.goldkd.teacher.OpenAiClient;
import ai.goldkd.teacher.ServableModel;
import ai.goldkd.teacher.offline.ArithmeticWriters;
import ai.goldkd.teacher.offline.ImdbTeachers;

/** Opens the teacher a {@link TeacherSpec} names: a switch on {@link TeacherKind}. */
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
        if (spec.kind() == TeacherKind.ENDPOINT) {
            OpenAiClient client = new OpenAiClient(spec.clientConfig());
            try {
                client.checkReachable(); // before the first iteration: a dead endpoint fails now, not in minutes
            } catch (RuntimeException e) {
                client.close();
                throw e;
            }
            return new Opened(client, client);
        }
        if (spec.kind() == TeacherKind.CHECKPOINT) {
            // loaded whole before the first iteration: a hub id or a bad directory fails now
            LocalTeacher model = LocalTeacher.open(spec.model(), Devices.choose());
            return new Opened(new ChatTemplateGenerator(model), model);
        }
        ServableModel model = offline(spec.kind());
        return new Opened(model, model instanceof AutoCloseable c ? c : null);
    }

    /**
     * An offline teacher, as {@code gold serve} serves it.
     *
     * @param kind an offline kind
     * @return the model (close it when it is {@link AutoCloseable})
     */
    public static ServableModel offline(TeacherKind kind) {
        return switch (kind) {
            case IMDB -> ImdbTeachers.latentTopic();
            case IMDB_CACHE -> ImdbTeachers.cacheBaseline();
            case IMDB_TRANSFORMER -> ImdbTeachers.transformer();
            case ARITHMETIC_WRITER -> ArithmeticWriters.writer();
            case ENDPOINT, CHECKPOINT -> throw new IllegalArgumentException("the endpoint and checkpoint teachers are a server"
                    + " and a directory, not built-in models; give " + TeacherKind.offlineLabels());
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
