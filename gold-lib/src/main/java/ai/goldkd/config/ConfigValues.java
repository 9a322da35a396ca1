package ai.goldkd.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** {@link ConfigJson}'s strict reading of single values and its messages. */
final class ConfigValues {

    private ConfigValues() {}

    /** Whether a type is read by {@link #scalar}: booleans, numbers, strings and enums. */
    static boolean isScalar(Class<?> raw) {
        return raw.isPrimitive()
                || raw == Boolean.class
                || raw == Integer.class
                || raw == Long.class
                || raw == Float.class
                || raw == Double.class
                || raw == String.class
                || raw.isEnum();
    }

    /** Reads a non-null scalar, strictly. */
    static Object scalar(JsonElement json, Class<?> raw, String key) {
        if (raw == boolean.class || raw == Boolean.class) {
            if (!(json.isJsonPrimitive() && json.getAsJsonPrimitive().isBoolean())) {
                throw new ConfigException(name(key) + " is " + json + "; give true or false");
            }
            return json.getAsBoolean();
        }
        if (raw == int.class || raw == Integer.class) {
            return whole(json, key, Integer.MIN_VALUE, Integer.MAX_VALUE, "an int")
                    .intValueExact();
        }
        if (raw == long.class || raw == Long.class) {
            return whole(json, key, Long.MIN_VALUE, Long.MAX_VALUE, "a long").longValueExact();
        }
        if (raw == float.class || raw == Float.class) {
            // Straight to float: through double first could round twice and miss the float that was written.
            float f = number(json, key).floatValue();
            if (Float.isInfinite(f)) {
                throw new ConfigException(
                        name(key) + " is " + json + ", out of range for a float; give a smaller" + " number");
            }
            return f;
        }
        if (raw == double.class || raw == Double.class) {
            double d = number(json, key).doubleValue();
            if (Double.isInfinite(d)) {
                throw new ConfigException(name(key) + " is " + json + ", out of range for a double");
            }
            return d;
        }
        if (raw == String.class) {
            if (!json.isJsonPrimitive()) {
                throw new ConfigException(name(key) + " is " + json + "; give a string");
            }
            return json.getAsString();
        }
        if (raw.isEnum()) {
            return enumValue(json, raw, key);
        }
        throw new IllegalStateException("the config codec cannot read a " + raw + " (" + name(key) + ")");
    }

    static JsonElement literal(String text) {
        boolean json = text.equals("true")
                || text.equals("false")
                || text.equals("null")
                || text.matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?")
                || text.startsWith("\"")
                || text.startsWith("{")
                || text.startsWith("[");
        if (!json) {
            return new JsonPrimitive(text);
        }
        try {
            return JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw new ConfigException("'" + text + "' is not valid JSON (" + e.getMessage() + ")");
        }
    }

    static BigDecimal whole(JsonElement json, String key, long min, long max, String what) {
        BigDecimal d = number(json, key);
        if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) {
            throw new ConfigException(name(key) + " is " + json + ", not a whole number; give an integer such as "
                    + d.setScale(0, RoundingMode.DOWN).toPlainString());
        }
        if (d.compareTo(BigDecimal.valueOf(min)) < 0 || d.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw new ConfigException(name(key) + " is " + json + ", out of range for " + what + " [" + min + ", " + max
                    + "]; give a smaller number");
        }
        return d.setScale(0, RoundingMode.UNNECESSARY);
    }

    static BigDecimal number(JsonElement json, String key) {
        if (!(json.isJsonPrimitive() && json.getAsJsonPrimitive().isNumber())) {
            throw new ConfigException(name(key) + " is " + json + "; give a number (without quotes)");
        }
        return json.getAsBigDecimal();
    }

    static Object enumValue(JsonElement json, Class<?> type, String key) {
        List<String> allowed = Arrays.stream(type.getEnumConstants())
                .map(e -> ConfigJson.enumName((Enum<?>) e))
                .toList();
        if (json.isJsonPrimitive() && json.getAsJsonPrimitive().isString()) {
            String given = json.getAsString().trim().toLowerCase(Locale.ROOT).replace('_', '-');
            int at = allowed.indexOf(given);
            if (at >= 0) {
                return type.getEnumConstants()[at];
            }
        }
        List<String> near = json.isJsonPrimitive() ? KeySuggestions.nearest(json.getAsString(), allowed) : List.of();
        throw new ConfigException(name(key) + " is " + json + ", not one of " + String.join(", ", allowed)
                + (near.isEmpty() ? "" : "; nearest: " + String.join(", ", near)));
    }

    static ConfigException unknownKey(String key, String prefix, List<String> here, Class<?> root) {
        List<String> local = here.stream().map(k -> join(prefix, k)).toList();
        String last = key.substring(key.lastIndexOf('.') + 1);
        List<String> all = new ArrayList<>();
        paths("", root, all);
        // The same name at another depth (a flat key for a nested one) is the likeliest fix; then a typo here.
        List<String> near = all.stream()
                .filter(p -> p.substring(p.lastIndexOf('.') + 1).equalsIgnoreCase(last))
                .limit(3)
                .toList();
        if (near.isEmpty()) {
            near = KeySuggestions.nearest(last, local);
        }
        if (near.isEmpty()) {
            near = KeySuggestions.nearest(last, all);
        }
        String where = prefix.isEmpty() ? "at the top" : "in " + prefix;
        return new ConfigException("unknown key '" + key + "'"
                + (near.isEmpty() ? "" : "; nearest: " + String.join(", ", near))
                + "; the keys " + where + " are " + String.join(", ", here) + "; fix the spelling or remove the key");
    }

    /** Every dotted key under a record type, records and their fields alike. */
    static void paths(String prefix, Class<?> type, List<String> out) {
        for (RecordComponent c : type.getRecordComponents()) {
            String key = join(prefix, c.getName());
            out.add(key);
            if (c.getType().isRecord()) {
                paths(key, c.getType(), out);
            }
        }
    }

    static String want(Class<?> type) {
        return type == boolean.class ? "true or false" : "number";
    }

    static String name(String key) {
        return key.isEmpty() ? "the config" : "'" + key + "'";
    }

    static String join(String prefix, String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }
}
