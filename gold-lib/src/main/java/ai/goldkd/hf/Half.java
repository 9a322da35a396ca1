package ai.goldkd.hf;

/** IEEE 754 half-precision numbers to and from floats (Java 17 has no {@code Float.float16ToFloat}). */
final class Half {

    private Half() {
    }

    /**
     * A half's value.
     *
     * @param bits the 16 bits
     * @return the float of the same value (halves are exact in floats)
     */
    static float toFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {                                  // infinity or NaN
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            if (mantissa == 0) {
                return Float.intBitsToFloat(sign);
            }
            float value = mantissa * 0x1p-24f;                   // subnormal: mantissa x 2^-24
            return sign == 0 ? value : -value;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
