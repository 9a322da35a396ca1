package ai.goldkd.data;

import ai.goldkd.metrics.Equation;
import ai.goldkd.metrics.Text;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A check that a generated sample must pass to be kept (GOLD drops and counts the ones that fail).
 * Task files list them by name, such as {@code "length-bounds"}.
 */
public enum ValidationRule {
    /** Every field's length lies within its bounds. */
    LENGTH_BOUNDS("length-bounds"),
    /** The target is one of the task's labels (classification). */
    LABEL_IN_SET("label-in-set"),
    /** The target occurs, verbatim, in the field {@code context} (extractive QA). */
    ANSWER_IN_CONTEXT("answer-in-context"),
    /** The target is an equation that evaluates (equation tasks). */
    EQUATION_EVALUATES("equation-evaluates"),
    /** The target holds a number, its last one being the answer (worked answers). */
    HAS_FINAL_NUMBER("has-final-number");

    private final String label;

    ValidationRule(String label) {
        this.label = label;
    }

    /** The name task files use. */
    public String label() {
        return label;
    }

    /**
     * Finds a rule by the name task files use.
     *
     * @param name such as {@code label-in-set}
     * @return the rule
     */
    public static ValidationRule parse(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (ValidationRule rule : values()) {
            if (rule.label.equals(key)) {
                return rule;
            }
        }
        throw new IllegalArgumentException("validation rule '" + name + "' is unknown; use one of "
                + Arrays.stream(values()).map(ValidationRule::label).collect(Collectors.joining(", ")));
    }

    /**
     * Checks a sample that has all the task's fields.
     *
     * @param fields the task's fields
     * @param labelNames the task's labels
     * @param sample the sample
     * @return what is wrong, or empty when the sample passes
     */
    Optional<String> violation(List<TaskField> fields, List<String> labelNames, Example sample) {
        String target = sample.get(fields.stream()
                .filter(TaskField::target)
                .findFirst()
                .orElseThrow()
                .name());
        return switch (this) {
            case LENGTH_BOUNDS ->
                fields.stream()
                        .filter(f -> !f.fits(sample.get(f.name())))
                        .map(f -> "field '" + f.name() + "' has "
                                + sample.get(f.name())
                                        .codePointCount(0, sample.get(f.name()).length()) + " characters, outside "
                                + f.minChars() + ".."
                                + f.maxChars())
                        .findFirst();
            case LABEL_IN_SET ->
                labelNames.contains(target)
                        ? Optional.empty()
                        : Optional.of("label '" + target + "' is not one of " + labelNames);
            case ANSWER_IN_CONTEXT ->
                sample.get("context").contains(target)
                        ? Optional.empty()
                        : Optional.of("answer '" + target + "' does not occur in the context");
            case EQUATION_EVALUATES ->
                Equation.isValid(target)
                        ? Optional.empty()
                        : Optional.of("equation '" + target + "' does not evaluate");
            case HAS_FINAL_NUMBER ->
                Text.lastNumber(target) != null
                        ? Optional.empty()
                        : Optional.of("answer '" + target + "' holds no number");
        };
    }
}
