package ai.goldkd.teacher;

import ai.djl.ndarray.NDArray;
import ai.goldkd.tokenizer.Tokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A teacher-logits cache ({@link TopKCache}, made by {@code gold teacher logits}) read back as a
 * teacher, so supervised KD trains without the teacher: each training sequence's top-k distributions
 * are looked up by its tokens. It refuses a student whose tokenizer is not the cache's (by fingerprint),
 * and a sequence the cache does not hold (on-policy samples need a live teacher). It neither generates
 * nor gives dense logits.
 */
public final class CachedTopKTeacher implements Teacher, TopKTeacher, AutoCloseable {

    private final TopKCache cache;
    private final Tokenizer tokenizer;
    private final Map<Integer, List<Integer>> byHash = new HashMap<>();

    private CachedTopKTeacher(TopKCache cache, Tokenizer tokenizer) {
        this.cache = cache;
        this.tokenizer = tokenizer;
        for (int index : cache.indices()) {
            byHash.computeIfAbsent(Arrays.hashCode(cache.get(index).tokens()), h -> new ArrayList<>())
                    .add(index);
        }
    }

    /**
     * Opens a cache for a student.
     *
     * @param dir the cache directory
     * @param student the student's tokenizer; its fingerprint must be the cache's
     * @return the teacher; close it to close the cache
     * @throws IllegalArgumentException naming both fingerprints when the tokenizers differ
     */
    public static CachedTopKTeacher open(Path dir, Tokenizer student) {
        TopKCache cache = TopKCache.open(dir);
        String theirs = cache.meta().tokenizer();
        String ours = TopKCaching.fingerprint(student);
        if (!ours.equals(theirs) || student.vocabSize() != cache.meta().vocab()) {
            cache.close();
            throw new IllegalArgumentException("the teacher cache " + dir + " was made with tokenizer " + theirs
                    + " (vocabulary " + cache.meta().vocab() + ") but the student's is " + ours + " (vocabulary "
                    + student.vocabSize() + "); make the cache with the student's tokenizer, or build the student"
                    + " with the teacher's");
        }
        return new CachedTopKTeacher(cache, student);
    }

    /** The cache's description. */
    public TopKCache.Meta meta() {
        return cache.meta();
    }

    @Override
    public List<TopKCache.Entry> topK(List<int[]> sequences) {
        List<TopKCache.Entry> out = new ArrayList<>(sequences.size());
        for (int[] sequence : sequences) {
            int[] inputs = Arrays.copyOf(sequence, sequence.length - 1);
            TopKCache.Entry found = null;
            for (int index : byHash.getOrDefault(Arrays.hashCode(inputs), List.of())) {
                TopKCache.Entry e = cache.get(index);
                if (Arrays.equals(e.tokens(), inputs)) {
                    found = e;
                    break;
                }
            }
            if (found == null) {
                String text = tokenizer.decode(inputs);
                throw new IllegalArgumentException("the teacher cache " + cache.dir() + " holds no entry for the"
                        + " sequence '"
                        + (text.length() > 60 ? text.substring(0, 57) + "..." : text).replace("\n", "\\n")
                        + "'; it was made for other data: run `gold teacher logits` over this data (on-policy KD"
                        + " needs a live teacher)");
            }
            out.add(found);
        }
        return out;
    }

    @Override
    public int k() {
        return cache.meta().k();
    }

    @Override
    public float temperature() {
        return cache.meta().temperature();
    }

    @Override
    public String identity() {
        return cache.meta().teacher();
    }

    @Override
    public NDArray logits(NDArray ids, NDArray mask) {
        throw new UnsupportedOperationException("a teacher cache holds top-" + k() + " log-probabilities, not logits;"
                + " distil from it through DistillationTrainer (supervised KD)");
    }

    @Override
    public List<Completion> generate(GenerationRequest request) {
        throw new UnsupportedOperationException("a teacher cache cannot generate; regimes that sample from the"
                + " teacher (SeqKD) need the teacher itself");
    }

    @Override
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public int vocabSize() {
        return cache.meta().vocab();
    }

    @Override
    public int context() {
        return Integer.MAX_VALUE;
    }

    @Override
    public void close() {
        cache.close();
    }
}
