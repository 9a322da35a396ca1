package ai.goldkd.train.distill;

import ai.goldkd.data.Example;
import ai.goldkd.data.Task;
import ai.goldkd.data.TaskField;

import java.util.ArrayList;
import java.util.List;

/**
 * One prompt and its reference answer as text, with the slice it belongs to (an arithmetic family).
 * Text, not ids, so that SeqKD can move answers between tokenizers.
 *
 * @param prompt the model's input, ending where the answer begins
 * @param answer the reference answer
 * @param slice a group name for per-slice accuracy; "" for none
 */
public record PromptExample(String prompt, String answer, String slice) {

    /** Checks the fields. */
    public PromptExample {
        if (prompt == null || answer == null || slice == null) {
            throw new IllegalArgumentException("prompt, answer and slice must not be null (use \"\" for no slice)");
        }
    }

    /**
     * The examples of a task: the input fields joined by spaces, then a newline, as the prompt; the
     * target field as the answer; the {@code family} field, if any, as the slice. A language model
     * trained on {@code prompt + answer} documents (one per line) sees exactly this layout.
     *
     * @param task the task
     * @param rows its examples
     * @return the prompt examples, in order
     */
    public static List<PromptExample> of(Task task, List<Example> rows) {
        List<PromptExample> out = new ArrayList<>(rows.size());
        for (Example row : rows) {
            StringBuilder prompt = new StringBuilder();
            for (TaskField field : task.inputs()) {
                if (prompt.length() > 0) {
                    prompt.append(' ');
                }
                prompt.append(row.get(field.name()));
            }
            prompt.append('\n');
            out.add(new PromptExample(
                    prompt.toString(), row.get(task.target().name()), row.has("family") ? row.get("family") : ""));
        }
        return out;
    }

    /** @return a copy with another answer (a teacher's, for SeqKD) */
    public PromptExample withAnswer(String value) {
        return new PromptExample(prompt, value, slice);
    }
}
