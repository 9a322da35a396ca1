package ai.goldkd.gold;

import ai.goldkd.config.GoldHome;
import ai.goldkd.data.Task;
import ai.goldkd.model.hf.HfCheckpoint;
import ai.goldkd.onnx.MiniLm;
import ai.goldkd.student.BagOfNgramsStudent;
import ai.goldkd.student.EncoderStudent;
import ai.goldkd.student.EncoderStudentConfig;
import ai.goldkd.student.SequenceStudent;
import ai.goldkd.student.StudentConfig;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Builds the student a config names: the switch on {@link StudentKind} is the whole factory, so a new
 * student is one {@link LoopStudent} class and one case here.
 */
public final class LoopStudents {

    private LoopStudents() {}

    /**
     * The loop's student, continually trained through the run.
     *
     * @param config the run's settings (its student section)
     * @param task the task
     * @param updates where a sequence student writes each update's metrics and checkpoint
     * @return the student, to close
     */
    public static LoopStudent loop(GoldConfig config, Task task, Path updates) {
        return create(
                config.student(),
                config.student().bagOfNgrams(),
                config.student().encoder().settings(),
                task,
                config.seed() * 31L + 17,
                updates,
                null);
    }

    /**
     * A fresh final student: the same kind and settings, trained with the final student's loss and,
     * for a sequence student, its white-box teacher.
     *
     * @param config the run's settings
     * @param task the task
     * @param updates where a sequence student writes its training's metrics and checkpoint
     * @return the student, to close
     */
    public static LoopStudent fresh(GoldConfig config, Task task, Path updates) {
        FinalStudentConfig f = config.finalStudent();
        return create(
                config.student(),
                config.student().bagOfNgrams().withLoss(f.sceAlpha(), f.sceBeta()),
                config.student().encoder().settings().withLoss(f.sceAlpha(), f.sceBeta()),
                task,
                config.seed() * 7919L + 1,
                updates,
                f.whiteBoxTeacher());
    }

    private static LoopStudent create(
            StudentSpec spec,
            StudentConfig classifier,
            EncoderStudentConfig encoder,
            Task task,
            long seed,
            Path updates,
            String whiteBoxTeacher) {
        if (spec.kind().task() != task.kind()) {
            throw new IllegalArgumentException(
                    "student " + label(spec.kind()) + " learns " + spec.kind().task()
                            + " tasks but task " + task.name() + " is " + task.kind() + "; set student.kind to "
                            + label(StudentKind.forTask(task.kind())));
        }
        return switch (spec.kind()) {
            case BAG_OF_NGRAMS ->
                new ClassifierStudent(
                        new BagOfNgramsStudent(classifier, task.labelNames().size(), seed), task);
            case ENCODER ->
                new ClassifierStudent(
                        EncoderStudent.open(
                                encoderDir(spec.encoder().model()),
                                encoder,
                                task.labelNames().size(),
                                seed,
                                spec.encoder().featureCache()),
                        task);
            case SEQUENCE -> {
                SequenceStudent lm = SequenceStudent.create(spec.sequence(), seed);
                try {
                    yield new SequenceLoopStudent(lm, task, updates, whiteBoxTeacher);
                } catch (RuntimeException e) {
                    lm.close();
                    throw e;
                }
            }
        };
    }

    /** {@code $GOLD_HOME/cache/features}: the frozen encoders' features, shared by runs and seeds. */
    public static Path featureCache() {
        return GoldHome.dir().resolve("cache").resolve("features");
    }

    /** {@code minilm}: the converted embedded model (with the command that makes it when missing); else a directory. */
    private static Path encoderDir(String model) {
        return model.equals("minilm") ? MiniLm.locate() : HfCheckpoint.resolve(model);
    }

    private static String label(StudentKind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
