package ai.goldkd.train;

/** How the learning rate decays after warm-up. */
public enum Schedule {
    /** Half a cosine from the peak to the minimum at the last step. */
    COSINE,
    /** A straight line from the peak to the minimum at the last step. */
    LINEAR,
    /** The peak throughout. */
    CONSTANT
}
