package ai.goldkd.gold;

import ai.goldkd.student.SequenceStudentConfig;
import ai.goldkd.student.StudentConfig;

/**
 * Which student the run trains, with each kind's settings (the kind not chosen keeps its defaults).
 * The loop's and the final student are both built from it; the final student's loss weights come from
 * {@link FinalStudentConfig}.
 *
 * @param kind the student ({@link StudentKind})
 * @param bagOfNgrams the bag-of-n-grams classifier's settings
 * @param sequence the sequence student's settings ({@code init}: a checkpoint to start from, as GOLD
 *     starts from a pretrained T5, or null for fresh weights)
 */
public record StudentSpec(StudentKind kind, StudentConfig bagOfNgrams, SequenceStudentConfig sequence) {

    /** Checks every field. */
    public StudentSpec {
        GoldConfig.require(kind != null, "student.kind is missing; use bag-of-ngrams or sequence");
        GoldConfig.require(bagOfNgrams != null && sequence != null, "student.bagOfNgrams and student.sequence must"
                + " not be null; leave them out for the defaults");
    }

    /** The bag-of-n-grams classifier, every kind at its defaults. */
    public static StudentSpec defaults() {
        return new StudentSpec(StudentKind.BAG_OF_NGRAMS, StudentConfig.defaults(), SequenceStudentConfig.defaults());
    }

    /** @return a copy training another kind of student */
    public StudentSpec withKind(StudentKind value) {
        return new StudentSpec(value, bagOfNgrams, sequence);
    }

    /** @return a copy with other classifier settings */
    public StudentSpec withBagOfNgrams(StudentConfig value) {
        return new StudentSpec(kind, value, sequence);
    }

    /** @return a copy with other sequence-student settings */
    public StudentSpec withSequence(SequenceStudentConfig value) {
        return new StudentSpec(kind, bagOfNgrams, value);
    }
}
