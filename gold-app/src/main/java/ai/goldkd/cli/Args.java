package ai.goldkd.cli;

import ai.goldkd.config.KeySuggestions;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A subcommand's options: {@code --name value} pairs and {@code --flag}s. Options that the
 * subcommand does not read are reported, so a typo never passes silently.
 */
final class Args {

    private final String command;
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();
    private final Set<String> read = new HashSet<>();

    /**
     * Parses arguments.
     *
     * @param command the subcommand, for messages
     * @param args the arguments after the subcommand
     * @param flagNames the options that take no value
     */
    Args(String command, String[] args, Set<String> flagNames) {
        this.command = command;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new UsageException(command + ": unexpected argument '" + a + "'; options look like --name value");
            }
            String name = a.substring(2);
            if (flagNames.contains(name)) {
                flags.add(name);
            } else if (i + 1 < args.length) {
                values.put(name, args[++i]);
            } else {
                throw new UsageException(command + ": option --" + name + " needs a value");
            }
        }
    }

    String required(String name) {
        read.add(name);
        String value = values.get(name);
        if (value == null) {
            throw new UsageException(command + ": --" + name + " is required");
        }
        return value;
    }

    String string(String name, String fallback) {
        read.add(name);
        return values.getOrDefault(name, fallback);
    }

    int integer(String name, int fallback) {
        String value = string(name, null);
        return value == null ? fallback : (int) parseInteger(name, value, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /**
     * An integer option that must lie in [min, max].
     *
     * @param name the option without its dashes
     * @param fallback the value when the option is absent (not checked)
     * @param min the least value allowed
     * @param max the greatest value allowed
     * @return the value
     */
    int integer(String name, int fallback, int min, int max) {
        String value = string(name, null);
        return value == null ? fallback : (int) parseInteger(name, value, min, max);
    }

    /** An integer option in [min, max], or null when it is absent. */
    Integer optionalInteger(String name, int min, int max) {
        String value = string(name, null);
        return value == null ? null : (int) parseInteger(name, value, min, max);
    }

    /** A positive number of seconds, or null when the option is absent. */
    Double optionalSeconds(String name) {
        String value = string(name, null);
        if (value == null) {
            return null;
        }
        double seconds;
        try {
            seconds = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --" + name + " wants a number of seconds, got '" + value + "'");
        }
        if (!(seconds > 0 && seconds <= 86_400)) {
            throw new UsageException(command + ": --" + name + " must be in (0, 86400] seconds, got " + value);
        }
        return seconds;
    }

    long longValue(String name, long fallback) {
        String value = string(name, null);
        return value == null ? fallback : parseInteger(name, value, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** Parses an integer, refusing fractions, exponents and values out of range with the option's name. */
    private long parseInteger(String name, String value, long min, long max) {
        long parsed;
        try {
            parsed = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            boolean number;
            try {
                Double.parseDouble(value);
                number = true;
            } catch (NumberFormatException notNumber) {
                number = false;
            }
            throw new UsageException(command + ": --" + name + " wants an integer, got '" + value + "'"
                    + (number ? " (not a whole number in range)" : ""));
        }
        if (parsed < min || parsed > max) {
            throw new UsageException(command + ": --" + name + " must be in [" + min + ", " + max + "], got " + value);
        }
        return parsed;
    }

    float real(String name, float fallback) {
        String value = string(name, null);
        try {
            return value == null ? fallback : Float.parseFloat(value);
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --" + name + " wants a number, got '" + value + "'");
        }
    }

    /** Whether an option was given on the command line (a value or a flag). */
    boolean given(String name) {
        return values.containsKey(name) || flags.contains(name);
    }

    boolean flag(String name) {
        read.add(name);
        return flags.contains(name);
    }

    /** Fails if an option was given that nothing read. */
    void done(List<String> known) {
        Set<String> unknown = new HashSet<>(values.keySet());
        unknown.addAll(flags);
        unknown.removeAll(read);
        if (!unknown.isEmpty()) {
            List<String> names =
                    known.stream().map(k -> k.replaceFirst("^--", "")).toList();
            List<String> near = unknown.stream()
                    .sorted()
                    .flatMap(u -> KeySuggestions.nearest(u, names).stream())
                    .distinct()
                    .map(k -> "--" + k)
                    .toList();
            throw new UsageException(command + ": unknown option(s) "
                    + unknown.stream().map(u -> "--" + u).sorted().toList()
                    + (near.isEmpty() ? "" : "; nearest: " + String.join(" ", near)) + "; known: "
                    + String.join(" ", known));
        }
    }
}
