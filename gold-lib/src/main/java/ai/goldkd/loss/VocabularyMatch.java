package ai.goldkd.loss;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * The tokens two vocabularies share: pairs (teacher id, student id) whose token texts are equal, as
 * TRL's GOLD trainer matches them for its hybrid loss. A text that occurs twice in one vocabulary
 * matches through its first (lowest) id; an empty text (a special token decoded away) matches nothing.
 *
 * @param teacher the teacher ids of the shared tokens, in increasing order
 * @param student the student id of each, in the same order
 * @param teacherVocab V_t
 * @param studentVocab V_s
 */
public record VocabularyMatch(int[] teacher, int[] student, int teacherVocab, int studentVocab) {

    /** Checks the pairs. */
    public VocabularyMatch {
        if (teacher.length != student.length) {
            throw new IllegalArgumentException(teacher.length + " teacher ids but " + student.length + " student ids");
        }
        for (int i = 0; i < teacher.length; i++) {
            if (teacher[i] < 0 || teacher[i] >= teacherVocab || student[i] < 0 || student[i] >= studentVocab) {
                throw new IllegalArgumentException("pair " + teacher[i] + " -> " + student[i] + " is outside the"
                        + " vocabularies " + teacherVocab + " / " + studentVocab);
            }
        }
    }

    /**
     * Matches two vocabularies by token text.
     *
     * @param teacherToken the teacher's text of an id
     * @param teacherVocab V_t
     * @param studentToken the student's text of an id
     * @param studentVocab V_s
     * @return the shared tokens
     */
    public static VocabularyMatch byText(
            IntFunction<String> teacherToken, int teacherVocab, IntFunction<String> studentToken, int studentVocab) {
        Map<String, Integer> studentIds = new HashMap<>();
        for (int s = studentVocab - 1; s >= 0; s--) {
            String text = studentToken.apply(s);
            if (text != null && !text.isEmpty()) {
                studentIds.put(text, s); // the lowest id of a text wins
            }
        }
        List<int[]> pairs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int t = 0; t < teacherVocab; t++) {
            String text = teacherToken.apply(t);
            Integer s = text == null || text.isEmpty() ? null : studentIds.get(text);
            if (s != null && seen.add(text)) {
                pairs.add(new int[] {t, s});
            }
        }
        return new VocabularyMatch(
                pairs.stream().mapToInt(p -> p[0]).toArray(),
                pairs.stream().mapToInt(p -> p[1]).toArray(),
                teacherVocab,
                studentVocab);
    }

    /** How many tokens are shared. */
    public int size() {
        return teacher.length;
    }

    /** The teacher ids that are not shared, in increasing order. */
    public int[] teacherUnmatched() {
        return complement(teacher, teacherVocab);
    }

    /** The student ids that are not shared, in increasing order. */
    public int[] studentUnmatched() {
        return complement(student, studentVocab);
    }

    private static int[] complement(int[] ids, int vocab) {
        boolean[] in = new boolean[vocab];
        for (int id : ids) {
            in[id] = true;
        }
        int[] out = new int
                [vocab - (int) IntStream.range(0, vocab).filter(i -> in[i]).count()];
        int k = 0;
        for (int i = 0; i < vocab; i++) {
            if (!in[i]) {
                out[k++] = i;
            }
        }
        return out;
    }
}
