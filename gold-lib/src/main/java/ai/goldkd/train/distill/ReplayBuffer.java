package ai.goldkd.train.distill;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;

/**
 * DistiLLM's replay buffer of student-generated sequences: first in, first out at capacity, sampled
 * uniformly without replacement.
 */
public final class ReplayBuffer {

    /**
     * One stored sequence.
     *
     * @param example the prompt and reference it was generated for
     * @param prompt the prompt's ids (with BOS)
     * @param completion the sampled ids (with EOS when the student stopped)
     * @param reward its reward, 0 when there is no reward function
     */
    public record Entry(PromptExample example, int[] prompt, int[] completion, double reward) {}

    private final int capacity;
    private final Deque<Entry> entries = new ArrayDeque<>();

    /**
     * Creates an empty buffer.
     *
     * @param capacity the most entries it holds, >= 1
     */
    public ReplayBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("replay buffer capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** Adds an entry, dropping the oldest at capacity. */
    public void add(Entry entry) {
        if (entries.size() == capacity) {
            entries.removeFirst();
        }
        entries.addLast(entry);
    }

    /** The number of entries. */
    public int size() {
        return entries.size();
    }

    /** Whether the buffer is at capacity. */
    public boolean full() {
        return entries.size() == capacity;
    }

    /**
     * Draws entries uniformly without replacement.
     *
     * @param k how many, at most {@link #size()}
     * @param random the random source
     * @return the entries
     */
    public List<Entry> sample(int k, SplittableRandom random) {
        if (k > entries.size()) {
            throw new IllegalArgumentException(
                    "cannot draw " + k + " entries from a replay buffer of " + entries.size() + "; fill it first");
        }
        List<Entry> all = new ArrayList<>(entries);
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(all.size() - i);
            Entry tmp = all.get(i);
            all.set(i, all.get(j));
            all.set(j, tmp);
        }
        return List.copyOf(all.subList(0, k));
    }
}
