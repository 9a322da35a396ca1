package ai.goldkd.hf;

import ai.goldkd.nd.HalfFloats;

/** IEEE 754 half-precision numbers to floats, for the safetensors reader. */
final class Half {

    private Half() {}

    /**
     * A half's value.
     *
     * @param bits the 16 bits
     * @return the float of the same value
     */
    static float toFloat(short bits) {
        return HalfFloats.toFloat(bits);
    }
}
