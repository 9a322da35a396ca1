package ai.goldkd.student;

/** How an {@link EncoderStudent} trains: the head alone on a frozen encoder, or everything end to end. */
public enum EncoderMode {
    /** The encoder's weights stay as loaded; only the classification head learns (its inputs are cached per text). */
    FROZEN,
    /** The encoder and the head learn together (each its own learning rate). */
    FINE_TUNE
}
