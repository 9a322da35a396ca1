package ai.goldkd.gold;

import ai.goldkd.student.EncoderStudentConfig;
import ai.goldkd.student.SequenceStudentConfig;
import ai.goldkd.student.StudentConfig;

import java.nio.file.Path;

/**
 * Which student the run trains, with each kind's settings (the kind not chosen keeps its defaults).
 * The loop's and the final student are both built from it; the final student's loss weights come from
 * {@link FinalStudentConfig}.
 *
 * @param kind the student ({@link StudentKind})
 * @param bagOfNgrams the bag-of-n-grams classifier's settings
 * @param sequence the sequence student's settings ({@code init}: a checkpoint to start from, as GOLD
 *     starts from a pretrained T5, or null for fresh weights)
 * @param encoder the encoder student's model and settings
 */
public record StudentSpec(
        StudentKind kind, StudentConfig bagOfNgrams, SequenceStudentConfig sequence, EncoderSpec encoder) {

    /**
     * The encoder student's model and its training settings.
     *
     * @param model {@code minilm} (the embedded all-MiniLM-L6-v2 that `gold setup` converts) or a directory of
     *     a BERT-family checkpoint, {@code hf:DIR} or a plain path
     * @param settings sequence length, batch, learning rates, frozen or fine-tuned
     * @param cache whether a frozen encoder's features are kept under {@code $GOLD_HOME/cache/features} and
     *     shared by every run and seed with the same encoder and settings (a text is encoded once per machine;
     *     a fine-tuned encoder is never cached)
     */
    public record EncoderSpec(String model, EncoderStudentConfig settings, boolean cache) {

        /** Checks the fields. */
        public EncoderSpec {
            GoldConfig.require(
                    model != null && !model.isBlank(),
                    "student.encoder.model is empty; use minilm or a" + " BERT-family model directory");
            GoldConfig.require(
                    settings != null, "student.encoder.settings must not be null; leave it out for the" + " defaults");
        }

        /** The features cache's folder ({@link LoopStudents#featureCache()}) when {@code cache} is on, else null. */
        public Path featureCache() {
            return cache ? LoopStudents.featureCache() : null;
        }

        /** The embedded MiniLM, frozen. */
        public static EncoderSpec defaults() {
            return new EncoderSpec("minilm", EncoderStudentConfig.defaults(), true);
        }
    }

    /** Checks every field. */
    public StudentSpec {
        GoldConfig.require(kind != null, "student.kind is missing; use bag-of-ngrams, sequence or encoder");
        GoldConfig.require(
                bagOfNgrams != null && sequence != null && encoder != null,
                "student.bagOfNgrams,"
                        + " student.sequence and student.encoder must not be null; leave them out for the defaults");
    }

    /** The bag-of-n-grams classifier, every kind at its defaults. */
    public static StudentSpec defaults() {
        return new StudentSpec(
                StudentKind.BAG_OF_NGRAMS,
                StudentConfig.defaults(),
                SequenceStudentConfig.defaults(),
                EncoderSpec.defaults());
    }

    /** @return a copy training another kind of student */
    public StudentSpec withKind(StudentKind value) {
        return new StudentSpec(value, bagOfNgrams, sequence, encoder);
    }

    /** @return a copy with other classifier settings */
    public StudentSpec withBagOfNgrams(StudentConfig value) {
        return new StudentSpec(kind, value, sequence, encoder);
    }

    /** @return a copy with another encoder student */
    public StudentSpec withEncoder(EncoderSpec value) {
        return new StudentSpec(kind, bagOfNgrams, sequence, value);
    }

    /** @return a copy with other sequence-student settings */
    public StudentSpec withSequence(SequenceStudentConfig value) {
        return new StudentSpec(kind, bagOfNgrams, value, encoder);
    }
}
