package ai.goldkd.gold;

import ai.goldkd.teacher.offline.ArithmeticWriter;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GoldTeachersTest {

    @Test
    void theArithmeticWriterKindOpensTheWriter() {
        try (GoldTeachers.Opened opened = GoldTeachers.open(TeacherSpec.offline("arithmetic-writer"), false)) {
            assertInstanceOf(ArithmeticWriter.class, opened.generator());
        }
    }

    @Test
    void anUnknownKindListsTheKinds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GoldTeachers.open(TeacherSpec.offline("arithmetic-writr"), false));
        assertTrue(e.getMessage().contains("'arithmetic-writr'") && e.getMessage().contains("arithmetic-writer")
                && e.getMessage().contains("imdb-cache"), e.getMessage());
    }
}
