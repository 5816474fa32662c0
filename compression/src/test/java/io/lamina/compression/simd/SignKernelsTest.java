package io.lamina.compression.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lamina.compression.sign.SignBits;
import org.junit.jupiter.api.Test;

/** The vector sign kernels give the scalar loops' bits and sums, on every length and offset. */
class SignKernelsTest {

    @Test
    void testRunsHaveTheVectorModule() {
        // The build passes --add-modules=jdk.incubator.vector to every test JVM (and the scripts to
        // every Spark JVM); without it the whole suite would only test the scalar paths.
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), Simd.describe());
    }

    @Test
    void signPackingMatchesScalar() {
        for (int length = 1; length <= 300; length++) {
            for (int offset = 0; offset < 3; offset++) {
                float[] x = KernelInputs.mixed(offset + length + 2, 1000L * length + offset, 5);
                long[] scalar = SignBits.pack(x, offset, length, false);
                long[] vector = SignBits.pack(x, offset, length, true);
                assertArrayEquals(scalar, vector, "length " + length + ", offset " + offset);
                for (int i = 0; i < length; i++) { // and the rule itself: 1 iff x < 0f
                    long bit = (scalar[i >>> 6] >>> i) & 1;
                    assertEquals(x[offset + i] < 0f ? 1 : 0, bit, "element " + i);
                }
            }
        }
    }

    @Test
    void signsAndAbsSumMatchScalarBitForBit() {
        for (int length : new int[] {1, 63, 64, 65, 128, 200, 4096, 100_003}) {
            float[] x = KernelInputs.mixed(length + 1, length, 50);
            for (int i = 0; i < x.length; i++) { // finite: the sum is compared exactly
                if (!Float.isFinite(x[i])) {
                    x[i] = -1.5f;
                }
            }
            long[] ws = new long[SignBits.words(length)];
            long[] wv = new long[SignBits.words(length)];
            double scalar = SignBits.packAbsSum(x, 1, length, ws, false);
            double vector = SignBits.packAbsSum(x, 1, length, wv, true);
            assertArrayEquals(ws, wv, "signs, length " + length);
            assertEquals(Double.doubleToLongBits(scalar), Double.doubleToLongBits(vector), "sum, length " + length);
            double exact = 0;
            for (int i = 1; i <= length; i++) {
                exact += Math.abs((double) x[i]);
            }
            assertEquals(exact, scalar, 1e-6 * exact, "sum |x|, length " + length);
        }
    }

    @Test
    void twoLevelDecodingMatchesScalar() {
        float[][] levels = {{1f, -1f}, {0.37f, -0.37f}, {-0f, 0f}, {Float.NaN, Float.intBitsToFloat(0xFFC00123)},
            {Float.POSITIVE_INFINITY, -Float.MIN_VALUE}};
        for (int length : new int[] {1, 7, 63, 64, 65, 130, 1000, 4097}) {
            float[] x = KernelInputs.mixed(length, length, 9);
            long[] words = SignBits.pack(x, 0, length, false);
            for (float[] l : levels) {
                float[] scalar = new float[length + 2];
                float[] vector = new float[length + 2];
                SignBits.decodeTwoLevel(words, length, l[0], l[1], scalar, 1, false);
                SignBits.decodeTwoLevel(words, length, l[0], l[1], vector, 1, true);
                for (int i = 0; i < scalar.length; i++) {
                    assertEquals(Float.floatToRawIntBits(scalar[i]), Float.floatToRawIntBits(vector[i]),
                            "length " + length + ", element " + i);
                }
                for (int i = 0; i < length; i++) { // and the rule: set bit -> low
                    float expected = ((words[i >>> 6] >>> i) & 1) != 0 ? l[1] : l[0];
                    assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(scalar[i + 1]));
                }
            }
        }
    }
}
