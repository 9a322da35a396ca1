package ai.goldkd.gold;

import ai.goldkd.offline.ArithmeticWriter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GoldTeachersTest {

    @Test
    void theArithmeticWriterKindOpensTheWriter() {
        try (GoldTeachers.Opened opened = GoldTeachers.open(
                TeacherSpec.offline(TeacherKind.parse("arithmetic-writer")).withCache(false), false)) {
            assertInstanceOf(ArithmeticWriter.class, opened.generator());
        }
    }

    @Test
    void anUnknownKindListsTheKinds() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> TeacherKind.parse("arithmetic-writr"));
        assertTrue(
                e.getMessage().contains("'arithmetic-writr'")
                        && e.getMessage().contains("arithmetic-writer")
                        && e.getMessage().contains("imdb-cache"),
                e.getMessage());
    }

    @Test
    void oneListOfTeacherNamesServesRunGenerateAndServe() {
        assertEquals(
                List.of("imdb", "imdb-cache", "imdb-transformer", "arithmetic-writer"), TeacherKind.offlineLabels());
        for (String name : TeacherKind.offlineLabels()) {
            assertEquals(name, TeacherKind.parse(name).label());
        }
        assertThrows(
                IllegalArgumentException.class,
                () -> TeacherKind.parse("imdb-baseline"),
                "the cache baseline has one name, imdb-cache");
        assertThrows(IllegalArgumentException.class, () -> GoldTeachers.offline(TeacherKind.ENDPOINT));
    }
}
