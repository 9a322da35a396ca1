package ai.goldkd.loss;

/**
 * TAID's adaptive schedule for the interpolation t (Shing et al. 2025, arXiv 2501.16937, Algorithm 1;
 * as in the authors' released code). After each step with loss J_n, from the second step on:
 *
 * <pre>
 *   delta_n  = (J_{n-1} - J_n) / (J_{n-1} + 1e-15)               relative improvement
 *   m_n      = beta * m_{n-1} + (1 - beta) * delta_n              momentum, m_0 = 0
 *   dt_n     = alpha * sigmoid(m_n) * (1 - t_{n-1})
 *   t_linear = min(t_end, t_start + (t_end - t_start) * step / totalSteps)
 *   t_n      = min(t_end, max(t_linear, t_{n-1} + dt_n))          (adaptive off: t_n = t_linear)
 * </pre>
 *
 * <p>t starts at t_start; the first call only records the loss. So t never falls behind the linear
 * schedule, and moves ahead of it faster while the loss improves. Defaults (the paper's): t_start 0.4,
 * t_end 1.0, alpha 5e-4, beta 0.99. Holds state: one instance per training run, not thread-safe.
 */
public final class TaidSchedule {

    private final float tStart;
    private final float tEnd;
    private final float alpha;
    private final float beta;
    private final boolean adaptive;
    private double t;
    private double previousLoss = Double.POSITIVE_INFINITY;
    private double momentum;

    /**
     * Creates a schedule.
     *
     * @param tStart the first t, in [0, 1)
     * @param tEnd the last t, in (tStart, 1]
     * @param alpha the adaptive step size, in [0, 1]
     * @param beta the momentum of the relative loss change, in [0, 1)
     * @param adaptive false for the plain linear schedule (the paper's ablation)
     */
    public TaidSchedule(float tStart, float tEnd, float alpha, float beta, boolean adaptive) {
        if (!(tStart >= 0f && tStart < 1f) || !(tEnd > tStart && tEnd <= 1f)) {
            throw new IllegalArgumentException("t_start = " + tStart + ", t_end = " + tEnd
                    + " must satisfy 0 <= t_start < t_end <= 1; the paper uses 0.4 and 1.0");
        }
        Ops.checkUnit("TAID alpha", alpha, "the paper uses 5e-4");
        if (!(beta >= 0f && beta < 1f)) {
            throw new IllegalArgumentException("TAID beta = " + beta + " must be in [0, 1); the paper uses 0.99");
        }
        this.tStart = tStart;
        this.tEnd = tEnd;
        this.alpha = alpha;
        this.beta = beta;
        this.adaptive = adaptive;
        this.t = tStart;
    }

    /** The paper's settings: t from 0.4 to 1.0, alpha 5e-4, beta 0.99, adaptive. */
    public static TaidSchedule defaults() {
        return new TaidSchedule(0.4f, 1.0f, 5e-4f, 0.99f, true);
    }

    /** The current interpolation t, for {@link Taid#at(float)}. */
    public float t() {
        return (float) t;
    }

    /** The current momentum of the relative loss change. */
    public float momentum() {
        return (float) momentum;
    }

    /**
     * Records a step's loss and moves t.
     *
     * @param loss the step's (TAID) loss, finite
     * @param step the number of optimizer steps done, from 0
     * @param totalSteps the run's total optimizer steps, > 0
     * @return the new t
     */
    public float update(double loss, long step, long totalSteps) {
        if (!Double.isFinite(loss)) {
            throw new IllegalArgumentException("loss = " + loss + " is not finite; check the step before updating t");
        }
        if (totalSteps <= 0 || step < 0) {
            throw new IllegalArgumentException(
                    "step = " + step + ", totalSteps = " + totalSteps + "; need 0 <= step and totalSteps > 0");
        }
        if (Double.isInfinite(previousLoss)) {
            previousLoss = loss;
            return (float) t;
        }
        double change = (previousLoss - loss) / (previousLoss + 1e-15);
        momentum = beta * momentum + (1 - beta) * change;
        double dt = alpha * (1 / (1 + Math.exp(-momentum))) * (1 - t);
        double linear = Math.min(tEnd, tStart + (tEnd - tStart) * (double) step / totalSteps);
        t = adaptive ? Math.min(tEnd, Math.max(linear, t + dt)) : linear;
        previousLoss = loss;
        return (float) t;
    }
}
