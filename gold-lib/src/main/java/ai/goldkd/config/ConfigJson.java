package ai.goldkd.config;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The project's one JSON codec for config records. Keys are the record's component names; a nested
 * record is a nested object; an enum is its name in lower case with dashes ({@code top-energy});
 * lists are arrays; a null is written as {@code null}. Reading starts from a base config: a key left
 * out keeps the base's value, so a file that names three settings changes three settings.
 *
 * <p>Reading is strict: an unknown or misspelt key at any depth, a number that is not whole or out of
 * range for an int or long field, a string for a number, or an enum name outside its set each fail
 * with a {@link ConfigException} naming the key, the value, the nearest known keys and the fix. What
 * a record's compact constructor checks (ranges, cross-field rules) is its own message.
 *
 * <pre>{@code
 * GoldConfig c = ConfigJson.standard().read("{\"loop\": {\"iterations\": 3}}", GoldConfig.class,
 *         GoldConfig.defaults());
 * }</pre>
 *
 * <p>A type the codec cannot see into (an interface such as a divergence) takes an {@link Adapter}.
 */
public final class ConfigJson {

    private static final Gson PRETTY = new GsonBuilder()
            .setPrettyPrinting()
            .serializeNulls()
            .disableHtmlEscaping()
            .create();
    private static final ConfigJson STANDARD = new ConfigJson(Map.of());

    private final Map<Class<?>, Adapter<?>> adapters;

    private ConfigJson(Map<Class<?>, Adapter<?>> adapters) {
        this.adapters = Map.copyOf(adapters);
    }

    /** The codec for records, enums, numbers, strings, booleans and lists, without adapters. */
    public static ConfigJson standard() {
        return STANDARD;
    }

    /**
     * A copy that reads and writes {@code type} (and, when writing, its subtypes) with an adapter.
     *
     * @param type the declared type of the components it serves
     * @param adapter how to read and write them
     * @param <T> the type
     * @return the codec
     */
    public <T> ConfigJson withAdapter(Class<T> type, Adapter<T> adapter) {
        Map<Class<?>, Adapter<?>> copy = new LinkedHashMap<>(adapters);
        copy.put(type, adapter);
        return new ConfigJson(copy);
    }

    /**
     * Reads and writes one type that the codec does not take apart itself.
     *
     * @param <T> the type
     */
    public interface Adapter<T> {

        /**
         * Reads a value.
         *
         * @param json the JSON
         * @param key the dotted key, for messages
         * @return the value
         * @throws ConfigException when the JSON is not a valid value
         */
        T read(JsonElement json, String key);

        /**
         * Writes a value.
         *
         * @param value the value, never null
         * @return its JSON
         */
        JsonElement write(T value);
    }

    /**
     * Reads a config from JSON text onto a base.
     *
     * @param json the text
     * @param type the config record
     * @param base the values of keys the text leaves out, or null (then every primitive key is required)
     * @param <T> the config type
     * @return the config
     */
    public <T> T read(String json, Class<T> type, T base) {
        JsonElement tree;
        try {
            tree = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new ConfigException("not valid JSON (" + e.getMessage() + "); write one JSON object of settings");
        }
        return read(tree, type, base);
    }

    /**
     * Reads a config from a JSON tree onto a base.
     *
     * @param json the tree
     * @param type the config record
     * @param base the values of keys the tree leaves out, or null
     * @param <T> the config type
     * @return the config
     */
    public <T> T read(JsonElement json, Class<T> type, T base) {
        return type.cast(value(json, type, base, "", type));
    }

