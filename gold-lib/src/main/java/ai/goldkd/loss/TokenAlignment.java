package ai.goldkd.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.goldkd.nd.Scalars;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Aligns two tokenizations of the same text where their spans agree, for distillation between models
 * with different tokenizers (as TRL's GOLD trainer does): walking both token sequences by the byte
 * offset where each token ends, a group closes whenever both sides end at the same byte. Each group's
 * next-token distribution is merged by the chain rule: the distribution at the group's first position
 * times the probabilities the model gave the group's other actual tokens,
 *
 * <pre>
 *   P_group(y) = P_first(y) * prod_{m in group, m > first} P_m(token_m)
 * </pre>
 *
 * which is exact for the tokens actually written and unnormalised over the others.
 */
public final class TokenAlignment {

    /**
     * Positions grouped on both sides; group g of one side covers the same text as group g of the other.
     *
     * @param student the student's positions per group
     * @param teacher the teacher's positions per group
     */
    public record Groups(List<int[]> student, List<int[]> teacher) {

        /** The number of groups. */
        public int size() {
            return student.size();
        }
    }

    private TokenAlignment() {}

    /**
     * Where each token of a decoded sequence ends, in UTF-8 bytes of the text: the length of the
     * decoded prefix up to and including it (never decreasing).
     *
     * @param decoder decodes ids to text, e.g. {@code tokenizer::decode}
     * @param ids the tokens
     * @return one end offset per token
     */
    public static int[] endOffsets(Function<int[], String> decoder, int[] ids) {
        int[] ends = new int[ids.length];
        int last = 0;
        for (int i = 0; i < ids.length; i++) {
            int[] prefix = Arrays.copyOf(ids, i + 1);
            last = Math.max(last, decoder.apply(prefix).getBytes(StandardCharsets.UTF_8).length);
            ends[i] = last;
        }
        return ends;
    }

    /**
     * Groups two tokenizations by their end offsets.
     *
     * @param studentEnds where each student token ends (non-decreasing)
     * @param teacherEnds where each teacher token ends (non-decreasing)
     * @return the groups; trailing tokens where the texts disagree form one last group
     */
    public static Groups byEndOffsets(int[] studentEnds, int[] teacherEnds) {
        List<int[]> s = new ArrayList<>();
        List<int[]> t = new ArrayList<>();
        int si = 0;
        int ti = 0;
        int sStart = 0;
        int tStart = 0;
        while (si < studentEnds.length && ti < teacherEnds.length) {
            if (studentEnds[si] < teacherEnds[ti]) {
                si++;
            } else if (studentEnds[si] > teacherEnds[ti]) {
                ti++;
            } else {
                si++;
                ti++;
                s.add(range(sStart, si));
                t.add(range(tStart, ti));
                sStart = si;
                tStart = ti;
            }
        }
        if (sStart < studentEnds.length && tStart < teacherEnds.length) {
            s.add(range(sStart, studentEnds.length));
            t.add(range(tStart, teacherEnds.length));
        }
        return new Groups(List.copyOf(s), List.copyOf(t));
    }

    private static int[] range(int from, int to) {
        int[] out = new int[to - from];
        for (int i = 0; i < out.length; i++) {
            out[i] = from + i;
        }
        return out;
    }

    /**
     * Merges per-position distributions into per-group ones by the chain rule.
     *
     * @param probabilities (T, V) the distribution at each position (row m is over token m)
     * @param groups the positions of each group, in order
     * @param tokens the T tokens actually written
     * @return (G, V) one merged (unnormalised) distribution per group
     */
    public static NDArray merge(NDArray probabilities, List<int[]> groups, int[] tokens) {
        try (NDManager scope = Ops.scope(probabilities)) {
            List<NDArray> rows = new ArrayList<>();
            for (int[] group : groups) {
                NDArray row = probabilities.get(new NDIndex().addIndices(group[0])); // (V)
                for (int k = 1; k < group.length; k++) {
                    NDArray chosen =
                            probabilities.get(new NDIndex().addIndices(group[k]).addIndices(tokens[group[k]]));
                    row = row.mul(Scalars.maximum(chosen, 1e-8)); // (V) x ()
                }
                rows.add(row.expandDims(0));
            }
            return scope.ret(NDArrays.concat(new NDList(rows), 0)); // (G, V)
        }
    }
}
