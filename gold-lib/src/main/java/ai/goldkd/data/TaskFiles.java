package ai.goldkd.data;

import ai.goldkd.metrics.Metric;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads task files (JSON) into {@link Task}s. The layout, with every key required unless marked:
 *
 * <pre>{@code
 * {"name": "imdb-sentiment", "kind": "classification", "description": "...", "dataset": "imdb",
 *  "fields": [{"name": "text", "description": "...", "minChars": 20, "maxChars": 600},
 *             {"name": "label", "target": true, "description": "..."}],
 *  "labels": [{"name": "negative", "meaning": "..."}, ...],          (classification only)
 *  "examples": [{"id": "imdb-00017", "text": "...", "label": "negative"}, ...],
 *  "rules": ["length-bounds", "label-in-set"], "metric": "accuracy"}
 * }</pre>
 *
 * A field's {@code target} defaults to false, {@code minChars} to 1, {@code maxChars} to 400.
 * Unknown keys are errors, so a misspelt key does not pass silently.
 */
public final class TaskFiles {

    private static final Set<String> TASK_KEYS =
            Set.of("name", "kind", "description", "dataset", "fields", "labels", "examples", "rules", "metric");
    private static final Set<String> FIELD_KEYS = Set.of("name", "target", "description", "minChars", "maxChars");
    private static final Set<String> LABEL_KEYS = Set.of("name", "meaning");

    private TaskFiles() {}

    /**
     * Reads a task file.
     *
     * @param file the JSON file
     * @return the validated task
     * @throws DataFileException naming the file, what is wrong and the fix
     */
    public static Task read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DataFileException("task file " + file.toAbsolutePath() + " does not exist; `gold data list`"
                    + " shows the tasks there are");
        }
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Parses a task from JSON text.
     *
     * @param json the task file's text
     * @param source the name to give in errors
     * @return the validated task
     * @throws DataFileException naming the source, what is wrong and the fix
     */
    public static Task parse(String json, String source) {
        JsonObject root;
        try {
            JsonReader reader = new JsonReader(new StringReader(json));
            reader.setStrictness(Strictness.STRICT);
            JsonElement element = JsonParser.parseReader(reader);
            if (!element.isJsonObject()) {
                throw new DataFileException(source + ": a task file is one JSON object, not " + element);
            }
            root = element.getAsJsonObject();
        } catch (JsonParseException e) {
            Matcher at = Pattern.compile("line \\d+ column \\d+").matcher(String.valueOf(e.getMessage()));
            throw new DataFileException(
                    source + ": not valid JSON" + (at.find() ? " at " + at.group() : "")
                            + "; fix the syntax (keys and strings in double quotes, no trailing commas)",
                    e);
        }
        try {
            checkKeys(root, TASK_KEYS, "the task");
            List<TaskField> fields = new ArrayList<>();
            for (JsonElement f : array(root, "fields", true)) {
                fields.add(field(object(f, "a field")));
            }
            List<TaskLabel> labels = new ArrayList<>();
            for (JsonElement l : array(root, "labels", false)) {
                JsonObject label = object(l, "a label");
                checkKeys(label, LABEL_KEYS, "a label");
                labels.add(new TaskLabel(string(label, "name"), string(label, "meaning")));
            }
            List<Example> examples = new ArrayList<>();
            for (JsonElement e : array(root, "examples", true)) {
                examples.add(example(object(e, "an example")));
            }
            List<ValidationRule> rules = new ArrayList<>();
            for (JsonElement r : array(root, "rules", true)) {
                rules.add(ValidationRule.parse(r.isJsonPrimitive() ? r.getAsString() : r.toString()));
            }
            return new Task(
                    string(root, "name"),
                    TaskKind.parse(string(root, "kind")),
                    string(root, "description"),
                    string(root, "dataset"),
                    fields,
                    labels,
                    examples,
                    rules,
                    Metric.parse(string(root, "metric")));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new DataFileException(source + ": " + e.getMessage(), e);
        }
    }

    private static TaskField field(JsonObject f) {
        checkKeys(f, FIELD_KEYS, "a field");
        boolean target = f.has("target") && f.get("target").getAsBoolean();
        int min = f.has("minChars") ? f.get("minChars").getAsInt() : 1;
        int max = f.has("maxChars") ? f.get("maxChars").getAsInt() : 400;
        return new TaskField(string(f, "name"), target, string(f, "description"), min, max);
    }

    private static Example example(JsonObject e) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> entry : e.entrySet()) {
            if (!entry.getValue().isJsonPrimitive()) {
                throw new IllegalArgumentException("example field '" + entry.getKey() + "' is " + entry.getValue()
                        + "; give every field a string");
            }
            fields.put(entry.getKey(), entry.getValue().getAsString());
        }
        return new Example(fields);
    }

    private static void checkKeys(JsonObject o, Set<String> allowed, String what) {
        for (String key : o.keySet()) {
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException(
                        "unknown key '" + key + "' in " + what + "; the keys are " + new TreeSet<>(allowed));
            }
        }
    }

    private static String string(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            throw new IllegalArgumentException("\"" + key + "\" is missing; add it");
        }
        if (!e.isJsonPrimitive()) {
            throw new IllegalArgumentException("\"" + key + "\" is " + e + "; it must be a string");
        }
        return e.getAsString();
    }

    private static JsonArray array(JsonObject o, String key, boolean required) {
        JsonElement e = o.get(key);
        if (e == null) {
            if (required) {
                throw new IllegalArgumentException("\"" + key + "\" is missing; add it as a JSON array");
            }
            return new JsonArray();
        }
        if (!e.isJsonArray()) {
            throw new IllegalArgumentException("\"" + key + "\" must be a JSON array, not " + e);
        }
        return e.getAsJsonArray();
    }

    private static JsonObject object(JsonElement e, String what) {
        if (!e.isJsonObject()) {
            throw new IllegalArgumentException(what + " must be a JSON object, not " + e);
        }
        return e.getAsJsonObject();
    }
}
