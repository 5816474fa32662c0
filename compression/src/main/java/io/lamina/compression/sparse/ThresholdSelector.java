package io.lamina.compression.sparse;

import io.lamina.compression.simd.Simd;
import io.lamina.compression.simd.VectorKernels;
import java.util.Arrays;

/**
 * One tight pass that keeps {@code |x_i| >= t}: no per-element objects, primitive arrays (the
 * caller's reused {@link Scratch}, or sized from its hint) grown between chunks of
 * {@value #CHUNK} elements, so the inner loop never checks capacity. Where {@link Simd#ENABLED},
 * {@link VectorKernels#selectAtLeast} tests eight elements per vector compare. The scalar scan
 * (JVMs without the Vector API) tests eight elements at a time on their bits for {@code t > 0}
 * (one branch per group, taken by 8% of the groups at 1% density) and walks only a group with a
 * candidate element by element. NaN is never kept.
 */
final class ThresholdSelector {

    /** Elements per inner loop: capacity is checked once per chunk, not per kept element. */
    static final int CHUNK = 4096;

    private ThresholdSelector() {
    }

    static Selection select(float[] x, int offset, int length, float t, int capacityHint) {
        int cap = Math.max(CHUNK, Math.min(length, capacityHint));
        return select(x, offset, length, t, new Scratch(cap), false, Simd.ENABLED);
    }

    /**
     * As {@link #select(float[], int, int, float, int)} into the caller's reused arrays (grown
     * there when too small); the selection is marked as scratch, so its message gets copies.
     */
    static Selection select(float[] x, int offset, int length, float t, Scratch scratch) {
        return select(x, offset, length, t, scratch, true, Simd.ENABLED);
    }

    /**
     * The selection into {@code scratch} ({@code reused}: the caller keeps those arrays, so the
     * message must copy them), each chunk scanned by {@link VectorKernels#selectAtLeast}
     * ({@code vector}) or by the scalar {@link #scanChunk}; the same result either way (the tests
     * compare them).
     */
    static Selection select(float[] x, int offset, int length, float t, Scratch scratch, boolean reused,
            boolean vector) {
        int[] idx = scratch.idx;
        float[] val = scratch.val;
        int cap = idx.length;
        int c = 0;
        for (int start = 0; start < length; start += CHUNK) {
            int end = Math.min(length, start + CHUNK);
            if (c + (end - start) > cap) { // room for a whole chunk, so the inner loop never checks
                cap = (int) Math.max(2L * cap, (long) c + CHUNK);
                idx = Arrays.copyOf(idx, cap);
                val = Arrays.copyOf(val, cap);
                scratch.idx = idx;
                scratch.val = val;
            }
            if (vector) {
                c = VectorKernels.selectAtLeast(x, offset, start, end, t, idx, val, c);
            } else {
                c = t > 0 ? scanChunk(x, offset, start, end, t, idx, val, c)
                        : scanPlain(x, offset, start, end, t, idx, val, c);
            }
        }
        return new Selection(idx, val, c, reused);
    }

    /** Reusable index and value arrays of a selection (one compressor's, not thread-safe). */
    static final class Scratch {
        int[] idx;
        float[] val;

        Scratch(int capacity) {
            idx = new int[capacity];
            val = new float[capacity];
        }
    }

