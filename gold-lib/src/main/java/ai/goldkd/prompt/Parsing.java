package ai.goldkd.prompt;

import ai.goldkd.data.Example;
import ai.goldkd.data.Task;
import ai.goldkd.data.TaskField;
import ai.goldkd.data.TaskKind;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a teacher's completion of a generation prompt into a sample, or a reject with its reason.
 * The completion continues the pre-filled first field ({@code text:}); later fields start on lines of
 * their own ({@code label: positive}). For classification the requested label is the sample's label.
 * The task's rules ({@link Task#problems(Example)}: length bounds, label in the set, answer in the
 * context, equation evaluates) then decide.
 *
 * @param task the task
 */
public record Parsing(Task task) {

    /**
     * Parses one completion.
     *
     * @param prompts the prompts the completion answers (for the field order)
     * @param label the requested label, or null
     * @param completion the teacher's text after the prompt
     * @return the sample or the reject
     */
    public Outcome parse(Prompts prompts, String label, String completion) {
        List<TaskField> fields = prompts.fieldsToWrite();
        Map<String, StringBuilder> values = new LinkedHashMap<>();
        String current = fields.get(0).name();
        values.put(current, new StringBuilder());
        for (String line : completion.split("\n", -1)) {
            String next = fieldStarting(line, fields);
            if (next != null && !values.containsKey(next)) {
                current = next;
                values.put(current, new StringBuilder(line.substring(line.indexOf(':') + 1)));
            } else {
                StringBuilder b = values.get(current);
                if (b.length() > 0 && !line.isBlank()) {
                    b.append(' ');
                }
                b.append(line);
            }
        }
        Map<String, String> sample = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (TaskField f : fields) {
            StringBuilder b = values.get(f.name());
            if (b == null || b.toString().isBlank()) {
                missing.add(f.name());
            } else {
                sample.put(f.name(), b.toString().strip());
            }
        }
        if (task.kind() == TaskKind.CLASSIFICATION && label != null) {
            sample.put(task.target().name(), label);
        }
        if (!missing.isEmpty()) {
            return Outcome.reject("missing-field", "no " + String.join(", ", missing), completion);
        }
        Example example = new Example(sample);
        List<String> problems = task.problems(example);
        if (!problems.isEmpty()) {
            return Outcome.reject(reasonCode(problems.get(0)), String.join("; ", problems), completion);
        }
        return Outcome.accept(example);
    }

    private static String fieldStarting(String line, List<TaskField> fields) {
        String t = line.stripLeading();
        for (TaskField f : fields) {
            if (t.regionMatches(true, 0, f.name() + ":", 0, f.name().length() + 1)) {
                return f.name();
            }
        }
        return null;
    }

    /**
     * A short, countable reason from a rule's message. The messages quote the sample's own values
     * ({@code answer '...' holds no number}); only the words outside the quotes name the rule, so a
     * sample that says "long" or "label" is not counted as a length or label reject.
     */
    static String reasonCode(String problem) {
        String p = problem.toLowerCase(Locale.ROOT);
        int first = p.indexOf('\'');
        int last = p.lastIndexOf('\'');
        if (first >= 0 && last > first) {
            p = p.substring(0, first) + p.substring(last + 1);
        }
        if (p.contains("characters")) {
            return "length";
        }
        if (p.contains("label")) {
            return "label";
        }
        if (p.contains("equation") || p.contains("evaluat")) {
            return "equation";
        }
        if (p.contains("context") || p.contains("occur")) {
            return "answer-not-in-context";
        }
        if (p.contains("long") || p.contains("short")) {
            return "length";
        }
        return "rule";
    }

    /**
     * A parsed completion.
     *
     * @param sample the sample, or null for a reject
     * @param reason the reject's countable reason, or null
     * @param detail the reject's full explanation, or null
     * @param raw the completion as the teacher wrote it
     */
    public record Outcome(Example sample, String reason, String detail, String raw) {

        static Outcome accept(Example sample) {
            return new Outcome(sample, null, null, null);
        }

        static Outcome reject(String reason, String detail, String raw) {
            return new Outcome(null, reason, detail, raw);
        }

        /** Whether the completion became a sample. */
        public boolean accepted() {
            return sample != null;
        }
    }
}
