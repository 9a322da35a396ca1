package ai.goldkd.prompt;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The prompt templates: {@code generation.txt}, {@code ood.txt} and {@code answer.txt}, read from a
 * folder or from the defaults shipped in the jar (gold-lib/src/main/resources/ai/goldkd/prompt/templates,
 * whose README lists the placeholders).
 *
 * @param generation the generation prompt
 * @param ood the OOD-validation instruction
 * @param answer the prompt that asks the teacher to label a sample
 */
public record PromptTemplates(String generation, String ood, String answer) {

    /** The file names, in field order. */
    public static final String[] FILES = {"generation.txt", "ood.txt", "answer.txt"};

    /** Checks the templates. */
    public PromptTemplates {
        require(generation, "generation.txt", "{{examples}}", "{{label}}");
        if (ood == null || ood.isBlank()) {
            throw new IllegalArgumentException(
                    "ood.txt is empty; write the instruction that asks for a clearly" + " different sample");
        }
        require(answer, "answer.txt", "{{sample}}");
    }

    private static void require(String template, String file, String... placeholders) {
        if (template == null) {
            throw new IllegalArgumentException(file + " is missing");
        }
        for (String p : placeholders) {
            if (!template.contains(p)) {
                throw new IllegalArgumentException(file + " lacks the placeholder " + p + "; see the templates'"
                        + " README for what each file must contain");
            }
        }
    }

    /** The templates shipped with gold. */
    public static PromptTemplates defaults() {
        return new PromptTemplates(resource(FILES[0]), resource(FILES[1]), resource(FILES[2]));
    }

    /**
     * Reads templates from a folder; a file the folder lacks is taken from the defaults.
     *
     * @param dir the folder
     * @return the templates
     */
    public static PromptTemplates load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("templates folder " + dir + " does not exist; copy the defaults"
                    + " (PromptTemplates.defaults().write(dir)) and edit them");
        }
        String[] texts = new String[FILES.length];
        for (int i = 0; i < FILES.length; i++) {
            Path file = dir.resolve(FILES[i]);
            try {
                texts[i] = Files.exists(file) ? Files.readString(file) : resource(FILES[i]);
            } catch (IOException e) {
                throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
            }
        }
        return new PromptTemplates(texts[0], texts[1], texts[2]);
    }

    /**
     * Writes the three files into a folder (a run keeps the templates it used).
     *
     * @param dir the folder, created if needed
     */
    public void write(Path dir) {
        try {
            Files.createDirectories(dir);
            Map<String, String> files = Map.of(FILES[0], generation, FILES[1], ood, FILES[2], answer);
            for (Map.Entry<String, String> e : files.entrySet()) {
                Files.writeString(dir.resolve(e.getKey()), e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the templates to " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = PromptTemplates.class.getResourceAsStream("templates/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks the template " + name + "; rebuild gold-lib");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
