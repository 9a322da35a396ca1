package ai.goldkd.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.goldkd.config.Devices;
import ai.goldkd.model.CausalLm;
import ai.goldkd.model.PooledClassifier;
import ai.goldkd.model.TransformerConfig;
import ai.goldkd.ood.Energy;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Energy scoring throughput, the OOD detector's inner loop: forward passes without gradients over
 * full-context random sequences, reduced to one energy per sample.
 *
 * <pre>
 *   classifier student:  E(x) = -logsumexp_k f_k(x)                      (class logits, (B, K))
 *   sequence student:    E(x) = -(1/T) sum_t logsumexp_v z_{t,v}(x)       (next-token logits, (B, T, V))
 * </pre>
 *
 * <p>The energies are {@link Energy}'s, the code the GOLD loop scores with.
 */
public final class ScoringBench implements AutoCloseable {

    private final TransformerConfig config;
    private final NDManager manager;
    private final PooledClassifier classifier;
    private final CausalLm lm;
    private final long[] ids;
    private final int[] mask;
    private final int batch;

    /**
     * Builds a two-class pooled classifier and a language model of one shape.
     *
     * @param config the transformer's shape
     * @param batch sequences per forward pass
     */
    public ScoringBench(TransformerConfig config, int batch) {
        this.config = config;
        this.batch = batch;
        manager = NDManager.newBaseManager(Devices.choose());
        Engine.getInstance().setRandomSeed(3);
        classifier = new PooledClassifier(config, 2).initialize(manager);
        lm = new CausalLm(config).initialize(manager);
        SplittableRandom random = new SplittableRandom(3);
        ids = random.longs((long) batch * config.context(), 3, config.vocab()).toArray();
        mask = new int[batch * config.context()];
        Arrays.fill(mask, 1);
    }

    /**
     * Scores batches with the classifier student and times it.
     *
     * @param batches forward passes timed
     * @return samples per second
     */
    public double classifier(int batches) {
        return timed(batches, (ps, scope) -> {
            Shape shape = new Shape(batch, config.context());
            NDArray logits = classifier.classLogits(ps, scope.create(ids, shape), scope.create(mask, shape), false);
            return Energy.classifier(logits, 1f); // (B)
        });
    }

    /**
     * Scores batches with the sequence student and times it.
     *
     * @param batches forward passes timed
     * @return samples per second
     */
    public double sequence(int batches) {
        return timed(batches, (ps, scope) -> {
            Shape shape = new Shape(batch, config.context());
            NDArray logits = lm.logits(ps, scope.create(ids, shape), null, false);
            return Energy.sequence(logits, scope.create(mask, shape)); // (B)
        });
    }

    private double timed(int batches, Scorer scorer) {
        long start = System.nanoTime();
        for (int i = 0; i < batches; i++) {
            try (NDManager scope = manager.newSubManager()) {
                float[] energies =
                        scorer.score(new ParameterStore(scope, false), scope).toFloatArray();
                if (energies.length != batch) {
                    throw new IllegalStateException("expected " + batch + " energies, got " + energies.length);
                }
            }
        }
        return (double) batches * batch / ((System.nanoTime() - start) / 1e9);
    }

    @Override
    public void close() {
        manager.close();
    }

    @FunctionalInterface
    private interface Scorer {
        NDArray score(ParameterStore ps, NDManager scope);
    }
}
