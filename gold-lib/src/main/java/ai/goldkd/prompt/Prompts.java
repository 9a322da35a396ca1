package ai.goldkd.prompt;

import ai.goldkd.data.Example;
import ai.goldkd.data.Task;
import ai.goldkd.data.TaskField;
import ai.goldkd.data.TaskKind;
import ai.goldkd.data.TaskLabel;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders a task's prompts from {@link PromptTemplates}: the role line, the task description with
 * its label meanings, the numbered examples (the task's real few-shot examples, then any feedback),
 * the request for a novel sample with a given label, and a pre-filled answer that ends in the first
 * field's name so the teacher writes the fields.
 *
 * @param task the task
 * @param templates the templates
 */
public record Prompts(Task task, PromptTemplates templates) {

    /**
     * A generation prompt.
     *
     * @param label the label the sample must have (classification), or null for tasks without labels
     * @param examples the numbered examples, few-shot first, then feedback
     * @param ood whether to ask for a sample clearly different from the examples (the OOD-validation prompt)
     * @return the prompt text, ending in the prefill (trailing whitespace of the template is dropped)
     */
    public String generation(String label, List<Example> examples, boolean ood) {
        if (task.kind() == TaskKind.CLASSIFICATION
                && (label == null || !task.labelNames().contains(label))) {
            throw new IllegalArgumentException(
                    "label '" + label + "' is not one of " + task.name() + "'s labels " + task.labelNames());
        }
        return templates
                .generation()
                .replace("{{description}}", task.description())
                .replace("{{labels}}", labels())
                .replace("{{examples}}", numbered(examples))
                .replace("{{instruction}}", ood ? templates.ood().strip() + "\n" : "")
                .replace("{{label}}", label == null ? "" : label)
                .replace("{{prefill}}", prefill())
                .stripTrailing(); // a template file's final newline must not follow the prefill
    }

    /**
     * The prompt that asks the teacher to label a sample (the {@code teacher-fewshot} baseline).
     *
     * @param examples the numbered few-shot examples
     * @param sample the sample to label; its target field is ignored
     * @return the prompt text
     */
    public String answer(List<Example> examples, Example sample) {
        StringBuilder fields = new StringBuilder();
        for (TaskField f : task.inputs()) {
            fields.append(f.name())
                    .append(": ")
                    .append(oneLine(sample.fields().getOrDefault(f.name(), "")))
                    .append('\n');
        }
        return templates
                .answer()
                .replace("{{description}}", task.description())
                .replace("{{labels}}", labels())
                .replace("{{examples}}", numbered(examples))
                .replace("{{sample}}", fields.toString().strip())
                .replace("{{prefill}}", task.target().name() + ":")
                .stripTrailing();
    }

    /** The text a generation prompt ends in: the first field's name and a colon. */
    public String prefill() {
        return firstField().name() + ":";
    }

    /**
     * The stop sequences for a generation: the end of the line when the teacher writes one field (the
     * label was given), else a blank line.
     */
    public List<String> stops() {
        return fieldsToWrite().size() == 1 ? List.of("\n") : List.of("\n\n");
    }

    /** The fields the teacher writes, in order (every field but a given label). */
    public List<TaskField> fieldsToWrite() {
        List<TaskField> out = new ArrayList<>();
        for (TaskField f : task.fields()) {
            if (!(task.kind() == TaskKind.CLASSIFICATION && f.target())) {
                out.add(f);
            }
        }
        return out;
    }

    private TaskField firstField() {
        return fieldsToWrite().get(0);
    }

    private String labels() {
        StringBuilder out = new StringBuilder();
        for (TaskLabel l : task.labels()) {
            out.append("- ").append(l.name()).append(": ").append(l.meaning()).append('\n');
        }
        return out.toString().stripTrailing();
    }

    private String numbered(List<Example> examples) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < examples.size(); i++) {
            String indent = " ".repeat(String.valueOf(i + 1).length() + 2);
            boolean first = true;
            for (TaskField f : task.fields()) {
                String value = examples.get(i).fields().get(f.name());
                if (value == null) {
                    continue;
                }
                out.append(first ? (i + 1) + ". " : indent)
                        .append(f.name())
                        .append(": ")
                        .append(oneLine(value))
                        .append('\n');
                first = false;
            }
        }
        return out.toString().stripTrailing();
    }

    private static String oneLine(String value) {
        return value.replaceAll("\\s*\\n\\s*", " ").strip();
    }
}
