package ai.goldkd.model.hf;

/**
 * The {@code rope_scaling} of a Llama-family config.json: none, {@code linear} (positions divided by a
 * factor) or {@code llama3} (Llama 3.1's frequency-dependent scaling).
 *
 * @param type which scaling
 * @param factor the scaling factor (1 for none)
 * @param lowFreqFactor llama3's {@code low_freq_factor}
 * @param highFreqFactor llama3's {@code high_freq_factor}
 * @param originalContext llama3's {@code original_max_position_embeddings}
 */
public record RopeScaling(Type type, double factor, double lowFreqFactor, double highFreqFactor, int originalContext) {

    /** The scalings gold implements. */
    public enum Type {
        /** Plain RoPE. */
        NONE,
        /** {@code linear}: every frequency divided by the factor. */
        LINEAR,
        /** {@code llama3}: low frequencies divided by the factor, high ones kept, a smooth blend between. */
        LLAMA3
    }

    /** Checks the numbers a scaling needs. */
    public RopeScaling {
        if (type != Type.NONE && !(factor > 0)) {
            throw new IllegalArgumentException("rope_scaling factor " + factor + " must be > 0");
        }
        if (type == Type.LLAMA3 && (!(highFreqFactor > lowFreqFactor) || originalContext < 1)) {
            throw new IllegalArgumentException("rope_scaling llama3 needs high_freq_factor > low_freq_factor and"
                    + " original_max_position_embeddings >= 1, got " + highFreqFactor + ", " + lowFreqFactor
                    + ", " + originalContext);
        }
    }

    /** No scaling. */
    public static RopeScaling none() {
        return new RopeScaling(Type.NONE, 1, 0, 0, 0);
    }

    /**
     * The inverse frequencies of RoPE for a head width, scaled.
     *
     * @param theta {@code rope_theta}
     * @param headDim the head width (even)
     * @return headDim / 2 inverse frequencies
     */
    public float[] inverseFrequencies(double theta, int headDim) {
        int half = headDim / 2;
        float[] out = new float[half];
        for (int i = 0; i < half; i++) {
            // transformers computes base ** (2i / d) in float32; the inverse is taken from that value.
            float inv = (float) (1.0 / (float) Math.pow(theta, (float) (2.0 * i / headDim)));
            out[i] = switch (type) {
                case NONE -> inv;
                case LINEAR -> (float) (inv / factor);
                case LLAMA3 -> llama3(inv);
            };
        }
        return out;
    }

    private float llama3(float inv) {
        double lowWavelen = originalContext / lowFreqFactor;
        double highWavelen = originalContext / highFreqFactor;
        double wavelen = 2 * Math.PI / inv;
        double scaled = wavelen > lowWavelen ? inv / factor : inv;
        if (wavelen < highWavelen || wavelen > lowWavelen) {
            return (float) scaled;
        }
        double smooth = (originalContext / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
        return (float) ((1 - smooth) * scaled / factor + smooth * scaled);
    }
}
