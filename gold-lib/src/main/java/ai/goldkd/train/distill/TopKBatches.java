package ai.goldkd.train.distill;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.goldkd.loss.TopKDistribution;
import ai.goldkd.teacher.TopKCache;
import ai.goldkd.teacher.TopKTeacher;
import ai.goldkd.train.SequenceExample;

import java.util.ArrayList;
import java.util.List;

/** A batch's teacher signal from a {@link TopKTeacher}: its per-sequence rows stacked to (B, T, K). */
final class TopKBatches {

    private TopKBatches() {}

    /**
     * Asks the teacher about a batch's sequences and stacks the answers, right-padded like the batch.
     *
     * @param manager where the arrays live
     * @param teacher the teacher
     * @param sequences the batch's whole sequences (prompt + answer), as {@link ai.goldkd.train.SequenceBatches}
     *     reads them
     * @param t the batch's input length T (the longest sequence minus one)
     * @return (B, T, K) ids (int64) and log-probabilities; a padded position holds K distinct ids at mass
     *     1 / K each, a finite value that the targets' -100 leaves out of the loss
     */
    static TopKDistribution of(NDManager manager, TopKTeacher teacher, List<SequenceExample> sequences, int t) {
        List<int[]> ids = new ArrayList<>(sequences.size());
        for (SequenceExample e : sequences) {
            ids.add(e.ids());
        }
        List<TopKCache.Entry> rows = teacher.topK(ids);
        int k = teacher.k();
        int b = sequences.size();
        long[] topIds = new long[b * t * k];
        float[] logProbs = new float[b * t * k];
        float uniform = (float) -Math.log(k);
        for (int row = 0; row < b; row++) {
            TopKCache.Entry entry = rows.get(row);
            int n = entry.tokens().length;
            if (n != ids.get(row).length - 1) {
                throw new IllegalStateException("the teacher gave " + n + " positions for a sequence of "
                        + ids.get(row).length + " tokens; a top-k teacher gives one per token but the last");
            }
            for (int i = 0; i < t; i++) {
                for (int j = 0; j < k; j++) {
                    int at = (row * t + i) * k + j;
                    topIds[at] = i < n ? entry.ids()[i * k + j] : j;
                    logProbs[at] = i < n ? entry.logProbs()[i * k + j] : uniform;
                }
            }
        }
        Shape shape = new Shape(b, t, k);
        return new TopKDistribution(manager.create(topIds, shape), manager.create(logProbs, shape));
    }
}
