package ai.goldkd.offline;

import ai.goldkd.gold.TeacherKind;
import ai.goldkd.gold.TeacherProvider;
import ai.goldkd.teacher.ServableModel;

import java.util.EnumSet;
import java.util.Set;

/** The offline teachers by name, for {@link ai.goldkd.gold.GoldTeachers} (registered as a service). */
public final class OfflineTeachers implements TeacherProvider {

    @Override
    public Set<TeacherKind> kinds() {
        return EnumSet.of(
                TeacherKind.IMDB, TeacherKind.IMDB_CACHE, TeacherKind.IMDB_TRANSFORMER, TeacherKind.ARITHMETIC_WRITER);
    }

    @Override
    public ServableModel open(TeacherKind kind) {
        return switch (kind) {
            case IMDB -> ImdbTeachers.latentTopic();
            case IMDB_CACHE -> ImdbTeachers.cacheBaseline();
            case IMDB_TRANSFORMER -> ImdbTeachers.transformer();
            case ARITHMETIC_WRITER -> ArithmeticWriters.writer();
            default ->
                throw new IllegalArgumentException(
                        "'" + kind.label() + "' is not an offline teacher; give " + TeacherKind.offlineLabels());
        };
    }
}
