package ai.goldkd.gold;

import ai.goldkd.teacher.Generator;
import ai.goldkd.teacher.OpenAiClient;
import ai.goldkd.teacher.ServableModel;

import java.util.ServiceLoader;

/**
 * Opens the teacher a {@link TeacherSpec} names: an endpoint here, an in-process teacher through the
 * {@link TeacherProvider} that holds its {@link TeacherKind} (the offline ones are in {@code gold-offline}).
 */
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
        if (!kind.offline()) {
            throw new IllegalArgumentException("the endpoint teacher is a server, not a model to open; give "
                    + TeacherKind.offlineLabels());
        }
        for (TeacherProvider provider : ServiceLoader.load(TeacherProvider.class)) {
            if (provider.kinds().contains(kind)) {
                return provider.open(kind);
            }
        }
        throw new IllegalStateException("the teacher '" + kind.label() + "' is not on the class path; add the"
                + " module that provides it (ai.goldkd:gold-offline for " + TeacherKind.offlineLabels() + ")");
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
