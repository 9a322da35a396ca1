package ai.goldkd.data;

import ai.goldkd.metrics.Metric;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A task as GOLD sees it: what to generate (a description for the LLM, the fields of one sample,
 * the labels and their meanings), three real few-shot examples, the rules a generated sample must
 * pass, where the real data is, and how predictions are scored. Read from a task file by
 * {@link TaskFiles}; the compact constructor rejects inconsistent tasks, and few-shot examples
 * that break the task's own rules, with the fix.
 *
 * @param name a short lower-case name, such as {@code imdb-sentiment}
 * @param kind what the task asks of a model
 * @param description the task, written for an LLM
 * @param dataset where its real data is: {@code imdb}, or a JSONL path pattern with {@code {split}}
 *     relative to the datasets directory, such as {@code arithmetic/{split}.jsonl}
 * @param fields the fields of one sample; exactly one is the target
 * @param labels the labels with their meanings (classification only; empty otherwise)
 * @param examples the real few-shot examples; each must pass every rule
 * @param rules the checks for generated samples
 * @param metric how predictions of the target are scored
 */
public record Task(
        String name,
        TaskKind kind,
        String description,
        String dataset,
        List<TaskField> fields,
        List<TaskLabel> labels,
        List<Example> examples,
        List<ValidationRule> rules,
        Metric metric) {

    /** Checks the task; every message names the task and the fix. */
    public Task {
        if (name == null || !name.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("task name '" + name + "' is not allowed; use lower-case letters,"
                    + " digits and '-', such as \"imdb-sentiment\"");
        }
        String where = "task '" + name + "': ";
        require(kind != null, where + "no kind; set \"kind\" to classification, extractive-qa, equation or seq2seq");
        require(
                description != null && !description.isBlank(),
                where + "the description is empty; describe the" + " task for the LLM in a few sentences");
        require(
                dataset != null && !dataset.isBlank(),
                where + "no dataset; set \"dataset\" to \"imdb\" or a"
                        + " JSONL pattern such as \"mine/{split}.jsonl\"");
        require(
                dataset.equals("imdb") || dataset.contains("{split}"),
                where + "dataset '" + dataset + "' is"
                        + " neither \"imdb\" nor a pattern with {split}; write it as \"mine/{split}.jsonl\"");
        require(metric != null, where + "no metric; set \"metric\" to one of " + Metric.names());
        fields = List.copyOf(fields);
        labels = List.copyOf(labels);
        examples = List.copyOf(examples);
        rules = List.copyOf(rules);
        checkFields(where, fields);
        if (kind == TaskKind.CLASSIFICATION) {
            require(
                    labels.size() >= 2,
                    where + labels.size() + " labels; a classification task needs at least 2,"
                            + " each with its meaning");
            Set<String> seen = new HashSet<>();
            for (TaskLabel label : labels) {
                require(
                        seen.add(label.name()),
                        where + "label '" + label.name() + "' is listed twice; list each" + " label once");
            }
            require(
                    rules.contains(ValidationRule.LABEL_IN_SET),
                    where + "a classification task must list the" + " rule \"label-in-set\"");
        } else {
            require(
                    labels.isEmpty(),
                    where + "labels are given but the kind is " + kind.label() + "; remove"
                            + " \"labels\" or set \"kind\" to classification");
            require(
                    !rules.contains(ValidationRule.LABEL_IN_SET),
                    where + "rule \"label-in-set\" needs a" + " classification task; remove it");
        }
        // GOLD's filters: an extractive answer must occur in its context, an equation must evaluate.
        require(
                kind != TaskKind.EXTRACTIVE_QA || rules.contains(ValidationRule.ANSWER_IN_CONTEXT),
                where + "an extractive-qa task must list the rule \"answer-in-context\"");
        require(
                kind != TaskKind.EQUATION || rules.contains(ValidationRule.EQUATION_EVALUATES),
                where + "an equation task must list the rule \"equation-evaluates\"");
        if (rules.contains(ValidationRule.ANSWER_IN_CONTEXT)) {
            require(
                    fields.stream().anyMatch(f -> f.name().equals("context") && !f.target()),
                    where + "rule"
                            + " \"answer-in-context\" needs an input field named \"context\"; add it or drop the rule");
        }
        require(new HashSet<>(rules).size() == rules.size(), where + "a rule is listed twice in " + rules);
        require(
                !examples.isEmpty(),
                where + "no few-shot examples; GOLD prompts with 3 real ones from the" + " train split");
        // Real examples that break the task's own rules would teach the LLM to break them.
        List<String> labelNames = labels.stream().map(TaskLabel::name).toList();
        for (int i = 0; i < examples.size(); i++) {
            List<String> problems = problems(fields, labelNames, rules, examples.get(i));
            require(
                    problems.isEmpty(),
                    where + "few-shot example " + (i + 1)
                            + (examples.get(i).id().isEmpty()
                                    ? ""
                                    : " (" + examples.get(i).id() + ")") + ": " + String.join("; ", problems)
                            + "; fix the example or the task");
        }
    }

    private static void checkFields(String where, List<TaskField> fields) {
        require(!fields.isEmpty(), where + "no fields; list the fields of one sample, inputs and one target");
        Set<String> names = new HashSet<>();
        for (TaskField f : fields) {
            require(names.add(f.name()), where + "field '" + f.name() + "' is listed twice; list each field once");
        }
        long targets = fields.stream().filter(TaskField::target).count();
        require(targets == 1, where + targets + " target fields; mark exactly one field with \"target\": true");
        require(fields.size() >= 2, where + "only a target field; add at least one input field");
    }

    /**
     * Lists what is wrong with a sample (a generated one, typically): missing fields, then each failed
     * rule. Extra fields such as {@code id} are allowed.
     *
     * @param sample the sample
     * @return the problems; empty when the sample is valid
     */
    public List<String> problems(Example sample) {
        return problems(fields, labelNames(), rules, sample);
    }

    private static List<String> problems(
            List<TaskField> fields, List<String> labelNames, List<ValidationRule> rules, Example sample) {
        List<String> problems = new ArrayList<>();
        for (TaskField f : fields) {
            if (!sample.has(f.name())) {
                problems.add("field '" + f.name() + "' is missing");
            }
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        for (ValidationRule rule : rules) {
            rule.violation(fields, labelNames, sample).ifPresent(problems::add);
        }
        return problems;
    }

    /** Whether a sample has every field and passes every rule. */
    public boolean isValid(Example sample) {
        return problems(sample).isEmpty();
    }

    /** The field the model predicts. */
    public TaskField target() {
        return fields.stream().filter(TaskField::target).findFirst().orElseThrow();
    }

    /** The input fields, in order. */
    public List<TaskField> inputs() {
        return fields.stream().filter(f -> !f.target()).toList();
    }

    /** The labels' names, in order (empty unless classification). */
    public List<String> labelNames() {
        return labels.stream().map(TaskLabel::name).toList();
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
