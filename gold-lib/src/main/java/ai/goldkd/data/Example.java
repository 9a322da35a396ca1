package ai.goldkd.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One sample as named text fields, the layout of a Hugging Face datasets row
 * ({@code {"id": "imdb-00042", "text": "...", "label": "positive"}}). Field order is kept.
 *
 * @param fields field name to value, in order
 */
public record Example(Map<String, String> fields) {

    /** Copies the fields and checks them. */
    public Example {
        if (fields == null || fields.isEmpty()) {
            throw new IllegalArgumentException("an example needs at least one field, such as {\"text\": \"...\"}");
        }
        Map<String, String> copy = new LinkedHashMap<>();
        fields.forEach((k, v) -> {
            if (k == null || k.isBlank() || v == null) {
                throw new IllegalArgumentException("field '" + k + "' = " + v + " is not a named text value; give"
                        + " every field a name and a string (use \"\" for an empty value)");
            }
            copy.put(k, v);
        });
        fields = Collections.unmodifiableMap(copy);
    }

    /**
     * Creates an example from alternating names and values.
     *
     * @param namesAndValues {@code "text", "great film", "label", "positive"}
     * @return the example
     */
    public static Example of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException(
                    "Example.of takes names and values in pairs, got " + namesAndValues.length + " strings");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return new Example(fields);
    }

    /**
     * Returns a field's value.
     *
     * @param name the field
     * @return its value
     * @throws IllegalArgumentException naming the fields there are, when it is absent
     */
    public String get(String name) {
        String value = fields.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no field '" + name + "' in this example; it has " + fields.keySet());
        }
        return value;
    }

    /** Whether the example has the field. */
    public boolean has(String name) {
        return fields.containsKey(name);
    }

    /** The {@code id} field, or {@code ""} when the example has none. */
    public String id() {
        return fields.getOrDefault("id", "");
    }

    /**
     * Returns a copy with one field set.
     *
     * @param name the field
     * @param value its new value
     * @return the new example
     */
    public Example with(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(fields);
        copy.put(name, value);
        return new Example(copy);
    }
}