    /**
     * Applies {@code key=value} assignments, as the command line gives them ({@code --set loop.iterations=3}).
     * A value is read as JSON when it is a number, {@code true}, {@code false}, {@code null} or starts
     * with a quote, brace or bracket, else as a string.
     *
     * @param base the config before
     * @param type the config record
     * @param assignments dotted keys and values
     * @param <T> the config type
     * @return the config after
     */
    public <T> T set(T base, Class<T> type, List<String> assignments) {
        JsonObject root = new JsonObject();
        for (String assignment : assignments) {
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("'" + assignment + "' is not KEY=VALUE; write e.g. loop.iterations=3");
            }
            String[] path = assignment.substring(0, eq).trim().split("\\.", -1);
            JsonObject at = root;
            for (int i = 0; i < path.length - 1; i++) {
                if (!at.has(path[i]) || !at.get(path[i]).isJsonObject()) {
                    at.add(path[i], new JsonObject());
                }
                at = at.getAsJsonObject(path[i]);
            }
            at.add(
                    path[path.length - 1],
                    ConfigValues.literal(assignment.substring(eq + 1).trim()));
        }
        return read(root, type, base);
    }

    /**
     * A value as a JSON tree: a record as an object of every component, in order.
     *
     * @param value a config, or any value the codec reads
     * @return the tree
     */
    public JsonElement tree(Object value) {
        if (value == null) {
            return JsonNull.INSTANCE;
        }
        Adapter<Object> adapter = adapterFor(value.getClass());
        if (adapter != null) {
            return adapter.write(value);
        }
        if (value instanceof Boolean b) {
            return new JsonPrimitive(b);
        }
        if (value instanceof Number n) {
            return new JsonPrimitive(n);
        }
        if (value instanceof String s) {
            return new JsonPrimitive(s);
        }
        if (value instanceof Enum<?> e) {
            return new JsonPrimitive(enumName(e));
        }
        if (value instanceof Record r) {
            JsonObject out = new JsonObject();
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                out.add(c.getName(), tree(component(r, c)));
            }
            return out;
        }
        if (value instanceof Collection<?> list) {
            JsonArray out = new JsonArray();
            list.forEach(v -> out.add(tree(v)));
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            JsonObject out = new JsonObject();
            map.forEach((k, v) -> out.add(String.valueOf(k), tree(v)));
            return out;
        }
        throw new IllegalStateException(
                "the config codec cannot write a " + value.getClass().getName() + "; give it an Adapter");
    }

    /**
     * A value as pretty JSON text (what a run directory's config file holds).
     *
     * @param value the config
     * @return the text
     */
    public String write(Object value) {
        return PRETTY.toJson(tree(value));
    }

    /**
     * The dotted keys whose values differ between two trees (a key present in one only counts).
     *
     * @param before one tree
     * @param after the other
     * @return the keys, sorted
     */
    public static List<String> changedKeys(JsonElement before, JsonElement after) {
        Map<String, String> a = flatten(before);
        Map<String, String> b = flatten(after);
        TreeSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys.stream()
                .filter(k -> !String.valueOf(a.get(k)).equals(String.valueOf(b.get(k))))
                .toList();
    }

    /**
     * A tree as dotted keys and the JSON text of their values (objects are walked, arrays are values).
     *
     * @param json the tree
     * @return the leaves, in the tree's order
     */
    public static Map<String, String> flatten(JsonElement json) {
        Map<String, String> out = new LinkedHashMap<>();
        flatten("", json, out);
        return out;
    }

    private static void flatten(String prefix, JsonElement json, Map<String, String> out) {
        if (json != null && json.isJsonObject()) {
            json.getAsJsonObject()
                    .entrySet()
                    .forEach(e -> flatten(ConfigValues.join(prefix, e.getKey()), e.getValue(), out));
        } else {
            out.put(prefix, String.valueOf(json));
        }
    }

    private Object value(JsonElement json, Type type, Object base, String key, Class<?> root) {
        Class<?> raw = raw(type);
        Adapter<?> adapter = adapters.get(raw);
        if (adapter != null) {
            return json == null || json.isJsonNull() ? null : adapter.read(json, key);
        }
        if (json == null || json.isJsonNull()) {
            if (raw.isPrimitive()) {
                throw new ConfigException(ConfigValues.name(key) + " is null; give a " + ConfigValues.want(raw));
            }
            return null;
        }
        if (ConfigValues.isScalar(raw)) {
            return ConfigValues.scalar(json, raw, key);
        }
        if (raw.isRecord()) {
            if (!json.isJsonObject()) {
                throw new ConfigException(ConfigValues.name(key) + " is " + json + "; give a JSON object of settings"
                        + (key.isEmpty() ? "" : " ({\"" + keys(raw).get(0) + "\": ...})"));
            }
            return record(json.getAsJsonObject(), raw, base, key, root);
        }
        if (List.class.isAssignableFrom(raw)) {
            if (!json.isJsonArray()) {
                throw new ConfigException(ConfigValues.name(key) + " is " + json + "; give a JSON array");
            }
            Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
            List<Object> out = new ArrayList<>();
            JsonArray array = json.getAsJsonArray();
            for (int i = 0; i < array.size(); i++) {
                out.add(value(array.get(i), element, null, key + "[" + i + "]", root));
            }
            return List.copyOf(out);
        }
        throw new IllegalStateException(
                "the config codec cannot read a " + type + " (" + ConfigValues.name(key) + "); give it an Adapter");
    }

    private Object record(JsonObject json, Class<?> type, Object base, String prefix, Class<?> root) {
        RecordComponent[] components = type.getRecordComponents();
        List<String> names = keys(type);
        for (String key : json.keySet()) {
            if (!names.contains(key)) {
                throw ConfigValues.unknownKey(ConfigValues.join(prefix, key), prefix, names, root);
            }
        }
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            types[i] = c.getType();
            String key = ConfigValues.join(prefix, c.getName());
            Object before = base == null ? null : component(base, c);
            if (json.has(c.getName())) {
                args[i] = value(json.get(c.getName()), c.getGenericType(), before, key, root);
            } else if (base != null) {
                args[i] = before;
            } else if (c.getType().isPrimitive()) {
                throw new ConfigException("key '" + key + "' is missing; give a " + ConfigValues.want(c.getType()));
            }
        }
        try {
            Constructor<?> constructor = type.getDeclaredConstructor(types);
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException invalid) {
                throw invalid;
            }
            throw new IllegalStateException(
                    "could not build " + type.getSimpleName() + ": " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("could not build " + type.getSimpleName() + ": " + e, e);
        }
    }

    /**
     * An enum constant as configs write it: lower case, dashes for underscores.
     *
     * @param value the constant
     * @return the name, e.g. {@code top-energy}
     */
    public static String enumName(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @SuppressWarnings("unchecked")
    private Adapter<Object> adapterFor(Class<?> type) {
        Adapter<?> exact = adapters.get(type);
        if (exact != null) {
            return (Adapter<Object>) exact;
        }
        for (Map.Entry<Class<?>, Adapter<?>> e : adapters.entrySet()) {
            if (e.getKey().isAssignableFrom(type)) {
                return (Adapter<Object>) e.getValue();
            }
        }
        return null;
    }

    private static Object component(Object record, RecordComponent c) {
        try {
            return c.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(
                    "could not read " + c.getName() + " of " + record.getClass().getSimpleName(), e);
        }
    }

    private static List<String> keys(Class<?> type) {
        return Arrays.stream(type.getRecordComponents())
                .map(RecordComponent::getName)
                .toList();
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        throw new IllegalStateException("the config codec cannot read the type " + type);
    }
}
