package ai.goldkd.teacher;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.goldkd.data.Sha256;
import ai.goldkd.loss.TopKDistribution;
import ai.goldkd.tokenizer.Tokenizer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs a white-box teacher once over token sequences and stores its top-k distributions in a
 * {@link TopKCache}, skipping sequences already stored (so a killed run resumes where it stopped).
 */
public final class TopKCaching {

    private TopKCaching() {}

    /**
     * A tokenizer's fingerprint: the SHA-256 of its saved files, in name order. Two tokenizers with the
     * same fingerprint encode alike.
     *
     * @param tokenizer the tokenizer
     * @return {@code sha256:} and 64 hex digits
     */
    public static String fingerprint(Tokenizer tokenizer) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("gold-tokenizer");
            tokenizer.save(dir);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.sorted(
                                Comparator.comparing(p -> p.getFileName().toString()))
                        .toList()) {
                    all.write(file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                    all.write(Files.readAllBytes(file));
                }
            }
            return "sha256:" + Sha256.hex(all.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fingerprint the tokenizer", e);
        } finally {
            if (dir != null) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder())
                            .forEach(p -> p.toFile().delete());
                } catch (IOException ignored) {
                    // a temporary directory left behind is harmless
                }
            }
        }
    }

    /**
     * Fills a cache from a top-k teacher (a local model through {@link LocalTopK}, or an endpoint): for
     * each sequence its inputs (all tokens but the last) and the teacher's top k at each of them, in
     * batches of {@code batch} sequences, skipping those stored.
     *
     * @param teacher the teacher; its k must be the cache's
     * @param sequences whole sequences (BOS + prompt + answer + EOS), at least 2 tokens each
     * @param cache the open cache
     * @param batch sequences asked for at once, >= 1
     * @return how many sequences were computed
     */
    public static int fill(TopKTeacher teacher, List<int[]> sequences, TopKCache cache, int batch) {
        if (teacher.k() != cache.meta().k()) {
            throw new IllegalArgumentException("the teacher gives top-" + teacher.k() + " but the cache holds top-"
                    + cache.meta().k() + "; use another --out");
        }
        int computed = 0;
        List<Integer> pending = new ArrayList<>();
        for (int i = 0; i <= sequences.size(); i++) {
            if (i < sequences.size() && !cache.has(i)) {
                pending.add(i);
            }
            if (!pending.isEmpty() && (pending.size() == batch || i == sequences.size())) {
                List<TopKCache.Entry> rows =
                        teacher.topK(pending.stream().map(sequences::get).toList());
                for (int j = 0; j < rows.size(); j++) {
                    cache.put(pending.get(j), rows.get(j));
                }
                computed += pending.size();
                pending.clear();
            }
        }
        return computed;
    }

    /**
     * Fills a cache with a teacher's top-k distributions at every position of each sequence.
     *
     * @param teacher the teacher; its tokenizer's fingerprint must be the cache's
     * @param sequences token sequences, each at most the teacher's context
     * @param cache the open cache
     * @return how many sequences were computed (the others were stored already)
     */
    public static int fill(Teacher teacher, List<int[]> sequences, TopKCache cache) {
        TopKCache.Meta meta = cache.meta();
        if (teacher.tokenizer().vocabSize() != meta.vocab()) {
            throw new IllegalArgumentException(
                    "the teacher's vocabulary " + teacher.tokenizer().vocabSize() + " is not the cache's "
                            + meta.vocab() + "; use another --out for this teacher");
        }
        int computed = 0;
        for (int i = 0; i < sequences.size(); i++) {
            if (cache.has(i)) {
                continue;
            }
            int[] tokens = sequences.get(i);
            if (tokens.length == 0 || tokens.length > teacher.context()) {
                throw new IllegalArgumentException("sequence " + i + " has " + tokens.length + " tokens; the teacher"
                        + " reads 1 to " + teacher.context() + ": truncate the data");
            }
            try (NDManager scope = NDManager.newBaseManager()) {
                NDArray ids = scope.create(tokens, new Shape(1, tokens.length)).toType(DataType.INT64, false);
                NDArray logits = teacher.logits(ids, null); // (1, T, V)
                scope.tempAttachAll(logits);
                NDArray row = logits.get(0); // (T, V)
                TopKDistribution top = TopKDistribution.ofLogits(row, meta.k(), meta.temperature());
                cache.put(i, tokens, top);
            }
            computed++;
        }
        return computed;
    }
}
