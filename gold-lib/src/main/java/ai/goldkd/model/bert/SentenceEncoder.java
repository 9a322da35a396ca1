package ai.goldkd.model.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.goldkd.hf.DType;
import ai.goldkd.tokenizer.HfTokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A BERT-family checkpoint as a text encoder: its {@code tokenizer.json}, the {@link BertEncoder} and a
 * {@link Pooling}, turning texts into {@code [CLS] tokens [SEP]} ({@code <s> tokens </s>}) batches (truncated to a length, padded
 * to the longest row) and those into one vector per text, as sentence-transformers does.
 */
public final class SentenceEncoder implements AutoCloseable {

    private final BertEncoder encoder;
    private final HfTokenizer tokenizer;
    private final Pooling pooling;
    private final int maxLength;

    private SentenceEncoder(BertEncoder encoder, HfTokenizer tokenizer, Pooling pooling, int maxLength) {
        this.encoder = encoder;
        this.tokenizer = tokenizer;
        this.pooling = pooling;
        this.maxLength = maxLength;
    }

    /**
     * Opens a checkpoint directory (config.json, safetensors weights, tokenizer.json, optionally
     * 1_Pooling/config.json).
     *
     * @param dir the directory
     * @param manager where the weights live
     * @param pooling the pooling, or null for the checkpoint's (mean when it has no pooling config)
     * @param maxLength the most tokens per text, [CLS] and [SEP] included; at least 3 and at most the
     *     encoder's positions
     * @return the encoder
     */
    public static SentenceEncoder open(Path dir, NDManager manager, Pooling pooling, int maxLength) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("encoder directory " + dir + " does not exist; pass a Hugging Face BERT"
                    + " directory (gold model setup minilm installs all-MiniLM-L6-v2)");
        }
        BertConfig config = BertConfig.read(dir);
        int longest = config.family() == EncoderFamily.ROBERTA
                ? config.maxPositions() - config.padTokenId() - 1
                : config.maxPositions();
        if (maxLength < 3 || maxLength > longest) {
            throw new IllegalArgumentException("maxLength " + maxLength + " must be in [3, " + longest
                    + "] (what the encoder's max_position_embeddings allow)");
        }
        if (!Files.isRegularFile(dir.resolve("tokenizer.json"))) {
            throw new IllegalArgumentException(dir + " has no tokenizer.json; an encoder directory needs the tokenizer"
                    + " its checkpoint was trained with");
        }
        Pooling chosen = pooling != null ? pooling : Objects.requireNonNullElse(Pooling.read(dir), Pooling.MEAN);
        HfTokenizer tokenizer = HfTokenizer.load(dir, config.family().specials());
        try {
            tokenizer.checkVocab(config.vocabSize());
            return new SentenceEncoder(BertEncoder.load(dir, manager), tokenizer, chosen, maxLength);
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    /**
     * Wraps an encoder already built (random weights, for a control) with a tokenizer.
     *
     * @param encoder the encoder
     * @param tokenizer its tokenizer
     * @param pooling the pooling
     * @param maxLength the most tokens per text
     * @return the sentence encoder
     */
    public static SentenceEncoder of(BertEncoder encoder, HfTokenizer tokenizer, Pooling pooling, int maxLength) {
        tokenizer.checkVocab(encoder.config().vocabSize());
        return new SentenceEncoder(encoder, tokenizer, pooling, maxLength);
    }

    /** The encoder block. */
    public BertEncoder encoder() {
        return encoder;
    }

    /** The tokenizer. */
    public HfTokenizer tokenizer() {
        return tokenizer;
    }

    /** The pooling. */
    public Pooling pooling() {
        return pooling;
    }

    /** The most tokens per text. */
    public int maxLength() {
        return maxLength;
    }

    /** The embedding width. */
    public int dim() {
        return encoder.config().hiddenSize();
    }

    /**
     * Token ids of a text: {@code [CLS]}, the text's tokens cut to fit, {@code [SEP]}.
     *
     * @param text the text
     * @return at most {@link #maxLength()} ids
     */
    public int[] ids(String text) {
        int[] tokens = tokenizer.encode(text);
        int n = Math.min(tokens.length, maxLength - 2);
        int[] out = new int[n + 2];
        out[0] = tokenizer.specials().bos();
        System.arraycopy(tokens, 0, out, 1, n);
        out[n + 1] = tokenizer.specials().eos();
        return out;
    }

    /**
     * A padded batch.
     *
     * @param rows token ids per text
     * @param manager where the arrays go
     * @return {@code [ids (B, T), mask (B, T)]}, T the longest row
     */
    public NDArray[] batch(List<int[]> rows, NDManager manager) {
        int t = rows.stream().mapToInt(r -> r.length).max().orElse(1);
        long[] ids = new long[rows.size() * t];
        long[] mask = new long[ids.length];
        Arrays.fill(ids, tokenizer.specials().pad());
        for (int i = 0; i < rows.size(); i++) {
            int[] r = rows.get(i);
            for (int j = 0; j < r.length; j++) {
                ids[i * t + j] = r[j];
                mask[i * t + j] = 1;
            }
        }
        Shape shape = new Shape(rows.size(), t);
        return new NDArray[] {manager.create(ids, shape), manager.create(mask, shape)};
    }

    /**
     * The pooled embeddings of a batch.
     *
     * @param ps the parameter store
     * @param ids (B, T)
     * @param mask (B, T)
     * @param training whether dropout is on
     * @return (B, D)
     */
    public NDArray pooled(ParameterStore ps, NDArray ids, NDArray mask, boolean training) {
        return pooling.pool(encoder.hidden(ps, ids, null, mask, training), mask);
    }

    /**
     * Embeds texts, in batches of similar length (less padding), in eval mode.
     *
     * @param texts the texts
     * @param batchSize texts per forward pass
     * @param normalize whether each vector is scaled to unit length
     * @param manager the manager the encoder's weights live on (batches live in sub-managers of it)
     * @return one row of {@link #dim()} per text, in the texts' order
     */
    public float[][] embed(List<String> texts, int batchSize, boolean normalize, NDManager manager) {
        List<int[]> ids = new ArrayList<>(texts.size());
        for (String text : texts) {
            ids.add(ids(text));
        }
        Integer[] order = new Integer[texts.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> ids.get(i).length));
        float[][] out = new float[texts.size()][];
        for (int from = 0; from < order.length; from += batchSize) {
            int to = Math.min(order.length, from + batchSize);
            List<int[]> rows = new ArrayList<>();
            for (int k = from; k < to; k++) {
                rows.add(ids.get(order[k]));
            }
            try (NDManager scope = manager.newSubManager()) {
                NDArray[] b = batch(rows, scope);
                NDArray pooled = pooled(new ParameterStore(scope, false), b[0], b[1], false); // (B, D)
                if (normalize) {
                    pooled = pooled.div(pooled.norm(new int[] {1}, true));
                }
                float[] flat = pooled.toFloatArray();
                int d = dim();
                for (int k = from; k < to; k++) {
                    out[order[k]] = Arrays.copyOfRange(flat, (k - from) * d, (k - from + 1) * d);
                }
            }
        }
        return out;
    }

    /**
     * Writes the encoder as a Hugging Face directory: config.json, model.safetensors, tokenizer.json
     * and 1_Pooling/config.json.
     *
     * @param dir the directory
     * @param dtype the weights' stored type
     */
    public void save(Path dir, DType dtype) {
        encoder.save(dir, dtype);
        tokenizer.save(dir);
        pooling.write(dir, dim());
    }

    /** Frees the tokenizer (the weights go with their manager). */
    @Override
    public void close() {
        tokenizer.close();
    }
}
