package ai.goldkd.teacher;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.goldkd.loss.TopKDistribution;
import ai.goldkd.nd.HalfFloats;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * A teacher's top-k next-token distributions over a data set, computed once and stored compactly, so
 * supervised KD can train without the teacher: a directory with {@code cache.json} (the teacher, the
 * tokenizer's fingerprint, the vocabulary, k and the temperature) and {@code topk.bin}, one record per
 * sequence appended as it is made.
 *
 * <p>A record is {@code [length][crc32][payload]}; the payload holds the sequence's index, its T token
 * ids and, per position, K token ids (3 bytes each for vocabularies up to 2^24) and K log-probabilities
 * as IEEE half floats: 3 + 5 K bytes per token (k = 20: 103 bytes). The tail's mass is 1 minus the
 * known probabilities ({@link TopKDistribution}). A record cut short by a killed writer fails its
 * length or checksum and is dropped when the cache is opened again, so resuming rewrites it.
 */
public final class TopKCache implements AutoCloseable {

    /** The description's file name. */
    public static final String META = "cache.json";
    /** The records' file name. */
    public static final String DATA = "topk.bin";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    /**
     * What a cache holds.
     *
     * @param format the layout's version (1)
     * @param teacher the teacher's identity (a model directory or an endpoint and model)
     * @param tokenizer the tokenizer's fingerprint (its files' SHA-256); a student must have the same
     * @param vocab the vocabulary's size
     * @param k tokens kept per position
     * @param temperature the temperature the distributions were computed at
     */
    public record Meta(int format, String teacher, String tokenizer, int vocab, int k, float temperature) {

        /** Checks the fields. */
        public Meta {
            if (k < 1 || k > vocab) {
                throw new IllegalArgumentException("top-k " + k + " must be in [1, " + vocab + "] (the vocabulary)");
            }
            if (vocab > (1 << 24)) {
                throw new IllegalArgumentException(
                        "vocabulary " + vocab + " is larger than 2^24, which the cache's" + " 3-byte token ids hold");
            }
        }
    }

    /**
     * One stored sequence.
     *
     * @param index the sequence's index in the data set
     * @param tokens its T token ids
     * @param ids (T x K) top-k token ids, row-major
     * @param logProbs (T x K) their log-probabilities
     */
    public record Entry(int index, int[] tokens, int[] ids, float[] logProbs) {

        /**
         * As a distribution on a manager.
         *
         * @param manager where the arrays live
         * @param k tokens per position
         * @return ids and log-probabilities of shape (T, K)
         */
        public TopKDistribution distribution(NDManager manager, int k) {
            Shape shape = new Shape(tokens.length, k);
            return new TopKDistribution(
                    manager.create(ids, shape).toType(DataType.INT64, false), manager.create(logProbs, shape));
        }
    }

    private final Path dir;
    private final Meta meta;
    private final FileChannel channel;
    private final Map<Integer, Long> offsets;

    private TopKCache(Path dir, Meta meta, FileChannel channel, Map<Integer, Long> offsets) {
        this.dir = dir;
        this.meta = meta;
        this.channel = channel;
        this.offsets = offsets;
    }

    /**
     * Opens a cache for writing and reading, creating it or continuing one with the same description.
     *
     * @param dir the cache directory
     * @param meta what it holds
     * @return the cache; close it when done
     */
    public static TopKCache create(Path dir, Meta meta) {
        try {
            Files.createDirectories(dir);
            Path metaFile = dir.resolve(META);
            if (Files.exists(metaFile)) {
                Meta existing = readMeta(dir);
                if (!existing.equals(meta)) {
                    throw new IllegalArgumentException(dir + " already holds a cache of " + existing + ", not " + meta
                            + "; choose another --out, or delete it to start over");
                }
            } else {
                Path tmp = dir.resolve(META + ".tmp");
                Files.writeString(tmp, GSON.toJson(meta), StandardCharsets.UTF_8);
                Files.move(tmp, metaFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            return open(dir, meta, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the teacher cache in " + dir, e);
        }
    }

    /**
     * Opens a cache to read.
     *
     * @param dir the cache directory
     * @return the cache
     */
    public static TopKCache open(Path dir) {
        return open(dir, readMeta(dir), false);
    }

    private static Meta readMeta(Path dir) {
        Path file = dir.resolve(META);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no teacher cache in " + dir + " (no " + META + "); make one with"
                    + " `gold teacher logits --out " + dir + "`");
        }
        try {
            return GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), Meta.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static TopKCache open(Path dir, Meta meta, boolean write) {
        try {
            Path data = dir.resolve(DATA);
            FileChannel channel = write
                    ? FileChannel.open(
                            data, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)
                    : FileChannel.open(data, StandardOpenOption.READ);
            Map<Integer, Long> offsets = new LinkedHashMap<>();
            long end = scan(channel, offsets);
            if (write && end < channel.size()) {
                channel.truncate(end); // a record cut short by a killed writer
            }
            return new TopKCache(dir, meta, channel, offsets);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the teacher cache in " + dir, e);
        }
    }

    /** Indexes the whole records; returns where the last whole one ends. */
    private static long scan(FileChannel channel, Map<Integer, Long> offsets) throws IOException {
        long position = 0;
        long size = channel.size();
        ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        while (position + 8 <= size) {
            head.clear();
            channel.read(head, position);
            int length = head.getInt(0);
            int crc = head.getInt(4);
            if (length < 8 || position + 8 + length > size) {
                break;
            }
            ByteBuffer payload = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(payload, position + 8);
            CRC32 check = new CRC32();
            check.update(payload.array());
            if ((int) check.getValue() != crc) {
                break;
            }
            offsets.put(payload.getInt(0), position);
            position += 8 + length;
        }
        return position;
    }

    /** The description. */
    public Meta meta() {
        return meta;
    }

    /** The cache's directory. */
    public Path dir() {
        return dir;
    }

    /** Whether a sequence is stored. */
    public boolean has(int index) {
        return offsets.containsKey(index);
    }

    /** The stored sequences' indices, in the order they were written. */
    public Set<Integer> indices() {
        return Collections.unmodifiableSet(offsets.keySet());
    }

    /**
     * Appends one sequence's entry, as a {@link TopKTeacher} gives it.
     *
     * @param index the sequence's index in the data set
     * @param entry its tokens and (T x K) ids and log-probabilities
     */
    public void put(int index, Entry entry) {
        try (NDManager scope = NDManager.newBaseManager()) {
            put(index, entry.tokens(), entry.distribution(scope, meta.k()));
        }
    }

    /** How many sequences are stored. */
    public int size() {
        return offsets.size();
    }

    /**
     * Appends one sequence's distributions.
     *
     * @param index the sequence's index in the data set
     * @param tokens its T token ids
     * @param teacher its (T, K) top-k distribution, K = {@link Meta#k()}
     */
    public void put(int index, int[] tokens, TopKDistribution teacher) {
        int k = meta.k();
        if (teacher.ids().getShape().dimension() != 2
                || teacher.ids().getShape().get(0) != tokens.length
                || teacher.k() != k) {
            throw new IllegalArgumentException("sequence " + index + ": expected a (" + tokens.length + ", " + k
                    + ") top-k distribution, got " + teacher.ids().getShape());
        }
        long[] ids = teacher.ids().toLongArray();
        float[] logProbs = teacher.logProbs().toType(DataType.FLOAT32, false).toFloatArray();
        int t = tokens.length;
        ByteBuffer payload = ByteBuffer.allocate(8 + 3 * t + 5 * t * k).order(ByteOrder.LITTLE_ENDIAN);
        payload.putInt(index).putInt(t);
        for (int token : tokens) {
            putId(payload, token);
        }
        for (long id : ids) {
            putId(payload, (int) id);
        }
        for (float lp : logProbs) {
            payload.putShort(HalfFloats.of(lp));
        }
        CRC32 crc = new CRC32();
        crc.update(payload.array());
        ByteBuffer record = ByteBuffer.allocate(8 + payload.capacity()).order(ByteOrder.LITTLE_ENDIAN);
        record.putInt(payload.capacity())
                .putInt((int) crc.getValue())
                .put(payload.array())
                .flip();
        try {
            long position = channel.size();
            while (record.hasRemaining()) {
                channel.write(record, position + record.position());
            }
            offsets.put(index, position);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the teacher cache in " + dir + "; check the disk", e);
        }
    }

    /**
     * Reads one sequence.
     *
     * @param index the sequence's index in the data set
     * @return its entry
     */
    public Entry get(int index) {
        Long position = offsets.get(index);
        if (position == null) {
            throw new IllegalArgumentException("the teacher cache in " + dir + " has no sequence " + index
                    + "; it was made for another data file, or its run stopped early: run `gold teacher logits` again");
        }
        try {
            ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(head, position);
            ByteBuffer payload = ByteBuffer.allocate(head.getInt(0)).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(payload, position + 8);
            payload.flip();
            int stored = payload.getInt();
            int t = payload.getInt();
            int k = meta.k();
            int[] tokens = new int[t];
            Arrays.setAll(tokens, i -> getId(payload));
            int[] ids = new int[t * k];
            Arrays.setAll(ids, i -> getId(payload));
            float[] logProbs = new float[t * k];
            for (int i = 0; i < logProbs.length; i++) {
                logProbs[i] = HalfFloats.toFloat(payload.getShort());
            }
            return new Entry(stored, tokens, ids, logProbs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the teacher cache in " + dir, e);
        }
    }

    /** Bytes of records per stored token, over the whole cache. */
    public double bytesPerToken() {
        long tokens = 0;
        for (int index : offsets.keySet()) {
            tokens += get(index).tokens().length;
        }
        try {
            return tokens == 0 ? 0 : (double) channel.size() / tokens;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void putId(ByteBuffer out, int id) {
        out.put((byte) id).put((byte) (id >>> 8)).put((byte) (id >>> 16));
    }

    private static int getId(ByteBuffer in) {
        return (in.get() & 0xff) | (in.get() & 0xff) << 8 | (in.get() & 0xff) << 16;
    }

    @Override
    public void close() {
        try {
            channel.force(true);
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the teacher cache in " + dir, e);
        }
    }
}
