package ai.goldkd.gold;

import ai.goldkd.teacher.ServableModel;

import java.util.Set;

/**
 * Opens in-process teachers by {@link TeacherKind}: the seam between the library, which names teachers in
 * its configs, and the modules that hold them (the embedded offline world, {@code gold-offline}). Found
 * through {@link java.util.ServiceLoader}: a provider lists its class in
 * {@code META-INF/services/ai.goldkd.gold.TeacherProvider}. Adding an offline teacher is one class, one
 * {@link TeacherKind} constant and one case in its module's provider.
 */
public interface TeacherProvider {

    /** The kinds this provider opens. */
    Set<TeacherKind> kinds();

    /**
     * Opens a teacher.
     *
     * @param kind one of {@link #kinds()}
     * @return the model (close it when it is {@link AutoCloseable})
     */
    ServableModel open(TeacherKind kind);
}
