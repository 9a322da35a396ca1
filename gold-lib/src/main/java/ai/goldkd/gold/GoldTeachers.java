package ai.goldkd.gold;

import ai.goldkd.config.Devices;
import ai.goldkd.config.GoldHome;
import ai.goldkd.teacher.CachedGenerator;
import ai.goldkd.teacher.ChatTemplateGenerator;
import ai.goldkd.teacher.CompletionCache;
import ai.goldkd.teacher.EndpointPool;
import ai.goldkd.teacher.Generator;
import ai.goldkd.teacher.LocalTeacher;
import ai.goldkd.teacher.OpenAiClient;
import ai.goldkd.teacher.OpenAiConfig;
import ai.goldkd.teacher.ServableModel;
import ai.goldkd.teacher.TeacherDown;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Opens the teacher a {@link TeacherSpec} names: an endpoint here (several replicas are an
 * {@link EndpointPool}), an in-process teacher through the {@link TeacherProvider} that holds its
 * {@link TeacherKind} (the offline ones are in {@code gold-offline}). Unless the spec turns {@code cache}
 * off, the teacher answers reproducible requests from the completion cache under
 * {@code $GOLD_HOME/cache/completions} ({@link CachedGenerator}).
 */
public final class GoldTeachers {

    /** Failures in a row after which a replica is dropped for good and its work goes to the others. */
    static final int REPLICA_FAILURES = 3;

    private GoldTeachers() {}

    /** The completion cache's folder: {@code $GOLD_HOME/cache/completions}. */
    public static Path cacheDir() {
        return GoldHome.dir().resolve("cache").resolve("completions");
    }

    /**
     * Opens a teacher, its cache under {@link #cacheDir()}.
     *
     * @param spec the spec
     * @param unused true when the run needs no teacher (real-data): nothing is opened
     * @return the teacher, to close after the run
     */
    public static Opened open(TeacherSpec spec, boolean unused) {
        return open(spec, unused, cacheDir());
    }

    /**
     * Opens a teacher with its completion cache in a given folder.
     *
     * @param spec the spec
     * @param unused true when the run needs no teacher (real-data): nothing is opened
     * @param cacheDir the completion cache's folder (used when {@link TeacherSpec#cache()})
     * @return the teacher, to close after the run
     */
    public static Opened open(TeacherSpec spec, boolean unused, Path cacheDir) {
        if (unused) {
            return new Opened(
                    request -> {
                        throw new IllegalStateException("the real-data baseline asks no teacher");
                    },
                    null);
        }
        if (spec.kind() == TeacherKind.ENDPOINT) {
            Opened endpoint = spec.endpoints().isEmpty() ? single(spec) : pool(spec);
            return spec.cache()
                    ? new Opened(
                            new CachedGenerator(
                                    endpoint.generator(),
                                    TeacherIdentity.endpoint(spec),
                                    new CompletionCache(cacheDir)),
                            endpoint.resource())
                    : endpoint;
        }
        if (spec.kind() == TeacherKind.CHECKPOINT) {
            // loaded whole before the first iteration: a hub id or a bad directory fails now
            LocalTeacher model = LocalTeacher.open(spec.model(), Devices.choose());
            return new Opened(new ChatTemplateGenerator(model), model);
        }
        ServableModel model = offline(spec.kind());
        AutoCloseable resource = model instanceof AutoCloseable c ? c : null;
        String identity = spec.cache() ? TeacherIdentity.offline(spec.kind(), model.getClass()) : null;
        return identity == null
                ? new Opened(model, resource)
                : new Opened(new CachedGenerator(model, identity, new CompletionCache(cacheDir)), resource);
    }

    private static Opened single(TeacherSpec spec) {
        OpenAiClient client = new OpenAiClient(spec.clientConfig());
        try {
            client.checkReachable(); // before the first iteration: a dead endpoint fails now, not in minutes
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        return new Opened(client, client);
    }

    /** Every replica checked; those down are dropped now (their share goes to the others), all down fails. */
    private static Opened pool(TeacherSpec spec) {
        List<OpenAiClient> clients = new ArrayList<>();
        List<EndpointPool.Endpoint> endpoints = new ArrayList<>();
        for (TeacherEndpoint e : spec.replicas()) {
            OpenAiConfig config = spec.clientConfig(e.url());
            // the replica's limit is its client's too, so that neither caps the other
            OpenAiClient client =
                    new OpenAiClient(e.concurrency() == null ? config : config.withMaxConcurrency(e.concurrency()));
            clients.add(client);
            endpoints.add(new EndpointPool.Endpoint(
                    client.config().baseUrl(),
                    client,
                    e.concurrency() != null ? e.concurrency() : client.config().maxConcurrency()));
        }
        AutoCloseable closeAll = () -> clients.forEach(OpenAiClient::close);
        EndpointPool pool = new EndpointPool(endpoints, REPLICA_FAILURES);
        List<String> down = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            try {
                clients.get(i).checkReachable();
            } catch (RuntimeException e) {
                down.add(e.getMessage());
                if (down.size() == clients.size()) {
                    clients.forEach(OpenAiClient::close);
                    throw new TeacherDown("no teacher endpoint answers: " + String.join("; ", down));
                }
                pool.drop(i);
            }
        }
        down.forEach(d -> System.err.println("gold: " + d + " (its share goes to the other endpoints)"));
        return new Opened(pool, closeAll);
    }

    /**
     * An offline teacher, as {@code gold serve} serves it.
     *
     * @param kind an offline kind
     * @return the model (close it when it is {@link AutoCloseable})
     */
    public static ServableModel offline(TeacherKind kind) {
        if (!kind.offline()) {
            throw new IllegalArgumentException("the endpoint and checkpoint teachers are a server and a directory,"
                    + " not built-in models; give " + TeacherKind.offlineLabels());
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
