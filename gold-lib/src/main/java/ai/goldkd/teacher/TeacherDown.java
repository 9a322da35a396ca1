package ai.goldkd.teacher;

/**
 * The teacher cannot be used: it is unreachable, or it failed so many requests in a row that going on
 * would only fill the rejects. Unlike a {@link GenerationException} this is not one bad request, so it
 * ends the run (which {@code --resume} continues once the teacher is back).
 */
public final class TeacherDown extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, where, and what to do
     */
    public TeacherDown(String message) {
        super(message);
    }
}
