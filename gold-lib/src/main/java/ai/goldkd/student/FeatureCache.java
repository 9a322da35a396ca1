package ai.goldkd.student;

import ai.goldkd.data.Sha256;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A frozen encoder's pooled features on disk, shared by every run and seed on the machine: the
 * features of a text depend only on the encoder's files and its reading settings, so a text encoded
 * once (the 5,000 test reviews of a GOLD grid, above all) is never encoded again.
 *
 * <p>One folder per encoder fingerprint ({@link #fingerprint}); each process appends to a segment
 * file of its own, so runs side by side never write the same file. A segment is
 *
 * <pre>
 *   "GOLDFEAT" (8 bytes), dim (int32 LE), then records of
 *   SHA-256(text, UTF-8) (32 bytes), dim float32 LE
 * </pre>
 *
 * <p>written a batch at a time; a record cut short by a crash is ignored when the folder is read.
 * Only the index (hash to segment and offset) is held in memory; features are read when asked for.
 */
public final class FeatureCache implements AutoCloseable {

    private static final byte[] MAGIC = "GOLDFEAT".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = MAGIC.length + 4;
    private static final int KEY = 32;

    private final Path dir;
    private final int dim;
    private final List<Path> segments = new ArrayList<>();
    private final Map<Integer, FileChannel> readers = new HashMap<>();
    private final Map<ByteBuffer, long[]> index = new HashMap<>(); // hash -> {segment, offset}
    private FileChannel own;
    private int ownSegment = -1;
    private long hits;
    private long misses;

    private FeatureCache(Path dir, int dim) {
        this.dir = dir;
        this.dim = dim;
    }

    /**
     * Opens (and indexes) the cache of one encoder.
     *
     * @param root the caches' folder ({@code $GOLD_HOME/cache/features})
     * @param fingerprint the encoder's {@link #fingerprint}
     * @param dim the features' width
     * @return the cache; close it to close its segment file
     */
    public static FeatureCache open(Path root, String fingerprint, int dim) {
        FeatureCache cache = new FeatureCache(root.resolve(fingerprint), dim);
        cache.readIndex();
        return cache;
    }

    /**
     * The identity of an encoder's output: SHA-256 over the reading settings and each weights, config and
     * tokenizer file's name and SHA-256 (as the completion cache keys an offline teacher's code), so a
     * fine-tuned copy, another pooling or another length never share features.
     *
     * @param encoderDir the Hugging Face directory (config.json, *.safetensors, tokenizer.json)
     * @param settings what else decides a text's features (pooling, the most tokens read), as text
     * @return 64 hexadecimal digits
     */
    public static String fingerprint(Path encoderDir, String settings) {
        StringBuilder all = new StringBuilder(settings).append('\n');
        try (Stream<Path> listing = Files.list(encoderDir)) {
            for (Path file : listing.filter(p -> {
                        String name = p.getFileName().toString();
                        return name.endsWith(".safetensors")
                                || name.equals("config.json")
                                || name.equals("tokenizer.json");
                    })
                    .sorted()
                    .toList()) {
                all.append(file.getFileName())
                        .append(' ')
                        .append(Sha256.hex(file))
                        .append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list encoder directory " + encoderDir, e);
        }
        return Sha256.hex(all.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A text's features, or null when they are not cached.
     *
     * @param text the text
     * @return a fresh array of {@code dim} floats, or null
     */
    public float[] get(String text) {
        long[] at = index.get(key(text));
        if (at == null) {
            misses++;
            return null;
        }
        hits++;
        ByteBuffer bytes = ByteBuffer.allocate(dim * 4).order(ByteOrder.LITTLE_ENDIAN);
        try {
            FileChannel in = reader((int) at[0]);
            long position = at[1];
            while (bytes.hasRemaining()) {
                int read = in.read(bytes, position);
                if (read < 0) {
                    throw new IOException("segment ends inside a record");
                }
                position += read;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read cached features from " + segments.get((int) at[0]), e);
        }
        float[] out = new float[dim];
        bytes.flip().asFloatBuffer().get(out);
        return out;
    }

    /**
     * Appends texts' features to this process's segment (texts already cached are skipped).
     *
     * @param texts the texts
     * @param features one row of {@code dim} floats per text
     */
    public void put(List<String> texts, float[][] features) {
        if (texts.size() != features.length) {
            throw new IllegalArgumentException(texts.size() + " texts but " + features.length + " feature rows");
        }
        ByteBuffer out = ByteBuffer.allocate(texts.size() * (KEY + dim * 4)).order(ByteOrder.LITTLE_ENDIAN);
        List<ByteBuffer> keys = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            if (features[i].length != dim) {
                throw new IllegalArgumentException(
                        "a feature row of " + features[i].length + " floats; the cache holds " + dim);
            }
            ByteBuffer key = key(texts.get(i));
            if (index.containsKey(key) || keys.contains(key)) {
                continue;
            }
            keys.add(key);
            out.put(key.duplicate());
            for (float f : features[i]) {
                out.putFloat(f);
            }
        }
        if (keys.isEmpty()) {
            return;
        }
        try {
            FileChannel channel = ownChannel();
            long start = channel.size();
            out.flip();
            while (out.hasRemaining()) {
                channel.write(out);
            }
            for (int i = 0; i < keys.size(); i++) {
                index.put(keys.get(i), new long[] {ownSegment, start + (long) i * (KEY + dim * 4) + KEY});
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append features to the cache in " + dir, e);
        }
    }

    /** The number of texts cached. */
    public int size() {
        return index.size();
    }

    /** How many lookups found their text. */
    public long hits() {
        return hits;
    }

    /** How many lookups did not. */
    public long misses() {
        return misses;
    }

    private FileChannel reader(int segment) throws IOException {
        FileChannel in = readers.get(segment);
        if (in == null) {
            in = FileChannel.open(segments.get(segment), StandardOpenOption.READ);
            readers.put(segment, in);
        }
        return in;
    }

    @Override
    public void close() {
        for (FileChannel in : readers.values()) {
            try {
                in.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close a feature cache segment in " + dir, e);
            }
        }
        readers.clear();
        if (own != null) {
            try {
                own.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close the feature cache's segment in " + dir, e);
            }
            own = null;
        }
    }

    private FileChannel ownChannel() throws IOException {
        if (own == null) {
            Files.createDirectories(dir);
            Path file = dir.resolve("part-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".f32");
            own = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            header.put(MAGIC).putInt(dim).flip();
            while (header.hasRemaining()) {
                own.write(header);
            }
            segments.add(file);
            ownSegment = segments.size() - 1;
        }
        return own;
    }

    private void readIndex() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(p -> p.getFileName().toString().endsWith(".f32"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the feature cache " + dir, e);
        }
        int record = KEY + dim * 4;
        for (Path file : files) {
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
                in.read(header, 0);
                header.flip();
                byte[] magic = new byte[MAGIC.length];
                if (header.remaining() < HEADER) {
                    continue; // a segment whose header was never completed holds nothing
                }
                header.get(magic);
                int width = header.getInt();
                if (!Arrays.equals(magic, MAGIC) || width != dim) {
                    throw new IllegalStateException("feature cache segment " + file + " is not a " + dim
                            + "-wide features file; delete the folder " + dir + " (it is only a cache)");
                }
                int segment = segments.size();
                segments.add(file);
                long records = (in.size() - HEADER) / record; // a partial last record is left out
                ByteBuffer key = ByteBuffer.allocate(KEY);
                for (long r = 0; r < records; r++) {
                    long at = HEADER + r * record;
                    in.read(key.clear(), at);
                    index.putIfAbsent(ByteBuffer.wrap(key.array().clone()), new long[] {segment, at + KEY});
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the feature cache segment " + file, e);
            }
        }
    }

    private static ByteBuffer key(String text) {
        return ByteBuffer.wrap(Sha256.digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
