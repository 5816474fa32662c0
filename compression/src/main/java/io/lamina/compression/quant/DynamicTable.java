package io.lamina.compression.quant;

/**
 * Dettmers' 8-bit dynamic data type (ICLR 2016, "8-Bit Approximations for Parallelism in Deep
 * Learning"), in the variant used here. A code byte is {@code sign (bit 7) | f (bits 0-6)}:
 * f = 0 is zero; otherwise the number of leading zeros of f within its 7 bits is the decimal
 * exponent E (0..6), the first 1 bit is the indicator, and the M = 6 - E bits after it are a linear
 * mantissa m, so that
 * <pre>  |value| = 10^(-E) * (0.1 + 0.9 * (m + 1/2) / 2^M)</pre>
 * (bin centres of [0.1, 1] split into 2^M equal steps, scaled by the decade), except the top code
 * f = 127, which is exactly 1 (its bin centre would be 0.993): the element at max |x| decodes to
 * the scale itself, and every |x| / scale in [0, 1] lies between two table values, which
 * stochastic rounding needs to be unbiased. Magnitudes grow with f; the 127 non-zero ones span
 * about 5.5e-7 to 1 of the scale. Quantisation rounds
 * deterministically to the nearest table value (a tie goes to the larger magnitude): the code is
 * the number of the 127 midpoints t with t <= a. It is found with one lookup and one comparison:
 * {@code BASE} holds that count at the bottom of each bucket of floats sharing their top 15 bits
 * (exponent and 6 mantissa bits), and no bucket holds more than one midpoint (checked when the
 * class loads), so the count at a is BASE plus (a >= the next midpoint). A NaN scale-relative
 * input cannot occur, the scale being finite.
 */
public final class DynamicTable {

    /** {@code VALUES[code]}: the value of each of the 256 codes, relative to the scale. */
    private static final float[] VALUES = new float[256];
    /** {@code MIDS[k]}: midpoint between magnitudes of f = k and f = k + 1; MIDS[127] = +inf. */
    private static final float[] MIDS = new float[128];
    /** Bits of a float dropped to form its bucket: 23 - 6 mantissa bits kept. */
    private static final int SHIFT = 17;
    /** The bucket of 1.0f (larger inputs, from rounding, are clamped to it). */
    private static final int LAST = Float.floatToRawIntBits(1f) >>> SHIFT;
    /** {@code BASE[b]}: the number of midpoints at or below the smallest float of bucket b. */
    private static final byte[] BASE = new byte[LAST + 1];

    static {
        for (int f = 1; f < 128; f++) {
            int msb = 31 - Integer.numberOfLeadingZeros(f); // 0..6
            int e = 6 - msb;
            int mBits = msb;
            int m = f - (1 << mBits);
            double mag = f == 127 ? 1 : Math.pow(10, -e) * (0.1 + 0.9 * (m + 0.5) / (1 << mBits));
            VALUES[f] = (float) mag;
            VALUES[f | 0x80] = (float) -mag;
        }
        VALUES[0x80] = -0f;
        for (int k = 0; k < 127; k++) {
            MIDS[k] = (float) (((double) VALUES[k] + VALUES[k + 1]) / 2);
        }
        MIDS[127] = Float.POSITIVE_INFINITY;
        for (int b = 0; b <= LAST; b++) {
            int lo = searchCode(Float.intBitsToFloat(b << SHIFT));
            int hi = searchCode(Float.intBitsToFloat(b == LAST ? 0x7F7FFFFF : ((b + 1) << SHIFT) - 1));
            if (hi - lo > 1) {
                throw new AssertionError("8-bit table: bucket " + b + " holds " + (hi - lo) + " midpoints");
            }
            BASE[b] = (byte) lo;
        }
    }

    private DynamicTable() {
    }

    /** The value of code {@code c} (0..255) relative to the scale. */
    public static float value(int c) {
        return VALUES[c & 0xFF];
    }

    /** The 7-bit magnitude code nearest to {@code a} (a >= 0, relative to the scale). */
    public static int magnitudeCode(float a) {
        int f = BASE[Math.min(Float.floatToRawIntBits(a) >>> SHIFT, LAST)];
        return f + (~Float.floatToRawIntBits(a - MIDS[f]) >>> 31); // + 1 iff MIDS[f] <= a
    }

    /**
     * The largest magnitude code whose value is at most {@code a} (0 <= a <= 1, relative to the
     * scale): with {@code floorCode(a) + 1} (unless 127) it brackets a, for stochastic rounding.
     */
    public static int floorCode(float a) {
        int f = magnitudeCode(a);
        return VALUES[f] <= a ? f : f - 1;
    }

    /** The same code by a branch-free binary search over the midpoints (t <= a iff a - t >= 0). */
    static int searchCode(float a) {
        float[] t = MIDS;
        int f = 0;
        f += (~Float.floatToRawIntBits(a - t[f + 63]) >>> 31) << 6;
        f += (~Float.floatToRawIntBits(a - t[f + 31]) >>> 31) << 5;
        f += (~Float.floatToRawIntBits(a - t[f + 15]) >>> 31) << 4;
        f += (~Float.floatToRawIntBits(a - t[f + 7]) >>> 31) << 3;
        f += (~Float.floatToRawIntBits(a - t[f + 3]) >>> 31) << 2;
        f += (~Float.floatToRawIntBits(a - t[f + 1]) >>> 31) << 1;
        f += (~Float.floatToRawIntBits(a - t[f + 0]) >>> 31) << 0;
        return f;
    }
}
