package ai.goldkd.student;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.goldkd.config.Devices;
import ai.goldkd.loss.SymmetricCrossEntropyLoss;
import ai.goldkd.model.bert.SentenceEncoder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A pretrained BERT-family encoder with a linear classification head, as GOLD's student (the paper
 * fine-tunes a pretrained T5):
 *
 * <pre>
 *   h(x)      = pool(BERT([CLS] x [SEP]))            (B, D)   mean or [CLS] pooling
 *   logits(x) = W h(x) + b                           (B, K)   W: (K, D), N(0, 0.02); b: 0
 *   loss      = alpha * CE(y, p) + beta * A * (1 - p_y)        {@link SymmetricCrossEntropyLoss}
 * </pre>
 *
 * <p>{@link EncoderMode#FROZEN} trains the head alone: the encoder's output of a text never changes, so
 * it is computed once per text and cached, and every later epoch, continual update and score of that
 * text costs a dot product. {@link EncoderMode#FINE_TUNE} trains everything end to end (dropout on),
 * the encoder at its own, smaller learning rate. Both use AdamW, whose moments persist across
 * {@link #train} calls, so the GOLD loop's continual updates use one optimiser, as the paper's do.
 * {@link #save} writes a Hugging Face directory (see {@link EncoderCheckpoint}).
 */
public final class EncoderStudent implements Student {

    /** Texts encoded between two appends to the disk cache. */
    private static final int CACHE_CHUNK = 256;

    private final EncoderStudentConfig config;
    private final NDManager manager;
    private final SentenceEncoder encoder;
    private final int classes;
    private final NDArray headWeight;
    private final NDArray headBias;
    private final Optimizer headOptimizer;
    private final Optimizer encoderOptimizer;
    private final SymmetricCrossEntropyLoss loss;
    private final Map<String, float[]> frozenFeatures = new HashMap<>();
    private final FeatureCache diskCache;
    private long steps;

    EncoderStudent(
            EncoderStudentConfig config,
            NDManager manager,
            SentenceEncoder encoder,
            int classes,
            float[] weight,
            float[] bias,
            FeatureCache diskCache) {
        this.config = config;
        this.diskCache = diskCache;
        this.manager = manager;
        this.encoder = encoder;
        this.classes = classes;
        int d = encoder.dim();
        this.headWeight = manager.create(weight, new Shape(classes, d));
        this.headBias = manager.create(bias, new Shape(classes));
        headWeight.setRequiresGradient(true);
        headBias.setRequiresGradient(true);
        encoder.encoder().setTrainable(config.mode() == EncoderMode.FINE_TUNE);
        this.headOptimizer = Optimizer.adamW()
                .optLearningRateTracker(Tracker.fixed(config.headLearningRate()))
                .optWeightDecays(config.weightDecay())
                .build();
        this.encoderOptimizer = Optimizer.adamW()
                .optLearningRateTracker(Tracker.fixed(config.encoderLearningRate()))
                .optWeightDecays(config.weightDecay())
                .build();
        this.loss = SymmetricCrossEntropyLoss.of(config.sceAlpha(), config.sceBeta());
    }

    /**
     * Opens a student on a Hugging Face encoder directory: a BERT checkpoint (a fresh head is drawn) or a
     * directory this class saved (its head is restored when it has as many classes).
     *
     * @param dir the directory (config.json, model.safetensors, tokenizer.json)
     * @param config the settings
     * @param classes the number of classes, at least 2 (the task's labels, in order)
     * @param seed the head's initialisation seed
     * @return the student; close it to free its weights
     * @throws IllegalArgumentException when the directory is not a BERT encoder (a causal language model
     *     is refused by name) or a setting does not fit it
     */
    public static EncoderStudent open(Path dir, EncoderStudentConfig config, int classes, long seed) {
        return open(dir, config, classes, seed, null);
    }

    /**
     * Opens a student as {@link #open(Path, EncoderStudentConfig, int, long)} does, with the frozen encoder's
     * features kept on disk under {@code featureCache} (see {@link FeatureCache}) and shared by every student
     * of the same encoder files and reading settings; a fine-tuned encoder's features are never cached.
     *
     * @param dir the directory
     * @param config the settings
     * @param classes the number of classes
     * @param seed the head's initialisation seed
     * @param featureCache the caches' folder ({@code $GOLD_HOME/cache/features}), or null for none
     * @return the student; close it to free its weights and close its cache
     */
    public static EncoderStudent open(
            Path dir, EncoderStudentConfig config, int classes, long seed, Path featureCache) {
        checkClasses(classes);
        NDManager manager = NDManager.newBaseManager(Devices.choose());
        try {
            SentenceEncoder encoder = SentenceEncoder.open(dir, manager, config.pooling(), config.maxLength());
            float[][] head = EncoderCheckpoint.readHead(dir, classes, encoder.dim());
            if (head == null) {
                head = freshHead(classes, encoder.dim(), seed);
            }
            FeatureCache cache = featureCache != null && config.mode() == EncoderMode.FROZEN
                    ? FeatureCache.open(
                            featureCache,
                            FeatureCache.fingerprint(
                                    dir, "pooling=" + encoder.pooling() + ";maxLength=" + encoder.maxLength()),
                            encoder.dim())
                    : null;
            return new EncoderStudent(config, manager, encoder, classes, head[0], head[1], cache);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * A student on an encoder already built (e.g. random weights, the control a pretrained one must beat).
     *
     * @param encoder the encoder; its weights must live on {@code manager}
     * @param manager the manager, which the student closes
     * @param config the settings
     * @param classes the number of classes
     * @param seed the head's initialisation seed
     * @return the student
     */
    public static EncoderStudent of(
            SentenceEncoder encoder, NDManager manager, EncoderStudentConfig config, int classes, long seed) {
        checkClasses(classes);
        float[][] head = freshHead(classes, encoder.dim(), seed);
        return new EncoderStudent(config, manager, encoder, classes, head[0], head[1], null);
    }

    private static void checkClasses(int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + classes);
        }
    }

    private static float[][] freshHead(int classes, int dim, long seed) {
        Random random = new Random(seed);
        float[] w = new float[classes * dim];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian() * 0.02f;
        }
        return new float[][] {w, new float[classes]};
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
        boolean frozen = config.mode() == EncoderMode.FROZEN;
        float[][] features = frozen ? cachedFeatures(texts) : null;
        List<int[]> ids = new ArrayList<>();
        if (!frozen) {
            texts.forEach(t -> ids.add(encoder.ids(t)));
        }
        Engine.getInstance().setRandomSeed((int) seed); // dropout's draws
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
            for (int start = 0; start < order.length; start += config.batchSize()) {
                int end = Math.min(order.length, start + config.batchSize());
                sum += step(features, ids, labels, order, start, end) * (end - start);
            }
            last = sum / order.length;
        }
        return last;
    }

    /** One AdamW step on a batch; returns its mean loss. */
    private double step(float[][] features, List<int[]> ids, int[] labels, int[] order, int start, int end) {
        int n = end - start;
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = labels[order[start + i]];
        }
        double value;
        try (NDManager scope = manager.newSubManager()) {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray h;
                if (features != null) {
                    float[] flat = new float[n * encoder.dim()];
                    for (int i = 0; i < n; i++) {
                        System.arraycopy(features[order[start + i]], 0, flat, i * encoder.dim(), encoder.dim());
                    }
                    h = scope.create(flat, new Shape(n, encoder.dim())); // (B, D)
                } else {
                    List<int[]> rows = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        rows.add(ids.get(order[start + i]));
                    }
                    NDArray[] batch = encoder.batch(rows, scope);
                    h = encoder.pooled(new ParameterStore(scope, false), batch[0], batch[1], true); // (B, D)
                }
                NDArray l = loss.compute(head(h), scope.create(y));
                collector.backward(l);
                value = l.getFloat();
            }
            update(headOptimizer, "head.weight", headWeight);
            update(headOptimizer, "head.bias", headBias);
            if (features == null) {
                for (Map.Entry<String, Parameter> e :
                        encoder.encoder().namedParameters().entrySet()) {
                    update(encoderOptimizer, e.getKey(), e.getValue().getArray());
                }
            }
        }
        steps++;
        return value;
    }

    private static void update(Optimizer optimizer, String id, NDArray weight) {
        // getGradient() hands out a new handle on the weight's own manager: close it here (the update zeroes it)
        try (NDArray gradient = weight.getGradient()) {
            optimizer.update(id, weight, gradient);
        }
    }

    /** logits = h W^T + b: (B, D) to (B, K), on h's manager. */
    private NDArray head(NDArray h) {
        return Linear.linear(h, headWeight, headBias).singletonOrThrow();
    }

    /** The frozen encoder's pooled output per text, computed once per distinct text. */
    private float[][] cachedFeatures(List<String> texts) {
        Set<String> unseen = new LinkedHashSet<>();
        for (String t : texts) {
            if (!frozenFeatures.containsKey(t) && !unseen.contains(t)) {
                float[] stored = diskCache == null ? null : diskCache.get(t);
                if (stored != null) {
                    frozenFeatures.put(t, stored);
                } else {
                    unseen.add(t);
                }
            }
        }
        if (!unseen.isEmpty()) {
            List<String> all = new ArrayList<>(unseen);
            // with a disk cache, a chunk at a time, so an interrupted run keeps what it encoded
            int chunk = diskCache == null ? all.size() : CACHE_CHUNK;
            for (int start = 0; start < all.size(); start += chunk) {
                List<String> missing = all.subList(start, Math.min(all.size(), start + chunk));
                float[][] rows = encoder.embed(missing, config.scoreBatch(), false, manager);
                for (int i = 0; i < rows.length; i++) {
                    frozenFeatures.put(missing.get(i), rows[i]);
                }
                if (diskCache != null) {
                    diskCache.put(missing, rows);
                }
            }
        }
        float[][] out = new float[texts.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = frozenFeatures.get(texts.get(i));
        }
        return out;
    }

    @Override
    public float[][] features(List<String> texts) {
        return config.mode() == EncoderMode.FROZEN
                ? cachedFeatures(texts)
                : encoder.embed(texts, config.scoreBatch(), false, manager);
    }

    @Override
    public float[][] logits(List<String> texts) {
        float[][] h = features(texts);
        float[][] w = headWeights();
        float[] b = headBias.toFloatArray();
        float[][] out = new float[h.length][classes];
        for (int i = 0; i < h.length; i++) {
            for (int k = 0; k < classes; k++) {
                double z = b[k];
                for (int d = 0; d < h[i].length; d++) {
                    z += w[k][d] * h[i][d];
                }
                out[i][k] = (float) z;
            }
        }
        return out;
    }

    @Override
    public float[][] headWeights() {
        float[] flat = headWeight.toFloatArray();
        float[][] out = new float[classes][encoder.dim()];
        for (int k = 0; k < classes; k++) {
            System.arraycopy(flat, k * encoder.dim(), out[k], 0, encoder.dim());
        }
        return out;
    }

    /** The head's bias, one per class. */
    public float[] headBias() {
        return headBias.toFloatArray();
    }

    @Override
    public int numClasses() {
        return classes;
    }

    /** The optimiser steps taken so far. */
    public long steps() {
        return steps;
    }

    /** The settings. */
    public EncoderStudentConfig config() {
        return config;
    }

    /** The encoder (tokenizer, weights, pooling). */
    public SentenceEncoder encoder() {
        return encoder;
    }

    /**
     * Writes the student as a Hugging Face directory (config.json, model.safetensors, tokenizer.json,
     * 1_Pooling/config.json, and the head in head.safetensors with student.json); {@link #open} reads
     * it back.
     *
     * @param dir the directory to write (created; files of the same names are replaced)
     */
    @Override
    public void save(Path dir) {
        EncoderCheckpoint.write(this, dir);
    }

    /** The disk cache of the frozen encoder's features, or null when there is none. */
    public FeatureCache featureCache() {
        return diskCache;
    }

    @Override
    public void close() {
        if (diskCache != null) {
            diskCache.close();
        }
        encoder.close();
        manager.close();
    }
}
