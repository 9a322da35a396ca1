package ai.goldkd.teacher;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.goldkd.loss.TopKDistribution;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An in-process white-box teacher read as a {@link TopKTeacher}: the K most likely tokens of
 * softmax(logits / T) at every position ({@link TopKDistribution#ofLogits}), one sequence at a time.
 * What {@code gold teacher logits --teacher DIR} stores.
 *
 * @param teacher the teacher
 * @param k tokens kept per position
 * @param temperature divides the logits
 * @param identity who the teacher is (its directory)
 */
public record LocalTopK(Teacher teacher, int k, float temperature, String identity) implements TopKTeacher {

    /** Checks k against the teacher's vocabulary. */
    public LocalTopK {
        if (k < 1 || k > teacher.vocabSize()) {
            throw new IllegalArgumentException(
                    "top-k " + k + " must be in [1, " + teacher.vocabSize() + "] (the" + " teacher's vocabulary)");
        }
    }

    @Override
    public List<TopKCache.Entry> topK(List<int[]> sequences) {
        List<TopKCache.Entry> out = new ArrayList<>(sequences.size());
        for (int i = 0; i < sequences.size(); i++) {
            int[] inputs = Arrays.copyOf(sequences.get(i), sequences.get(i).length - 1);
            if (inputs.length == 0 || inputs.length > teacher.context()) {
                throw new IllegalArgumentException("sequence " + i + " has " + (inputs.length + 1) + " tokens; the"
                        + " teacher reads 2 to " + (teacher.context() + 1) + ": truncate the data");
            }
            try (NDManager scope = NDManager.newBaseManager()) {
                NDArray ids = scope.create(inputs, new Shape(1, inputs.length)).toType(DataType.INT64, false);
                NDArray logits = teacher.logits(ids, null); // (1, T, V)
                scope.tempAttachAll(logits);
                TopKDistribution top = TopKDistribution.ofLogits(logits.get(0), k, temperature); // (T, K)
                int[] topIds = Arrays.stream(top.ids().toLongArray())
                        .mapToInt(v -> (int) v)
                        .toArray();
                out.add(new TopKCache.Entry(i, inputs, topIds, top.logProbs().toFloatArray()));
            }
        }
        return out;
    }
}
