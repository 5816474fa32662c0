package io.lamina.compression.sparse;

import java.util.Arrays;

/**
 * One tight pass that keeps {@code |x_i| >= t}: no per-element objects, primitive arrays sized
 * from a hint (the caller's count of the previous step) and grown between chunks of
 * {@value #CHUNK} elements, so the inner loop never checks capacity. For t > 0 it screens eight
 * elements at a time with integer arithmetic on the float bits (|x| >= t iff the bits of |x| are
 * >= those of t, for non-NaN x; NaN bits are above every finite t) and one well-predicted branch,
 * and re-checks the eight one by one only when one of them may be kept. NaN is never kept.
 */
final class ThresholdSelector {

    /** Elements per inner loop: capacity is checked once per chunk, not per kept element. */
    static final int CHUNK = 4096;

    private ThresholdSelector() {
    }

    static Selection select(float[] x, int offset, int length, float t, int capacityHint) {
        int cap = Math.max(CHUNK, Math.min(length, capacityHint));
        int[] idx = new int[cap];
        float[] val = new float[cap];
        int c = 0;
        for (int start = 0; start < length; start += CHUNK) {
            int end = Math.min(length, start + CHUNK);
            if (c + (end - start) > cap) { // room for a whole chunk, so the inner loop never checks
                cap = (int) Math.min(length, Math.max(2L * cap, (long) c + CHUNK));
                idx = Arrays.copyOf(idx, cap);
                val = Arrays.copyOf(val, cap);
            }
            int i = start;
            if (t > 0f) { // eight at a time: |x| >= t iff |x|'s bits >= t's (NaN's bits also are)
                int tb = Float.floatToRawIntBits(t);
                for (; i + 7 < end; i += 8) {
                    int o = offset + i;
                    int any = (abs(x[o]) - tb) & (abs(x[o + 1]) - tb) & (abs(x[o + 2]) - tb)
                            & (abs(x[o + 3]) - tb) & (abs(x[o + 4]) - tb) & (abs(x[o + 5]) - tb)
                            & (abs(x[o + 6]) - tb) & (abs(x[o + 7]) - tb);
                    if (any >= 0) { // one of the eight (or a NaN) is at or above t
                        for (int k = i; k < i + 8; k++) {
                            float v = x[offset + k];
                            if (Math.abs(v) >= t) {
                                idx[c] = k;
                                val[c++] = v;
                            }
                        }
                    }
                }
            }
            for (; i < end; i++) {
                float v = x[offset + i];
                if (Math.abs(v) >= t) {
                    idx[c] = i;
                    val[c++] = v;
                }
            }
        }
        return new Selection(idx, val, c);
    }

    /** The bits of |v|: for non-NaN values their integer order is the order of |v|. */
    private static int abs(float v) {
        return Float.floatToRawIntBits(v) & 0x7FFFFFFF;
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
