package ai.goldkd.nd;

/**
 * IEEE 754 half-precision numbers to and from floats, rounding to nearest with ties to even as
 * PyTorch's {@code .half()} does (Java 17 has no {@code Float.floatToFloat16}).
 */
public final class HalfFloats {

    private HalfFloats() {}

    /**
     * A half's value.
     *
     * @param bits the 16 bits
     * @return the float of the same value (halves are exact in floats)
     */
    public static float toFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) { // infinity or NaN
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            if (mantissa == 0) {
                return Float.intBitsToFloat(sign);
            }
            float value = mantissa * 0x1p-24f; // subnormal: mantissa x 2^-24
            return sign == 0 ? value : -value;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /**
     * A float rounded to the nearest half (ties to even); beyond the half range it becomes infinity.
     *
     * @param value the float
     * @return the half's 16 bits
     */
    public static short of(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7fffffff;
        if (abs >= 0x7f800000) { // infinity or NaN
            return (short) (sign | 0x7c00 | (abs > 0x7f800000 ? 0x200 : 0));
        }
        if (abs >= 0x477ff000) { // rounds to beyond 65504
            return (short) (sign | 0x7c00);
        }
        if (abs < 0x38800000) { // below the smallest normal half: subnormal or 0
            // value = m x 2^-24 with m rounded to nearest even; scaling by 2^24 is exact in doubles
            double scaled = Float.intBitsToFloat(abs) * 0x1p24;
            return (short) (sign | (int) Math.rint(scaled));
        }
        int exponent = ((abs >>> 23) - 112) << 10;
        int mantissa = abs & 0x7fffff;
        int half = exponent | (mantissa >>> 13);
        int rest = mantissa & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
            half++; // may carry into the exponent: still correct
        }
        return (short) (sign | half);
    }
}
