package ai.goldkd.ood;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.goldkd.nd.Scalars;

/**
 * The energy score (Liu et al., 2020) GOLD uses to find what is out-of-distribution for the student.
 * Low energy: familiar; high energy: OOD.
 *
 * <pre>
 *   classifier:  E(x) = -T * logsumexp_k( f_k(x) / T )
 *   sequence:    E(x) = -(1/L) * sum_t logsumexp_v( f_{t,v}(x, y_&lt;t) )   over the L target positions t
 * </pre>
 *
 * The sequence energy masks padding (the paper's released code averages over pad positions too).
 */
public final class Energy {

    private Energy() {}

    /**
     * The mean of some energies, for comparing two batches.
     *
     * @param energies the energies
     * @return their mean, NaN for none
     */
    public static double mean(float[] energies) {
        if (energies.length == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (float e : energies) {
            sum += e;
        }
        return sum / energies.length;
    }

    /**
     * Classifier energies.
     *
     * @param logits one row of K logits per sample
     * @param temperature T, > 0 (the paper uses 1)
     * @return one energy per sample
     */
    public static float[] classifier(float[][] logits, float temperature) {
        checkTemperature(temperature);
        float[] out = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            float[] row = logits[i];
            if (row.length == 0) {
                throw new IllegalArgumentException("sample " + i + " has no logits; give K >= 1 per sample");
            }
            double max = Double.NEGATIVE_INFINITY;
            for (float f : row) {
                max = Math.max(max, f / temperature);
            }
            double sum = 0;
            for (float f : row) {
                sum += Math.exp(f / temperature - max);
            }
            out[i] = (float) (-temperature * (max + Math.log(sum)));
        }
        return out;
    }

    /**
     * Classifier energies on a device.
     *
     * @param logits (B, K)
     * @param temperature T, > 0
     * @return (B)
     */
    public static NDArray classifier(NDArray logits, float temperature) {
        checkTemperature(temperature);
        return Scalars.mul(logsumexp(Scalars.div(logits, temperature)), -temperature);
    }

    /**
     * Sequence energies: the mean over target positions of {@code -logsumexp_v f_{t,v}}.
     *
     * @param logits (B, T, V) teacher-forced logits
     * @param targetMask (B, T) 1 at the target positions whose logits count, 0 elsewhere (prompt, padding)
     * @return (B); a row without target positions gets energy 0
     */
    public static NDArray sequence(NDArray logits, NDArray targetMask) {
        if (logits.getShape().dimension() != 3
                || targetMask.getShape().dimension() != 2
                || logits.getShape().get(0) != targetMask.getShape().get(0)
                || logits.getShape().get(1) != targetMask.getShape().get(1)) {
            throw new IllegalArgumentException("logits " + logits.getShape() + " and mask " + targetMask.getShape()
                    + " do not match; give logits (B, T, V) and a mask (B, T)");
        }
        try (NDManager scope = logits.getManager().newSubManager()) {
            logits.tempAttach(scope);
            targetMask.tempAttach(scope);
            NDArray m = targetMask.toType(DataType.FLOAT32, false);
            NDArray lse = logsumexp(logits); // (B, T)
            NDArray sum = lse.neg().mul(m).sum(new int[] {1}); // (B)
            NDArray energy = sum.div(Scalars.maximum(m.sum(new int[] {1}), 1f));
            return scope.ret(energy);
        }
    }

    private static NDArray logsumexp(NDArray logits) {
        NDArray max = logits.max(new int[] {-1}, true);
        return logits.sub(max).exp().sum(new int[] {-1}).log().add(max.squeeze(-1));
    }

    private static void checkTemperature(float temperature) {
        if (!(temperature > 0f) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("energy temperature must be > 0, got " + temperature + "; GOLD uses 1");
        }
    }
}
