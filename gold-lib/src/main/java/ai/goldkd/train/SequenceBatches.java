package ai.goldkd.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.goldkd.loss.Reduction;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Batches of {@link SequenceExample}s for next-token training, drawn in seeded random order, epoch
 * after epoch. Sequences are right-padded to the longest in the batch.
 *
 * <p>A batch is {@code data = [ids (B, T), mask (B, T)]} ({@code [ids]} alone when no row is padded), {@code labels = [targets (B, T)]} where
 * {@code targets[b][t] = ids[b][t + 1]} for target positions and {@link Reduction#IGNORE_INDEX} elsewhere (prompt
 * and padding), with T = longest length - 1.
 */
public final class SequenceBatches implements BatchSource {

    private final List<SequenceExample> examples;
    private final int batchSize;
    private final int pad;
    private final EpochOrder order;

    /**
     * Creates a source.
     *
     * @param examples the examples, at least one
     * @param batchSize examples per batch
     * @param pad the padding id
     * @param seed the shuffling seed
     */
    public SequenceBatches(List<SequenceExample> examples, int batchSize, int pad, long seed) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no training examples; give at least one sequence");
        }
        this.examples = List.copyOf(examples);
        this.batchSize = batchSize;
        this.pad = pad;
        this.order = new EpochOrder(this.examples.size(), new SplittableRandom(seed));
    }

    /**
     * Skips batches without building them, so a resumed run sees the data an uninterrupted one would.
     *
     * @param batches how many batches to skip
     */
    public void skip(long batches) {
        for (long i = 0; i < batches * batchSize; i++) {
            order.next();
        }
    }

    @Override
    public TrainBatch next(NDManager manager) {
        List<SequenceExample> batch = new ArrayList<>(batchSize);
        for (int i = 0; i < batchSize; i++) {
            batch.add(examples.get(order.next()));
        }
        return batchOf(manager, batch, pad);
    }

    /**
     * Turns examples into one batch.
     *
     * @param manager where the arrays live
     * @param batch the examples
     * @param pad the padding id
     * @return the batch
     */
    public static TrainBatch batchOf(NDManager manager, List<SequenceExample> batch, int pad) {
        int b = batch.size();
        int t = batch.stream().mapToInt(e -> e.ids().length).max().orElseThrow() - 1;
        long[] ids = new long[b * t];
        int[] mask = new int[b * t];
        long[] targets = new long[b * t];
        long counted = 0;
        boolean padded = false;
        for (int row = 0; row < b; row++) {
            SequenceExample e = batch.get(row);
            for (int i = 0; i < t; i++) {
                int at = row * t + i;
                boolean real = i < e.ids().length - 1;
                ids[at] = real ? e.ids()[i] : pad;
                mask[at] = real ? 1 : 0;
                padded |= !real;
                boolean target = real && i + 1 >= e.targetStart();
                targets[at] = target ? e.ids()[i + 1] : Reduction.IGNORE_INDEX;
                counted += target ? 1 : 0;
            }
        }
        Shape shape = new Shape(b, t);
        // Without padding the mask is left out: the model then uses its causal mask alone, instead of
        // adding a (B, 1, T, T) key mask of zeros in every layer.
        NDList data = padded
                ? new NDList(manager.create(ids, shape), manager.create(mask, shape))
                : new NDList(manager.create(ids, shape));
        return new TrainBatch(data, new NDList(manager.create(targets, shape)), counted);
    }
}
