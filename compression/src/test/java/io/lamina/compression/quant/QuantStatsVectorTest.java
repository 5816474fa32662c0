package io.lamina.compression.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lamina.compression.simd.KernelInputs;
import io.lamina.compression.simd.QuantKernels;
import org.junit.jupiter.api.Test;

/**
 * The statistics passes by the vector kernels equal the scalar sums to the last bit (the
 * encoders' scales round them to fp32, which would hide a different order most of the time).
 */
class QuantStatsVectorTest {

    /**
     * Mixed values; with an odd seed, one lane of eight (element i with {@code i mod 8} fixed by
     * the seed) is about 1e9 and the others about 1e3 or 1e-3, so adding the eight partial sums
     * in double rounds (their magnitudes differ by far more than the 29 bits double has over
     * fp32) and their order shows in the total.
     */
    private static float[] input(int n, long seed) {
        float[] x = KernelInputs.mixed(n, seed, 30);
        java.util.Random r = new java.util.Random(seed);
        int big = (int) (seed >>> 2) & 7;
        double small = (seed & 2) != 0 ? 1e3 : 1e-3;
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(x[i])) {
                x[i] = -7.5f;
            }
            if ((seed & 1) != 0) {
                x[i] = (float) (r.nextGaussian() * (i % 8 == big ? 1e9 : small));
            }
        }
        return x;
    }

    @Test
    void qsgdSumOfSquaresOverWholeChunks() {
        float[] lane = new float[8];
        for (int chunks = 0; chunks <= 9; chunks++) {
            for (int offset = 0; offset < 3; offset++) {
                float[] x = input(256 * chunks + offset, chunks * 7L + offset);
                double scalar = QsgdCompressor.sumOfSquares(x, offset, 256 * chunks);
                double vector = QuantKernels.sumOfSquares(x, offset, chunks, 0, lane);
                assertEquals(Double.doubleToRawLongBits(scalar), Double.doubleToRawLongBits(vector),
                        "chunks " + chunks + " offset " + offset + ": " + scalar + " vs " + vector);
            }
        }
    }

    @Test
    void ternGradStatistics() {
        float[] lane = new float[16];
        for (int length = 1; length <= 2100; length += length < 300 ? 1 : 97) {
            for (int offset = 0; offset < 2; offset++) {
                float[] x = input(length + offset, length * 3L + offset);
                if (length % 5 == 0) {
                    x[offset + length / 2] = Float.NaN; // the max ranks NaN above everything
                }
                double[] a = new double[2];
                double[] b = new double[2];
                int ma = TernGradCompressor.statistics(x, offset, length, null, a);
                int mb = TernGradCompressor.statistics(x, offset, length, lane, b);
                String what = "length " + length + " offset " + offset;
                assertEquals(ma, mb, what);
                assertEquals(Double.doubleToRawLongBits(a[0]), Double.doubleToRawLongBits(b[0]), what + " sum");
                assertEquals(Double.doubleToRawLongBits(a[1]), Double.doubleToRawLongBits(b[1]), what + " squares");
            }
        }
    }
}
