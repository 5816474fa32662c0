package io.lamina.compression.message;

/**
 * Signs packed one bit per element, 64 per long word: bit i (bit {@code i & 63} of word
 * {@code i >>> 6}) is 1 for a negative value and 0 otherwise (zero and NaN count as positive).
 */
public final class SignBits {

    private SignBits() {
    }

    /** Packs the signs of {@code v[offset, offset + length)}: bit = 1 iff the value is {@code < 0}. */
    public static long[] pack(float[] v, int offset, int length) {
        long[] words = new long[(length + 63) >>> 6];
        int full = length >>> 6;
        for (int w = 0; w < full; w++) {
            int base = offset + (w << 6);
            long word = 0;
            for (int j = 0; j < 64; j++) {
                word |= (v[base + j] < 0f ? 1L : 0L) << j;
            }
            words[w] = word;
        }
        int rest = length & 63;
        if (rest != 0) {
            int base = offset + (full << 6);
            long word = 0;
            for (int j = 0; j < rest; j++) {
                word |= (v[base + j] < 0f ? 1L : 0L) << j;
            }
            words[full] = word;
        }
        return words;
    }

    /** Writes {@code bit ? low : high} for each of {@code length} bits into {@code dst}. */
    public static void decodeTwoLevel(long[] words, int length, float high, float low,
            float[] dst, int dstOffset) {
        int hi = Float.floatToRawIntBits(high);
        int diff = hi ^ Float.floatToRawIntBits(low);
        for (int i = 0; i < length; i++) {
            int bit = (int) (words[i >>> 6] >>> i) & 1;
            dst[dstOffset + i] = Float.intBitsToFloat(hi ^ (diff & -bit));
        }
    }

    /** Number of words for {@code length} bits. */
    public static int words(int length) {
        return (length + 63) >>> 6;
    }
}
