package ai.goldkd.gold;

/** Where a run's final student gets its training data: the loop, the real data, or no student at all. */
public enum Method {
    /** The GOLD loop (or ZeroGen, ProGen...): the teacher writes the data. */
    LOOP,
    /** The student on as many real training samples: the upper bound. */
    REAL_DATA,
    /** No student: the teacher labels the test set from the few-shot prompt. */
    TEACHER_FEWSHOT;

    /** Whether the run asks a teacher anything. */
    public boolean needsTeacher() {
        return this != REAL_DATA;
    }
}
