package ai.goldkd.data;

/**
 * One field of a task's samples, with its length bounds in characters (for generated samples; GOLD
 * keeps fields of 10 to 400 characters).
 *
 * @param name the field's name in examples and JSONL rows
 * @param target whether the model predicts it (exactly one field of a task is the target)
 * @param description what the field holds, for the LLM's prompt
 * @param minChars the fewest characters a valid value has
 * @param maxChars the most characters a valid value has
 */
public record TaskField(String name, boolean target, String description, int minChars, int maxChars) {

    /** Checks the values. */
    public TaskField {
        if (name == null || !name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("field name '" + name + "' is not allowed; use lower-case letters,"
                    + " digits and _ starting with a letter, such as \"text\" or \"question\"");
        }
        if (description == null || description.isBlank()) {
            throw new IllegalArgumentException(
                    "field '" + name + "' has no description; say what it holds, for the" + " LLM's prompt");
        }
        if (minChars < 0 || maxChars < minChars) {
            throw new IllegalArgumentException("field '" + name + "' has length bounds " + minChars + ".." + maxChars
                    + "; use 0 <= minChars <= maxChars, such as 10..400");
        }
    }

    /**
     * Whether a value's length lies within the bounds.
     *
     * @param value the value
     * @return whether {@code minChars <= length <= maxChars} (length in code points)
     */
    public boolean fits(String value) {
        int length = value.codePointCount(0, value.length());
        return length >= minChars && length <= maxChars;
    }
}
