package io.lamina.compression.quant;

import static io.lamina.compression.quant.QuantTestSupport.ctx;
import static io.lamina.compression.quant.QuantTestSupport.roundTrip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lamina.compression.EncodeContext;
import io.lamina.compression.simd.KernelInputs;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * TernGrad by the vector kernels gives the scalar encoder's message bit for bit: lengths 1..200
 * and large ones (several blocks of 4080 and a tail), offsets, buckets (aligned to eight or not,
 * with all-zero buckets), several steps and workers; non-finite input is rejected the same way.
 */
class TernGradVectorTest {

    static TernaryMessage assertSame(double clip, int bucket, float[] x, int offset, int length, EncodeContext c) {
        TernGradCompressor t = new TernGradCompressor(clip, bucket);
        String what = "clip=" + clip + " bucket=" + bucket + " offset " + offset + " length " + length
                + " step " + c.step();
        TernaryMessage scalar = t.encode(x, offset, length, c, false);
        TernaryMessage vector = t.encode(x, offset, length, c, true);
        assertArrayEquals(scalar.scales(), vector.scales(), what);
        assertEquals(scalar.bucket(), vector.bucket(), what);
        assertArrayEquals(scalar.words(), vector.words(), what);
        return vector;
    }

    /** Finite inputs, fp32's largest included (TernGrad rejects non-finite ones). */
    static float[] finite(int n, long seed, int specialEvery) {
        return KernelInputs.finite(n, seed, specialEvery, Float.MAX_VALUE);
    }

    @Test
    void everyLengthUpTo200() {
        for (int length = 1; length <= 200; length++) {
            for (int offset = 0; offset < 3; offset++) {
                float[] x = finite(length + offset, 13L * length + offset, 5);
                assertSame(2.5, 0, x, offset, length, ctx(length, offset));
                assertSame(1.0, 1 + length % 11, x, offset, length, ctx(length, 2));
            }
        }
    }

    @Test
    void largeSegmentsWithAndWithoutBuckets() {
        float[] x = finite(3 * 4080 + 1007, 9, 50);
        java.util.Arrays.fill(x, 5000, 5600, 0f); // a zero bucket (scaler 0) for bucket sizes <= 300
        for (int bucket : new int[] {0, 512, 8, 40, 300, 1000, 4080, 4096, 5000}) {
            for (int step = 0; step < 3; step++) {
                roundTrip(assertSame(step == 2 ? 0.7 : 2.5, bucket, x, 1, x.length - 1, ctx(step, 5)));
            }
        }
        float[] zeros = new float[10_000];
        assertSame(2.5, 0, zeros, 0, zeros.length, ctx(0, 0));
        assertSame(2.5, 512, zeros, 0, zeros.length, ctx(0, 0));
    }

    @Test
    void gaussianMillion() {
        Random r = new Random(12);
        float[] x = new float[1_000_003];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        assertSame(2.5, 0, x, 3, x.length - 3, ctx(7, 1));
        assertSame(2.5, 512, x, 0, x.length, ctx(7, 1));
    }

    @Test
    void nonFiniteInputIsRejectedOnBothPaths() {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            for (int bucket : new int[] {0, 64}) {
                float[] x = finite(1000, 3, 50);
                x[700] = bad;
                TernGradCompressor t = new TernGradCompressor(2.5, bucket);
                String a = assertThrows(IllegalArgumentException.class,
                        () -> t.encode(x, 0, x.length, ctx(0, 0), false)).getMessage();
                String b = assertThrows(IllegalArgumentException.class,
                        () -> t.encode(x, 0, x.length, ctx(0, 0), true)).getMessage();
                assertEquals(a, b);
            }
        }
    }
}
