package ai.goldkd.offline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The words an n-gram model knows, with ids. Ids 0, 1 and 2 are the unknown word, the end of a review
 * (written as a line break) and the start of a review; words follow, most frequent first.
 */
public final class Vocabulary {

    /** The id of every word the vocabulary lacks; never generated. */
    public static final int UNK = 0;
    /** The end of a review. */
    public static final int EOS = 1;
    /** The start of a review: the context of its first two words. */
    public static final int BOS = 2;

    private final List<String> words;
    private final Map<String, Integer> ids;

    /**
     * Creates a vocabulary.
     *
     * @param words the words from id 3 on, without duplicates
     */
    public Vocabulary(List<String> words) {
        List<String> all = new ArrayList<>(List.of("<unk>", "\n", "<s>"));
        all.addAll(words);
        this.words = List.copyOf(all);
        this.ids = new HashMap<>(all.size() * 2);
        for (int i = 0; i < all.size(); i++) {
            if (ids.put(all.get(i), i) != null) {
                throw new IllegalArgumentException("word '" + all.get(i) + "' occurs twice in the vocabulary");
            }
        }
    }

    /**
     * The words seen at least {@code minCount} times in documents, most frequent first (ties by spelling).
     *
     * @param documents tokenised documents
     * @param minCount the least count a word needs
     * @return the vocabulary
     */
    public static Vocabulary of(List<List<String>> documents, int minCount) {
        Map<String, int[]> counts = new HashMap<>();
        for (List<String> doc : documents) {
            for (String w : doc) {
                counts.computeIfAbsent(w, k -> new int[1])[0]++;
            }
        }
        List<Map.Entry<String, int[]>> kept = new ArrayList<>();
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
            if (e.getValue()[0] >= minCount) {
                kept.add(e);
            }
        }
        kept.sort((a, b) -> a.getValue()[0] != b.getValue()[0]
                ? Integer.compare(b.getValue()[0], a.getValue()[0])
                : a.getKey().compareTo(b.getKey()));
        return new Vocabulary(kept.stream().map(Map.Entry::getKey).toList());
    }

    /** How many ids there are, specials included. */
    public int size() {
        return words.size();
    }

    /**
     * A word's id.
     *
     * @param word a token
     * @return its id, or {@link #UNK}
     */
    public int id(String word) {
        Integer id = ids.get(word);
        return id == null ? UNK : id;
    }

    /**
     * An id's word.
     *
     * @param id an id below {@link #size()}
     * @return the word ({@code "\n"} for {@link #EOS})
     */
    public String word(int id) {
        return words.get(id);
    }

    /** The words from id 3 on, for saving. */
    public List<String> words() {
        return words.subList(3, words.size());
    }

    /**
     * Ids of tokens, without start or end marks.
     *
     * @param tokens tokens
     * @return their ids
     */
    public int[] ids(List<String> tokens) {
        int[] out = new int[tokens.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = id(tokens.get(i));
        }
        return out;
    }

    /**
     * A review as the n-gram models read it: two starts, the words, one end.
     *
     * @param tokens the review's tokens
     * @return {@code <s> <s> w1 ... wn \n}
     */
    public int[] document(List<String> tokens) {
        int[] out = new int[tokens.size() + 3];
        out[0] = BOS;
        out[1] = BOS;
        for (int i = 0; i < tokens.size(); i++) {
            out[i + 2] = id(tokens.get(i));
        }
        out[out.length - 1] = EOS;
        return out;
    }

    @Override
    public String toString() {
        return "Vocabulary[" + size() + " ids, first words "
                + Arrays.toString(words.subList(3, Math.min(8, size())).toArray()) + "]";
    }
}
