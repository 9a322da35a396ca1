package ai.goldkd.gold;

import ai.goldkd.data.TaskKind;

/**
 * The students a run can train; {@link LoopStudents#create} switches on it, so a new student is one
 * {@link LoopStudent} class, its settings in {@link StudentSpec} and one constant here.
 */
public enum StudentKind {
    /** A bag-of-n-grams classifier ({@link ai.goldkd.student.BagOfNgramsStudent}) for classification tasks. */
    BAG_OF_NGRAMS(TaskKind.CLASSIFICATION),
    /** A causal language model ({@link ai.goldkd.student.SequenceStudent}) for seq2seq tasks. */
    SEQUENCE(TaskKind.SEQ2SEQ),
    /**
     * A pretrained BERT-family encoder with a classification head ({@link ai.goldkd.student.EncoderStudent}):
     * the embedded all-MiniLM-L6-v2 or any BERT/RoBERTa directory, for classification tasks.
     */
    ENCODER(TaskKind.CLASSIFICATION);

    private final TaskKind task;

    StudentKind(TaskKind task) {
        this.task = task;
    }

    /** The kind of task this student learns. */
    public TaskKind task() {
        return task;
    }

    /**
     * The student a task of this kind gets by default.
     *
     * @param kind the task's kind
     * @return the student kind
     */
    public static StudentKind forTask(TaskKind kind) {
        for (StudentKind s : values()) {
            if (s.task == kind) {
                return s;
            }
        }
        throw new IllegalArgumentException(
                "no GOLD student learns a " + kind + " task; the loop runs classification" + " and seq2seq tasks");
    }
}
