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

    private static long partialWord(float[] v, int base, int n) {
        long word = 0;
        for (int j = 0; j < n; j++) {
            word |= (v[base + j] < 0f ? 1L : 0L) << j;
        }
        return word;
    }

    /**
     * Packs the signs like {@link #pack} into {@code words} and, in the same pass, returns
     * {@code sum |v_i|} in double, summed as four partial sums over the four 16-element quarters
     * of each 64-element word (a last partial word into the first), combined as
     * {@code (s0 + s1) + (s2 + s3)}.
     */
    public static double packAbsSum(float[] v, int offset, int length, long[] words) {
        double l0 = 0;
        double l1 = 0;
        double l2 = 0;
        double l3 = 0;
        int full = length >>> 6;
        for (int w = 0; w < full; w++) {
            int base = offset + (w << 6);
            int q0 = 0;
            int q1 = 0;
            int q2 = 0;
            int q3 = 0;
            for (int j = 0; j < 16; j++) {
                float a = v[base + j];
                float b = v[base + 16 + j];
                float c = v[base + 32 + j];
                float d = v[base + 48 + j];
                q0 |= (a < 0f ? 1 : 0) << j;
                q1 |= (b < 0f ? 1 : 0) << j;
                q2 |= (c < 0f ? 1 : 0) << j;
                q3 |= (d < 0f ? 1 : 0) << j;
                l0 += Math.abs(a);
                l1 += Math.abs(b);
                l2 += Math.abs(c);
                l3 += Math.abs(d);
            }
            words[w] = (q0 | (long) q1 << 16) | ((long) q2 << 32 | (long) q3 << 48);
        }
        int rest = length & 63;
        if (rest != 0) {
            int base = offset + (full << 6);
            words[full] = partialWord(v, base, rest);
            for (int j = 0; j < rest; j++) {
                l0 += Math.abs(v[base + j]);
            }
        }
        return (l0 + l1) + (l2 + l3);
    }

    /**
     * Packs the signs like {@link #pack} into {@code words} and, in the same pass, sums the
     * negative values ({@code x < 0}) into {@code sums[1]} and all others into {@code sums[0]}
     * (in double, in index order; a NaN reaches one of the two sums). Returns the number of
     * negative values (the set bits).
     */
    public static int packSplitSums(float[] v, int offset, int length, long[] words, double[] sums) {
        double pos = 0;
        double neg = 0;
        int negCount = 0;
        for (int w = 0, start = 0; start < length; w++, start += 64) {
            int base = offset + start;
            int n = Math.min(64, length - start);
            long word = 0;
            for (int j = 0; j < n; j++) {
                float x = v[base + j];
                int bits = Float.floatToRawIntBits(x);
                int isNeg = x < 0f ? 1 : 0;
                int mask = -isNeg;
                neg += Float.intBitsToFloat(bits & mask); // x, or +0 for the other side
                pos += Float.intBitsToFloat(bits & ~mask);
                word |= (long) isNeg << j;
            }
            words[w] = word;
            negCount += Long.bitCount(word);
        }
        sums[0] = pos;
        sums[1] = neg;
        return negCount;
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
