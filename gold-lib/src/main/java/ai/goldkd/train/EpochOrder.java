package ai.goldkd.train;

import java.util.SplittableRandom;

/**
 * Indices 0..size-1 in a fresh seeded shuffle (Fisher-Yates) each epoch, one at a time: the order in
 * which batch sources visit their examples.
 */
public final class EpochOrder {

    private final SplittableRandom random;
    private final int[] order;
    private int cursor;

    /**
     * Creates the order and shuffles the first epoch.
     *
     * @param size the number of examples, at least 1
     * @param random the random source (shared with the caller's other draws, in a fixed sequence)
     */
    public EpochOrder(int size, SplittableRandom random) {
        if (size < 1) {
            throw new IllegalArgumentException("nothing to order: size " + size);
        }
        this.random = random;
        this.order = new int[size];
        reshuffle();
    }

    /** The next index, starting a new shuffled epoch when the last one is used up. */
    public int next() {
        if (cursor == order.length) {
            reshuffle();
        }
        return order[cursor++];
    }

    private void reshuffle() {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        cursor = 0;
    }
}
