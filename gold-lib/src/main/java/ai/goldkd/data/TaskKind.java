package ai.goldkd.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a task asks of a model, as task files name it. */
public enum TaskKind {
    /** Text(s) in, one label of a fixed set out. */
    CLASSIFICATION("classification"),
    /** A context and a question in, a span of the context out. */
    EXTRACTIVE_QA("extractive-qa"),
    /** A word problem in, an arithmetic equation out. */
    EQUATION("equation"),
    /** Any text in, any text out. */
    SEQ2SEQ("seq2seq");

    private final String label;

    TaskKind(String label) {
        this.label = label;
    }

    /** The name task files use. */
    public String label() {
        return label;
    }

    /**
     * Finds a kind by the name task files use.
     *
     * @param name such as {@code extractive-qa}
     * @return the kind
     */
    public static TaskKind parse(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (TaskKind kind : values()) {
            if (kind.label.equals(key)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("task kind '" + name + "' is unknown; use one of "
                + Arrays.stream(values()).map(TaskKind::label).collect(Collectors.joining(", ")));
    }
}
