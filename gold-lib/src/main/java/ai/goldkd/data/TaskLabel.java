package ai.goldkd.data;

/**
 * One label of a classification task and what it means, as the LLM's prompt states it.
 *
 * @param name the label as it appears in samples, such as {@code positive}
 * @param meaning its definition, such as "the review is favourable overall"
 */
public record TaskLabel(String name, String meaning) {

    /** Checks the values. */
    public TaskLabel {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a label has an empty name; give it one, such as \"positive\"");
        }
        if (meaning == null || meaning.isBlank()) {
            throw new IllegalArgumentException("label '" + name + "' has no meaning; define it for the LLM, such as"
                    + " \"the review is favourable overall\"");
        }
    }
}
