package ai.goldkd.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** The known keys nearest to a misspelt one, by edit distance (case ignored). */
public final class KeySuggestions {

    private KeySuggestions() {}

    /**
     * The known keys within a few edits of {@code key}, nearest first, at most three.
     *
     * @param key the unknown key
     * @param known the keys to compare with (plain names or dotted paths; a path is compared by its last name too)
     * @return the nearest, possibly none
     */
    public static List<String> nearest(String key, List<String> known) {
        String k = key.toLowerCase(Locale.ROOT);
        int limit = Math.max(2, k.length() / 3);
        List<String> out = new ArrayList<>();
        List<Integer> distances = new ArrayList<>();
        for (String candidate : known) {
            String c = candidate.toLowerCase(Locale.ROOT);
            String last = c.substring(c.lastIndexOf('.') + 1);
            int d = Math.min(distance(k, c), distance(k, last));
            if (d <= limit) {
                out.add(candidate);
                distances.add(d);
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt(distances::get));
        return order.stream().limit(3).map(out::get).toList();
    }

    /**
     * The error for a key a hand-written reader does not know, worded as {@link ConfigJson}'s.
     *
     * @param where the section, e.g. {@code train}
     * @param key the unknown key
     * @param known the section's keys
     * @return the error: the key, the nearest known keys, every key of the section, the fix
     */
    public static ConfigException unknownKey(String where, String key, Collection<String> known) {
        List<String> sorted = new TreeSet<>(known).stream().toList();
        List<String> near = nearest(key, sorted);
        return new ConfigException(where + ": unknown key '" + key + "'"
                + (near.isEmpty() ? "" : "; nearest: " + String.join(", ", near))
                + "; the keys there are " + String.join(", ", sorted) + "; fix the spelling or remove the key");
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
