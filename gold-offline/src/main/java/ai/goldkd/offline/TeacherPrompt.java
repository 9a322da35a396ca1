package ai.goldkd.offline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What an offline teacher reads in a prompt, and all it reads (the prompt contract):
 * <ul>
 *   <li>the <b>label</b>: the last occurrence in the prompt of one of the teacher's label names as a
 *       whole word, in any case; none when no label name occurs (the teacher then draws a label
 *       uniformly per sample);</li>
 *   <li>the <b>examples</b>: numbered blocks, each starting at a line matching {@code ^\s*\d+\.\s} and
 *       running until the next such line or a blank line. {@link #contents()} gives their words without
 *       markup: the number, a field name at the start of a line ({@code text:}, {@code label:}) and a
 *       line whose value is only a label name are dropped;</li>
 *   <li>whether the sample must be <b>clearly different</b>: the prompt contains that phrase, in any case.</li>
 * </ul>
 *
 * @param label the requested label, or null
 * @param examples the example blocks as written, numbers included
 * @param contents each example's words without markup, as one line
 * @param clearlyDifferent whether the prompt asks for a sample unlike the examples
 */
public record TeacherPrompt(String label, List<String> examples, List<String> contents, boolean clearlyDifferent) {

    private static final Pattern NUMBERED = Pattern.compile("^\\s*\\d+\\.\\s.*");
    private static final Pattern NUMBER = Pattern.compile("^\\s*\\d+\\.\\s+");
    private static final Pattern FIELD = Pattern.compile("^\\s*[A-Za-z_][A-Za-z0-9_-]*:(?:\\s+|$)");
    private static final String DIFFERENT = "clearly different";

    /** Copies the lists. */
    public TeacherPrompt {
        examples = List.copyOf(examples);
        contents = List.copyOf(contents);
    }

    /**
     * Reads a prompt.
     *
     * @param prompt the prompt text
     * @param labels the teacher's label names
     * @return what the teacher takes from it
     */
    public static TeacherPrompt read(String prompt, List<String> labels) {
        String label = null;
        if (!labels.isEmpty()) {
            String names = labels.stream().map(Pattern::quote).collect(Collectors.joining("|"));
            Matcher m = Pattern.compile(
                            "(?<![\\p{L}\\p{N}_])(" + names + ")(?![\\p{L}\\p{N}_])",
                            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)
                    .matcher(prompt);
            while (m.find()) {
                label = m.group(1);
            }
            if (label != null) {
                for (String l : labels) {
                    if (l.equalsIgnoreCase(label)) {
                        label = l;
                    }
                }
            }
        }
        List<String> examples = new ArrayList<>();
        StringBuilder block = null;
        for (String line : prompt.split("\\R", -1)) {
            if (NUMBERED.matcher(line).matches()) {
                if (block != null) {
                    examples.add(block.toString());
                }
                block = new StringBuilder(line);
            } else if (line.isBlank()) {
                if (block != null) {
                    examples.add(block.toString());
                }
                block = null;
            } else if (block != null) {
                block.append('\n').append(line);
            }
        }
        if (block != null) {
            examples.add(block.toString());
        }
        List<String> contents = examples.stream().map(e -> content(e, labels)).toList();
        boolean different = prompt.toLowerCase(Locale.ROOT).contains(DIFFERENT);
        return new TeacherPrompt(label, examples, contents, different);
    }

    private static String content(String block, List<String> labels) {
        List<String> kept = new ArrayList<>();
        for (String line : block.split("\n")) {
            String value = FIELD.matcher(NUMBER.matcher(line).replaceFirst(""))
                    .replaceFirst("")
                    .strip();
            boolean onlyLabel = labels.stream().anyMatch(l -> l.equalsIgnoreCase(value));
            if (!value.isEmpty() && !onlyLabel) {
                kept.add(value);
            }
        }
        return String.join(" ", kept);
    }
}
