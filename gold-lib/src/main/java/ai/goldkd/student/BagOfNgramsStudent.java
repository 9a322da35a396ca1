package ai.goldkd.student;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A fastText-style classifier (Joulin et al., 2017): the average of hashed word and word-pair
 * embeddings, then a linear layer,
 *
 * <pre>
 *   h(x)      = (1/|F(x)|) * sum_{f in F(x)} E[f]          E: (buckets, dim), F: {@link HashedNgrams}
 *   logits(x) = W h(x) + b                                  W: (K, dim)
 *   loss      = alpha * CE(y, p) + beta * A * (1 - p_y),    p = softmax(logits), A = -log(1e-4)
 * </pre>
 *
 * The loss is GOLD's symmetric cross-entropy (the same equation as
 * {@link ai.goldkd.loss.SymmetricCrossEntropyLoss}; {@code alpha = 1, beta = 0} is plain cross-entropy),
 * minimised with Adam: dense for W and b, lazy for E (only the rows a batch touches move, with the
 * global step's bias correction, as PyTorch's SparseAdam does); decoupled weight decay on W.
 *
 * <p>The model is a few dot products per word, so it runs on plain Java arrays: a device round trip
 * per batch would cost more than the arithmetic (a DJL version of this model took 240 ms a batch of 32
 * on two busy cores, against about a millisecond here). The optimiser's moments persist across
 * {@link #train} calls, so the GOLD loop's continual updates use one optimiser, as the paper's do.
 * Deterministic for a seed.
 */
public final class BagOfNgramsStudent implements Student {

    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPS = 1e-8f;
    private static final float RCE_SCALE = (float) -Math.log(1e-4);

    private final StudentConfig config;
    private final int classes;
    private final int dim;
    private final float[] embedding;
    private final float[] embeddingM;
    private final float[] embeddingV;
    private final float[] weight;
    private final float[] weightM;
    private final float[] weightV;
    private final float[] bias;
    private final float[] biasM;
    private final float[] biasV;
    private long steps;

    /**
     * Creates a student with fresh weights.
     *
     * @param config its shape and training settings
     * @param classes the number of classes, at least 2
     * @param seed the initialisation seed
     */
    public BagOfNgramsStudent(StudentConfig config, int classes, long seed) {
        if (classes < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + classes);
        }
        this.config = config;
        this.classes = classes;
        this.dim = config.dim();
        this.embedding = new float[config.buckets() * dim];
        Random random = new Random(seed);
        float scale = 1f / dim;
        for (int i = 0; i < embedding.length; i++) {
            embedding[i] = (random.nextFloat() * 2f - 1f) * scale;
        }
        this.embeddingM = new float[embedding.length];
        this.embeddingV = new float[embedding.length];
        this.weight = new float[classes * dim];
        this.weightM = new float[weight.length];
        this.weightV = new float[weight.length];
        this.bias = new float[classes];
        this.biasM = new float[classes];
        this.biasV = new float[classes];
    }

    @Override
    public double train(List<String> texts, int[] labels, int epochs, long seed) {
        if (texts.size() != labels.length) {
            throw new IllegalArgumentException(
                    texts.size() + " texts but " + labels.length + " labels; give one" + " label per text");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        for (int label : labels) {
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("label " + label + " is outside [0, " + classes + ")");
            }
        }
        if (texts.isEmpty()) {
            return Double.NaN;
        }
        int[][] features = featurise(texts);
        Random random = new Random(seed);
        int[] order = new int[texts.size()];
        double last = Double.NaN;
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            double sum = 0;
            for (int start = 0; start < order.length; start += config.batch()) {
                int end = Math.min(order.length, start + config.batch());
                sum += step(features, labels, order, start, end) * (end - start);
            }
            last = sum / order.length;
        }
        return last;
    }

    /** One Adam step on a batch; returns its mean loss. */
    private double step(int[][] features, int[] labels, int[] order, int start, int end) {
        int n = end - start;
        float[] gradW = new float[weight.length];
        float[] gradB = new float[classes];
        Map<Integer, float[]> gradE = new HashMap<>();
        float[] h = new float[dim];
        float[] logits = new float[classes];
        float[] g = new float[classes];
        double total = 0;
        for (int s = start; s < end; s++) {
            int[] f = features[order[s]];
            int y = labels[order[s]];
            pool(f, h);
            head(h, logits);
            float[] p = softmax(logits);
            total += config.sceAlpha() * -Math.log(Math.max(p[y], 1e-30)) + config.sceBeta() * RCE_SCALE * (1 - p[y]);
            for (int k = 0; k < classes; k++) {
                float onehot = k == y ? 1f : 0f;
                g[k] = (config.sceAlpha() * (p[k] - onehot) - config.sceBeta() * RCE_SCALE * p[y] * (onehot - p[k]))
                        / n;
                gradB[k] += g[k];
                for (int d = 0; d < dim; d++) {
                    gradW[k * dim + d] += g[k] * h[d];
                }
            }
            if (f.length == 0) {
                continue;
            }
            float[] dh = new float[dim];
            for (int k = 0; k < classes; k++) {
                for (int d = 0; d < dim; d++) {
                    dh[d] += g[k] * weight[k * dim + d] / f.length;
                }
            }
            for (int id : f) {
                float[] row = gradE.computeIfAbsent(id, key -> new float[dim]);
                for (int d = 0; d < dim; d++) {
                    row[d] += dh[d];
                }
            }
        }
        steps++;
        float c1 = 1f - (float) Math.pow(BETA1, steps);
        float c2 = 1f - (float) Math.pow(BETA2, steps);
        adam(weight, weightM, weightV, gradW, 0, c1, c2, config.weightDecay());
        adam(bias, biasM, biasV, gradB, 0, c1, c2, 0f);
        for (Map.Entry<Integer, float[]> e : gradE.entrySet()) {
            adam(embedding, embeddingM, embeddingV, e.getValue(), e.getKey() * dim, c1, c2, 0f);
        }
        return total / n;
    }

    private void adam(float[] p, float[] m, float[] v, float[] grad, int offset, float c1, float c2, float decay) {
        float lr = config.learningRate();
        for (int i = 0; i < grad.length; i++) {
            int j = offset + i;
            m[j] = BETA1 * m[j] + (1 - BETA1) * grad[i];
            v[j] = BETA2 * v[j] + (1 - BETA2) * grad[i] * grad[i];
            p[j] -= lr * ((m[j] / c1) / ((float) Math.sqrt(v[j] / c2) + EPS) + decay * p[j]);
        }
    }

    private void pool(int[] f, float[] h) {
        Arrays.fill(h, 0f);
        for (int id : f) {
            int base = id * dim;
            for (int d = 0; d < dim; d++) {
                h[d] += embedding[base + d];
            }
        }
        if (f.length > 0) {
            for (int d = 0; d < dim; d++) {
                h[d] /= f.length;
            }
        }
    }

    private void head(float[] h, float[] logits) {
        for (int k = 0; k < classes; k++) {
            float z = bias[k];
            for (int d = 0; d < dim; d++) {
                z += weight[k * dim + d] * h[d];
            }
            logits[k] = z;
        }
    }

    private static float[] softmax(float[] logits) {
        float max = Float.NEGATIVE_INFINITY;
        for (float z : logits) {
            max = Math.max(max, z);
        }
        float[] p = new float[logits.length];
        float sum = 0;
        for (int k = 0; k < logits.length; k++) {
            p[k] = (float) Math.exp(logits[k] - max);
            sum += p[k];
        }
        for (int k = 0; k < logits.length; k++) {
            p[k] /= sum;
        }
        return p;
    }

    private int[][] featurise(List<String> texts) {
        int[][] out = new int[texts.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = HashedNgrams.features(texts.get(i), config.buckets(), config.maxFeatures());
        }
        return out;
    }

    @Override
    public float[][] logits(List<String> texts) {
        float[][] out = new float[texts.size()][classes];
        float[] h = new float[dim];
        for (int i = 0; i < out.length; i++) {
            pool(HashedNgrams.features(texts.get(i), config.buckets(), config.maxFeatures()), h);
            head(h, out[i]);
        }
        return out;
    }

    @Override
    public float[][] features(List<String> texts) {
        float[][] out = new float[texts.size()][dim];
        for (int i = 0; i < out.length; i++) {
            pool(HashedNgrams.features(texts.get(i), config.buckets(), config.maxFeatures()), out[i]);
        }
        return out;
    }

    @Override
    public float[][] headWeights() {
        float[][] out = new float[classes][dim];
        for (int k = 0; k < classes; k++) {
            System.arraycopy(weight, k * dim, out[k], 0, dim);
        }
        return out;
    }

    @Override
    public int numClasses() {
        return classes;
    }

    /** The optimiser steps taken so far. */
    public long steps() {
        return steps;
    }

    /**
     * Writes the weights atomically: a header (buckets, dim, classes, steps), then E, W, b as
     * big-endian floats.
     *
     * @param file the file to write
     */
    @Override
    public void save(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
            try {
                write(tmp);
            } catch (IOException e) {
                Files.deleteIfExists(tmp); // a full disk must not leave megabytes of a half-written file
                throw e;
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the student to " + file + ": " + e.getMessage(), e);
        }
    }

    private void write(Path tmp) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            out.writeInt(config.buckets());
            out.writeInt(dim);
            out.writeInt(classes);
            out.writeLong(steps);
            for (float[] array : new float[][] {embedding, weight, bias}) {
                for (float x : array) {
                    out.writeFloat(x);
                }
            }
        }
    }

    /**
     * Reads weights written by {@link #save(Path)} (the optimiser's moments are not saved; the student
     * is for scoring, or for training with fresh moments).
     *
     * @param file the file
     * @return the student, with the saved shape and otherwise default settings
     */
    public static BagOfNgramsStudent load(Path file) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            int buckets = in.readInt();
            int dim = in.readInt();
            int classes = in.readInt();
            long steps = in.readLong();
            StudentConfig d = StudentConfig.defaults();
            BagOfNgramsStudent s = new BagOfNgramsStudent(
                    new StudentConfig(
                            buckets,
                            dim,
                            d.maxFeatures(),
                            d.learningRate(),
                            d.weightDecay(),
                            d.batch(),
                            d.sceAlpha(),
                            d.sceBeta()),
                    classes,
                    0);
            for (float[] array : new float[][] {s.embedding, s.weight, s.bias}) {
                for (int i = 0; i < array.length; i++) {
                    array[i] = in.readFloat();
                }
            }
            s.steps = steps;
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "could not read a student from " + file + ": " + e.getMessage()
                            + "; it is written by BagOfNgramsStudent.save (a run's final/student.bin)",
                    e);
        }
    }

    @Override
    public void close() {
        // plain arrays: nothing to release
    }
}
