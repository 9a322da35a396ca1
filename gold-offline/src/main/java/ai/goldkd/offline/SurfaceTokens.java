package ai.goldkd.offline;

import ai.goldkd.teacher.Completion;
import ai.goldkd.teacher.GenerationRequest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The arithmetic writer's output tokens: every word and mark its model knows, the lexicon's words, the
 * field names and the line break, then the numbers 0 to {@value #NUMBERS} - 1 (id = words + value). Text
 * is a space before each token but a mark or one that starts a line; the first token too has its space,
 * as it follows the prompt's {@code body:}.
 */
final class SurfaceTokens {

    static final int NUMBERS = 10_000;
    static final String NEWLINE = "\n";

    private final List<String> words;
    private final Map<String, Integer> ids;

    private SurfaceTokens(List<String> words) {
        this.words = List.copyOf(words);
        this.ids = new HashMap<>();
        for (int i = 0; i < words.size(); i++) {
            ids.put(words.get(i), i);
        }
    }

    static SurfaceTokens of(ArithmeticWriterModel model) {
        TreeSet<String> all = new TreeSet<>();
        for (String t : model.ngrams().get(model.frequency().length).vocabulary()) {
            if (!ProblemText.isSlot(t) && !Character.isDigit(t.charAt(0))) {
                all.add(t);
            }
        }
        all.addAll(model.text().names());
        for (String thing : model.text().things()) {
            all.addAll(List.of(thing.split(" ")));
        }
        all.addAll(List.of("He", "She", "body", "question", "answer", ":", "?", ".", ","));
        List<String> words = new ArrayList<>(all);
        words.add(NEWLINE);
        return new SurfaceTokens(words);
    }

    int id(String token) {
        if (!token.isEmpty() && Character.isDigit(token.charAt(0))) {
            int v = Integer.parseInt(token);
            if (v >= NUMBERS) {
                throw new IllegalStateException("number " + v + " is past the writer's " + NUMBERS + " number tokens");
            }
            return words.size() + v;
        }
        Integer id = ids.get(token);
        if (id == null) {
            throw new IllegalStateException("token '" + token + "' is not in the writer's vocabulary");
        }
        return id;
    }

    String text(int id) {
        if (id < 0 || id >= words.size() + NUMBERS) {
            throw new IllegalArgumentException(
                    "token id " + id + " is outside the writer's " + (words.size() + NUMBERS) + " tokens");
        }
        return id < words.size() ? words.get(id) : Integer.toString(id - words.size());
    }

    /** What a token adds to a text that so far ends in {@code previous} (null at the start). */
    private static String piece(String previous, String token) {
        if (token.equals(NEWLINE) || ProblemText.isMark(token) || NEWLINE.equals(previous)) {
            return token;
        }
        return " " + token;
    }

    int offset(int[] tokens, int t) {
        int length = 0;
        String previous = null;
        for (int i = 0; i < t; i++) {
            String token = text(tokens[i]);
            length += piece(previous, token).length();
            previous = token;
        }
        return length;
    }

    /**
     * The completion of some tokens: at most {@code maxTokens} of them (reason {@code length}), cut
     * before the first stop sequence (reason {@code stop}).
     */
    Completion completion(List<String> tokens, List<Double> logprobs, GenerationRequest request) {
        StringBuilder text = new StringBuilder();
        int n = Math.min(tokens.size(), request.maxTokens());
        int[] ends = new int[n];
        String previous = null;
        for (int i = 0; i < n; i++) {
            text.append(piece(previous, tokens.get(i)));
            ends[i] = text.length();
            previous = tokens.get(i);
        }
        int cut = request.stopAt(text);
        String finish = n < tokens.size() && cut == text.length() ? "length" : "stop";
        int kept = 0;
        while (kept < n && ends[kept] <= cut) {
            kept++;
        }
        int[] ids = new int[kept];
        float[] lps = new float[kept];
        for (int i = 0; i < kept; i++) {
            ids[i] = id(tokens.get(i));
            lps[i] = (float) (double) logprobs.get(i);
        }
        return new Completion(text.substring(0, cut), ids, request.logprobs() ? lps : null, null, finish);
    }
}
