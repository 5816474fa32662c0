package io.lamina.compression.quant;

import static io.lamina.compression.quant.QuantTestSupport.ctx;
import static io.lamina.compression.quant.QuantTestSupport.roundTrip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lamina.compression.EncodeContext;
import io.lamina.compression.simd.KernelInputs;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * QSGD by the vector kernels gives the scalar encoder's message bit for bit: every level count's
 * code width (2..17 bits), lengths 1..200 and large ones, offsets, buckets (aligned to eight or
 * not), several steps and workers; a non-finite input is rejected the same way on both paths.
 */
class QsgdVectorTest {

    private static final int[] LEVELS = {1, 2, 3, 4, 7, 8, 15, 100, 127, 128, 256, 1000, 4095, 32767, 32768, 65535};

    /** Encodes on both paths; the messages must be equal (norms and words). */
    static QsgdMessage assertSame(int s, int bucket, float[] x, int offset, int length, EncodeContext c) {
        QsgdCompressor q = new QsgdCompressor(s, bucket);
        String what = "s=" + s + " bucket=" + bucket + " offset " + offset + " length " + length
                + " step " + c.step();
        QsgdMessage scalar = q.encode(x, offset, length, c, false);
        QsgdMessage vector = q.encode(x, offset, length, c, true);
        assertArrayEquals(scalar.norms(), vector.norms(), what);
        assertEquals(scalar.bucket(), vector.bucket(), what);
        assertArrayEquals(scalar.words(), vector.words(), what);
        return vector;
    }

    /** Finite inputs whose norm fits fp32 (QSGD rejects the others). */
    static float[] finite(int n, long seed, int specialEvery) {
        return KernelInputs.finite(n, seed, specialEvery, 1e30f);
    }

    @Test
    void everyLengthUpTo200() {
        for (int length = 1; length <= 200; length++) {
            for (int offset = 0; offset < 3; offset++) {
                float[] x = finite(length + offset, 17L * length + offset, 5);
                int s = LEVELS[(length + offset) % LEVELS.length];
                assertSame(s, 0, x, offset, length, ctx(length, offset));
                assertSame(s, 1 + length % 13, x, offset, length, ctx(length, 2));
            }
        }
    }

    @Test
    void everyLevelCountOnLargeSegmentsWithAndWithoutBuckets() {
        float[] x = finite(3 * 4096 + 1003, 5, 50);
        for (int s : LEVELS) {
            for (int bucket : new int[] {0, 512, 8, 1000, 4096, 4095, 5000}) {
                for (int step = 0; step < 2; step++) {
                    roundTrip(assertSame(s, bucket, x, 2, x.length - 2, ctx(step, 3)));
                }
            }
        }
    }

    @Test
    void gaussianMillion() {
        Random r = new Random(11);
        float[] x = new float[1_000_003];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (int s : new int[] {127, 256, 65535}) {
            assertSame(s, 0, x, 3, x.length - 3, ctx(7, 1));
            assertSame(s, 512, x, 0, x.length, ctx(7, 1));
        }
    }

    @Test
    void extremeMagnitudesGiveValidCodes() {
        // squares that underflow in the fp32 partial sums make the norm smaller than some |x|;
        // huge values overflow them (the double redo); a lone tiny value has a subnormal norm
        float[][] inputs = {
            tiny(257, 1e-23f, 1e-30f), tiny(300, 1e-23f, 1e-30f), tiny(1000, 1e-22f, 0f), tiny(5, 1e-45f, 0f), tiny(600, 3e25f, -1e30f),
            {Float.MIN_VALUE}, {-Float.MIN_VALUE, 0f, 1e-44f}, {Float.MAX_VALUE / 1e10f, 1f},
        };
        for (float[] x : inputs) {
            for (int s : new int[] {1, 7, 256, 65535}) {
                for (int bucket : new int[] {0, 256, 7}) {
                    QsgdMessage m = assertSame(s, bucket, x, 0, x.length, ctx(1, 0));
                    for (int i = 0; i < x.length; i++) {
                        assertTrue(m.code(i) <= 2 * s, "s=" + s + " code " + m.code(i) + " at " + i);
                    }
                    roundTrip(m);
                    float[] dec = new float[x.length];
                    new QsgdCompressor(s, bucket).decode(m, dec, 0);
                    for (int i = 0; i < x.length; i++) { // never the opposite sign, nothing from zero
                        String at = "s=" + s + " bucket=" + bucket + " x[" + i + "]=" + x[i] + " decoded " + dec[i];
                        assertTrue(x[i] == 0 ? dec[i] == 0 : dec[i] == 0 || (dec[i] > 0) == (x[i] > 0), at);
                    }
                    if (bucket == 0) { // the norm is the true one (to fp32), also when fp32 squares underflow
                        double exact = 0;
                        for (float v : x) {
                            exact += (double) v * v;
                        }
                        exact = Math.sqrt(exact);
                        if (exact > 1e-37) {
                            assertEquals(exact, m.norms()[0], 1e-6 * exact, "norm, s=" + s);
                        }
                    }
                }
            }
        }
    }

    private static float[] tiny(int n, float value, float last) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (i & 1) == 0 ? value : -value;
        }
        x[n - 1] = last;
        return x;
    }

    @Test
    void nonFiniteInputIsRejectedOnBothPaths() {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            for (int bucket : new int[] {0, 64}) {
                float[] x = finite(1000, 3, 50);
                x[700] = bad;
                QsgdCompressor q = new QsgdCompressor(127, bucket);
                String a = assertThrows(IllegalArgumentException.class,
                        () -> q.encode(x, 0, x.length, ctx(0, 0), false)).getMessage();
                String b = assertThrows(IllegalArgumentException.class,
                        () -> q.encode(x, 0, x.length, ctx(0, 0), true)).getMessage();
                assertEquals(a, b);
            }
        }
    }
}
