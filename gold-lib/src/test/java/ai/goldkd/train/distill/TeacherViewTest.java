package ai.goldkd.train.distill;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.goldkd.loss.Divergences;
import ai.goldkd.model.CausalLm;
import ai.goldkd.model.SamplingConfig;
import ai.goldkd.teacher.LocalTeacher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-token teacher view and the regime runs, on the toy task of {@link DistillationTrainerTest}. */
class TeacherViewTest {

    static Path dir;
    static RegimeRun teacherRun;
    static NDManager manager;
    static CausalLm teacher;

    @BeforeAll
    static void trainTeacher(@TempDir Path tmp) {
        dir = tmp;
        DistillationConfig sft =
                DistillationTrainerTest.config(Regime.SFT).withTrain(DistillationTrainerTest.TRAIN.withSteps(200, 10));
        teacherRun = RegimeRun.fromScratch(
                "teacher",
                sft,
                DistillationTrainerTest.TINY,
                null,
                DistillationTrainerTest.BYTES,
                DistillationTrainerTest.toy(10),
                List.of(),
                DistillationTrainerTest.toy(10),
                tmp.resolve("teacher"));
        manager = NDManager.newBaseManager();
        teacher = teacherRun.load(manager);
    }

    static LocalTeacher teaching() {
        return new LocalTeacher(teacher, DistillationTrainerTest.BYTES);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void aRunIsScoredAndSavedAndTabled() {
        assertEquals(
                1.0,
                teacherRun.accuracy().accuracy(),
                1e-9,
                "predictions " + teacherRun.accuracy().predictions());
        assertEquals(
                1.0,
                RegimeRun.scored(
                                "again",
                                teacher,
                                DistillationTrainerTest.BYTES,
                                DistillationTrainerTest.toy(10),
                                3,
                                null)
                        .accuracy()
                        .accuracy(),
                1e-9);
        Table t = RegimeRun.table(List.of(teacherRun));
        assertEquals(100.0, t.doubleColumn("accuracy").getDouble(0), 1e-9);
        assertTrue(t.doubleColumn("train seconds").getDouble(0) >= 0);
        assertEquals(
                List.of("family", "teacher"),
                RegimeRun.byFamily(List.of(teacherRun)).columnNames());
    }

    @Test
    void teacherAgreesWithItselfAndDisagreesWithAWrongAnswer() {
        List<PromptExample> examples = DistillationTrainerTest.toy(4);
        // The teacher viewed by itself: zero divergence everywhere, its own answers right and likely.
        List<TeacherView.Sample> self = TeacherView.view(
                teacher,
                teaching(),
                DistillationTrainerTest.BYTES,
                examples,
                List.of("0", "3", "6", "9"),
                Divergences.reverseKl());
        for (TeacherView.Sample s : self) {
            assertTrue(s.correct());
            assertEquals(2, s.tokens().size(), "digit and <eos>");
            assertEquals("<eos>", s.tokens().get(1).token());
            assertEquals(0, s.meanDivergence(), 1e-5);
            assertTrue(
                    s.tokens().get(0).teacherProbability() > 0.5,
                    "p = " + s.tokens().get(0).teacherProbability());
            assertEquals(s.tokens().get(0).token(), s.tokens().get(0).teacherChoice());
        }
        // A fresh student and a wrong answer: the teacher's choice is the right digit, at low p(token).
        try (Model fresh = DistillationTrainerTest.student(5)) {
            CausalLm student = (CausalLm) fresh.getBlock();
            student.initialize(fresh.getNDManager());
            TeacherView.Sample wrong = TeacherView.view(
                            student,
                            teaching(),
                            DistillationTrainerTest.BYTES,
                            examples.subList(1, 2),
                            List.of("7"),
                            Divergences.forwardKl())
                    .get(0);
            assertFalse(wrong.correct());
            assertEquals("3", wrong.tokens().get(0).teacherChoice());
            assertTrue(wrong.tokens().get(0).teacherProbability() < 0.5);
            assertTrue(wrong.worst().divergence() > 0);
            assertEquals(List.of("0:7", "1:<eos>"), wrong.labels());
            assertEquals(2, TeacherView.tokens(wrong).rowCount());
            List<TeacherView.Sample> sampled = TeacherView.sample(
                    student,
                    teaching(),
                    DistillationTrainerTest.BYTES,
                    examples,
                    SamplingConfig.defaults().withMaxNewTokens(3).withSeed(1),
                    Divergences.reverseKl());
            assertEquals(4, sampled.size());
            assertEquals(4, TeacherView.summary(sampled).rowCount());
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> TeacherView.view(
                            student,
                            teaching(),
                            DistillationTrainerTest.BYTES,
                            examples,
                            List.of("1"),
                            Divergences.forwardKl()));
            assertTrue(e.getMessage().contains("4 examples but 1 answers"), e.getMessage());
        }
    }
}