    /**
     * Appends the kept elements of {@code [start, end)} (segment-relative) at {@code c}, for
     * {@code t > 0}: eight elements per step are tested together on their bits,
     * {@code (bits(x) & 0x7FFFFFFF) - bits(t)} being negative iff |x| < t (magnitudes of
     * non-negative floats order as ints), and only a group with a candidate (an element at or
     * above t, or a NaN) is rescanned with the exact rule. At 1% density 92% of the groups take
     * the one well-predicted branch and nothing else.
     */
    private static int scanChunk(float[] x, int offset, int start, int end, float t, int[] idx, float[] val, int c) {
        final int tb = Float.floatToRawIntBits(t);
        int i = start;
        int groups = start + ((end - start) & ~7);
        for (; i < groups; i += 8) {
            int a0 = (Float.floatToRawIntBits(x[offset + i]) & 0x7FFFFFFF) - tb;
            int a1 = (Float.floatToRawIntBits(x[offset + i + 1]) & 0x7FFFFFFF) - tb;
            int a2 = (Float.floatToRawIntBits(x[offset + i + 2]) & 0x7FFFFFFF) - tb;
            int a3 = (Float.floatToRawIntBits(x[offset + i + 3]) & 0x7FFFFFFF) - tb;
            int a4 = (Float.floatToRawIntBits(x[offset + i + 4]) & 0x7FFFFFFF) - tb;
            int a5 = (Float.floatToRawIntBits(x[offset + i + 5]) & 0x7FFFFFFF) - tb;
            int a6 = (Float.floatToRawIntBits(x[offset + i + 6]) & 0x7FFFFFFF) - tb;
            int a7 = (Float.floatToRawIntBits(x[offset + i + 7]) & 0x7FFFFFFF) - tb;
            if ((((a0 & a1) & (a2 & a3)) & ((a4 & a5) & (a6 & a7))) >= 0) {
                // straight-line code, no inner loop: the scan loop stays innermost (unrolled, range checks hoisted)
                int p = offset + i;
                c = keep(x[p], i, t, idx, val, c);
                c = keep(x[p + 1], i + 1, t, idx, val, c);
                c = keep(x[p + 2], i + 2, t, idx, val, c);
                c = keep(x[p + 3], i + 3, t, idx, val, c);
                c = keep(x[p + 4], i + 4, t, idx, val, c);
                c = keep(x[p + 5], i + 5, t, idx, val, c);
                c = keep(x[p + 6], i + 6, t, idx, val, c);
                c = keep(x[p + 7], i + 7, t, idx, val, c);
            }
        }
        return scanPlain(x, offset, i, end, t, idx, val, c);
    }

    private static int keep(float v, int i, float t, int[] idx, float[] val, int c) {
        if (Math.abs(v) >= t) {
            idx[c] = i;
            val[c] = v;
            return c + 1;
        }
        return c;
    }

    /** The exact rule on {@code [start, end)}: keeps {@code |x| >= t} (never NaN). */
    private static int scanPlain(float[] x, int offset, int start, int end, float t, int[] idx, float[] val, int c) {
        for (int i = start; i < end; i++) {
            float v = x[offset + i];
            if (Math.abs(v) >= t) {
                idx[c] = i;
                val[c++] = v;
            }
        }
        return c;
    }

    /** Number of elements with {@code |x_i| >= t}. */
    static int count(float[] x, int offset, int length, float t) {
        int c = 0;
        for (int i = 0; i < length; i++) {
            if (Math.abs(x[offset + i]) >= t) {
                c++;
            }
        }
        return c;
    }

    /** max |x_i| (NaN ignored), 0 for an all-zero range. */
    static float maxAbs(float[] x, int offset, int length) {
        float m0 = 0;
        float m1 = 0;
        int i = 0;
        for (; i + 1 < length; i += 2) {
            m0 = Math.max(m0, Math.abs(x[offset + i]));
            m1 = Math.max(m1, Math.abs(x[offset + i + 1]));
        }
        if (i < length) {
            m0 = Math.max(m0, Math.abs(x[offset + i]));
        }
        float m = Math.max(m0, m1);
        return Float.isNaN(m) ? maxAbsSlow(x, offset, length) : m;
    }

    private static float maxAbsSlow(float[] x, int offset, int length) {
        float m = 0;
        for (int i = 0; i < length; i++) {
            float a = Math.abs(x[offset + i]);
            if (a > m) {
                m = a;
            }
        }
        return m;
    }
}
