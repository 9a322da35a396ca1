package ai.goldkd.student;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Text to hashed features, fastText-style: lower-cased words (letters, digits, apostrophes; {@code !}
 * and {@code ?} as words of their own) and adjacent word pairs, each hashed into {@code [1, buckets)};
 * bucket 0 is padding.
 */
public final class HashedNgrams {

    private HashedNgrams() {}

    /**
     * The words of a text.
     *
     * @param text any text
     * @return lower-cased words, in order
     */
    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        String lower = text.toLowerCase(Locale.ROOT);
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (Character.isLetterOrDigit(c) || c == '\'') {
                word.append(c);
            } else {
                flush(word, out);
                if (c == '!' || c == '?') {
                    out.add(String.valueOf(c));
                }
            }
        }
        flush(word, out);
        return out;
    }

    private static void flush(StringBuilder word, List<String> out) {
        if (word.length() > 0) {
            out.add(word.toString());
            word.setLength(0);
        }
    }

    /**
     * The feature buckets of a text: every word, then every pair of adjacent words.
     *
     * @param text any text
     * @param buckets the number of buckets
     * @param max the most features kept
     * @return bucket ids in {@code [1, buckets)}
     */
    public static int[] features(String text, int buckets, int max) {
        List<String> words = words(text);
        int n = Math.min(max, Math.max(0, 2 * words.size() - 1));
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i < words.size() && k < n; i++) {
            out[k++] = bucket(words.get(i).hashCode(), buckets);
        }
        for (int i = 1; i < words.size() && k < n; i++) {
            out[k++] = bucket(
                    31 * words.get(i - 1).hashCode() + 0x9E3779B9 * words.get(i).hashCode() + 17, buckets);
        }
        return out;
    }

    private static int bucket(int hash, int buckets) {
        int h = hash * 0x85EBCA6B;
        h ^= h >>> 13;
        return 1 + Math.floorMod(h, buckets - 1);
    }
}
