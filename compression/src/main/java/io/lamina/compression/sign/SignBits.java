package io.lamina.compression.sign;

import io.lamina.compression.simd.Simd;
import io.lamina.compression.simd.VectorKernels;

/**
 * Signs packed one bit per element, 64 per long word: bit i (bit {@code i & 63} of word
 * {@code i >>> 6}) is 1 for a negative value and 0 otherwise (zero and NaN count as positive).
 */
public final class SignBits {

    private SignBits() {
    }

    /** Packs the signs of {@code v[offset, offset + length)}: bit = 1 iff the value is {@code < 0}. */
    public static long[] pack(float[] v, int offset, int length) {
        return pack(v, offset, length, Simd.ENABLED);
    }

    /**
     * As {@link #pack(float[], int, int)}, with the whole words packed by
     * {@link VectorKernels#packSigns} ({@code vector}) or by a scalar loop; the same bits either
     * way (public so that tests can compare the two paths).
     */
    public static long[] pack(float[] v, int offset, int length, boolean vector) {
        long[] words = new long[(length + 63) >>> 6];
        int full = length >>> 6;
        if (vector) {
            VectorKernels.packSigns(v, offset, full, words);
        } else {
            for (int w = 0; w < full; w++) {
                words[w] = partialWord(v, offset + (w << 6), 64);
            }
        }
        int rest = length & 63;
        if (rest != 0) {
            words[full] = partialWord(v, offset + (full << 6), rest);
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
     * {@code sum |v_i|} in double, in a fixed order that eight-lane vector code can follow: for
     * each whole 64-element word, lane l (l = 0..7) sums {@code |v[base + 8j + l]|} over j = 0..7
     * in float and adds that to its double accumulator {@code acc[l]}; the last partial word's
     * values go into {@code acc[0]} one by one; the result is
     * {@code ((acc0 + acc1) + (acc2 + acc3)) + ((acc4 + acc5) + (acc6 + acc7))}. (Each float lane
     * sum has at most 8 terms, so the relative error stays ~1e-6, well inside what a scale needs.)
     * If that overflows (values near fp32's maximum), the sum is redone in double in index order.
     */
    public static double packAbsSum(float[] v, int offset, int length, long[] words) {
        return packAbsSum(v, offset, length, words, Simd.ENABLED);
    }

    /**
     * As {@link #packAbsSum(float[], int, int, long[])}, the whole words by
     * {@link VectorKernels#packSignsAbsSum} ({@code vector}) or by scalar loops; the same bits and
     * the same sum either way.
     */
    public static double packAbsSum(float[] v, int offset, int length, long[] words, boolean vector) {
        double[] acc = new double[8];
        int full = length >>> 6;
        if (vector) {
            VectorKernels.packSignsAbsSum(v, offset, full, words, acc);
        } else {
            float[] lane = new float[8];
            for (int w = 0; w < full; w++) {
                int base = offset + (w << 6);
                words[w] = partialWord(v, base, 64);
                for (int l = 0; l < 8; l++) {
                    float s = Math.abs(v[base + l]);
                    for (int j = 1; j < 8; j++) {
                        s += Math.abs(v[base + 8 * j + l]);
                    }
                    lane[l] = s;
                }
                for (int l = 0; l < 8; l++) {
                    acc[l] += lane[l];
                }
            }
        }
        int rest = length & 63;
        if (rest != 0) {
            int base = offset + (full << 6);
            words[full] = partialWord(v, base, rest);
            for (int j = 0; j < rest; j++) {
                acc[0] += Math.abs(v[base + j]);
            }
        }
        double sum = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
        if (Double.isInfinite(sum)) { // a float lane sum overflowed (|v| near 3e38): redo in double
            sum = 0;
            for (int i = 0; i < length; i++) {
                sum += Math.abs(v[offset + i]);
            }
        }
        return sum;
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
        decodeTwoLevel(words, length, high, low, dst, dstOffset, Simd.ENABLED);
    }

    /**
     * As {@link #decodeTwoLevel(long[], int, float, float, float[], int)}, whole words by
     * {@link VectorKernels#expandTwoLevel} ({@code vector}) or all by a scalar loop; the same floats.
     */
    public static void decodeTwoLevel(long[] words, int length, float high, float low,
            float[] dst, int dstOffset, boolean vector) {
        int hi = Float.floatToRawIntBits(high);
        int diff = hi ^ Float.floatToRawIntBits(low);
        int i = 0;
        if (vector) {
            i = (length >>> 6) << 6;
            VectorKernels.expandTwoLevel(words, length >>> 6, high, low, dst, dstOffset);
        }
        for (; i < length; i++) {
            int bit = (int) (words[i >>> 6] >>> i) & 1;
            dst[dstOffset + i] = Float.intBitsToFloat(hi ^ (diff & -bit));
        }
    }

    /** Number of words for {@code length} bits. */
    public static int words(int length) {
        return (length + 63) >>> 6;
    }
}
