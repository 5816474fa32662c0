package io.lamina.compression.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The grouped scan of {@link ThresholdSelector#select} against the plain rule |x| >= t. */
class ThresholdSelectorTest {

    private static void assertPlainRule(float[] x, int offset, int length, float t, int hint) {
        int[] idx = new int[length];
        float[] val = new float[length];
        int c = 0;
        for (int i = 0; i < length; i++) {
            float v = x[offset + i];
            if (Math.abs(v) >= t) {
                idx[c] = i;
                val[c++] = v;
            }
        }
        for (boolean vector : new boolean[] {false, true}) { // the scalar scan and the vector kernel
            Selection s = ThresholdSelector.select(x, offset, length, t,
                    new ThresholdSelector.Scratch(Math.max(1, Math.min(hint, length))), false, vector);
            String what = "t=" + t + " offset=" + offset + " length=" + length + " vector=" + vector;
            assertEquals(c, s.count, what);
            assertArrayEquals(Arrays.copyOf(idx, c), Arrays.copyOf(s.indices, s.count), what);
            for (int k = 0; k < c; k++) { // bit for bit (keeps -0f and signs apart)
                assertEquals(Float.floatToRawIntBits(val[k]), Float.floatToRawIntBits(s.values[k]), what);
            }
        }
    }

    @Test
    void groupedScanEqualsThePlainRuleOnEveryFloatClass() {
        Random r = new Random(7);
        float t = 2.5f;
        float[] special = {t, -t, Math.nextDown(t), -Math.nextDown(t), Math.nextUp(t), Float.NaN,
            Float.intBitsToFloat(0xFFC00001), Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f,
            Float.MIN_VALUE, -Float.MAX_VALUE, Float.MAX_VALUE, 1e-40f};
        float[] x = new float[20_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(10) == 0 ? special[r.nextInt(special.length)] : (float) r.nextGaussian();
        }
        for (int offset : new int[] {0, 1, 3, 7}) {
            for (int length = 0; length <= 40; length++) { // every tail length around the groups of 8
                assertPlainRule(x, offset, length, t, 1);
            }
            for (int length : new int[] {4095, 4096, 4097, 8199, 19_990}) { // chunk edges, capacity growth
                assertPlainRule(x, offset, length, t, 16);
            }
        }
        // dense kept sets, thresholds at the edges of the float range
        for (float tt : new float[] {Float.MIN_VALUE, 1e-38f, 0.1f, Float.MAX_VALUE, Float.POSITIVE_INFINITY}) {
            assertPlainRule(x, 5, 19_000, tt, 10);
        }
    }

    @Test
    void reusedScratchNeverLeaksIntoEarlierMessages() {
        io.lamina.compression.Compressor c = io.lamina.compression.method.Compressors.parse("threshold:v=1,values=fp32")
                .create(io.lamina.compression.Layout.single("x", 10_000));
        float[] a = WireTestSupport.gaussian(10_000, 1);
        float[] b = WireTestSupport.gaussian(10_000, 2);
        for (int i = 0; i < 5000; i++) {
            b[i] *= 10; // the second step keeps more: the scratch grows
        }
        io.lamina.compression.sparse.SparseMessage first = (io.lamina.compression.sparse.SparseMessage)
                c.encode(a, 0, a.length, WireTestSupport.ctx(0, 0, 0));
        int[] idx = first.indices().clone();
        float[] val = first.values().clone();
        io.lamina.compression.sparse.SparseMessage second = (io.lamina.compression.sparse.SparseMessage)
                c.encode(b, 0, b.length, WireTestSupport.ctx(1, 0, 0));
        io.lamina.compression.sparse.SparseMessage third = (io.lamina.compression.sparse.SparseMessage)
                c.encode(a, 0, 3000, WireTestSupport.ctx(2, 1, 0)); // another segment, same scratch
        assertArrayEquals(idx, first.indices());
        assertArrayEquals(val, first.values());
        assertEquals(second.count(), second.indices().length);
        for (int k = 0; k < second.count(); k++) {
            assertEquals(b[second.indices()[k]], second.values()[k]);
        }
        assertPlainRule(a, 0, 3000, 1f, 1);
        assertEquals(Arrays.stream(idx).filter(i -> i < 3000).count(), third.count());
    }

    @Test
    void nonPositiveThresholdKeepsEverythingButNaN() {
        float[] x = {0f, -0f, 1f, Float.NaN, -3f, Float.NEGATIVE_INFINITY, 2f, 0f, 0f, 1e-45f};
        assertPlainRule(x, 0, x.length, 0f, 1);
        assertPlainRule(x, 1, x.length - 1, -1f, 1);
        assertPlainRule(x, 0, x.length, Float.NaN, 1); // NaN threshold keeps nothing
    }
}
