package io.lamina.compression.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lamina.compression.simd.KernelInputs;
import io.lamina.compression.bits.Half;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** fp16 and bf16 by the vector kernel: the scalar encoder's words, and Half's conversion per element. */
class HalfVectorTest {

    private static void assertSameAsScalar(float[] x, int offset, int length) {
        for (boolean bf16 : new boolean[] {false, true}) {
            HalfCompressor c = new HalfCompressor(bf16);
            HalfMessage scalar = c.encode(x, offset, length, false);
            HalfMessage vector = c.encode(x, offset, length, true);
            String what = (bf16 ? "bf16" : "fp16") + " offset " + offset + " length " + length;
            assertArrayEquals(scalar.words(), vector.words(), what);
            for (int i = 0; i < length; i++) {
                short expected = bf16 ? Half.toBfloat16(x[offset + i]) : Half.toHalf(x[offset + i]);
                short got = (short) (vector.words()[i >>> 2] >>> ((i & 3) << 4));
                assertEquals(expected, got, what + ", element " + i + " = " + x[offset + i]);
            }
        }
    }

    @Test
    void everyLengthAndSpecialValue() {
        for (int length = 1; length <= 100; length++) {
            for (int offset = 0; offset < 3; offset++) {
                assertSameAsScalar(KernelInputs.mixed(length + offset, 31L * length + offset, 4), offset, length);
            }
        }
        assertSameAsScalar(KernelInputs.mixed(50_001, 5, 100), 1, 50_000);
    }

    @Test
    void everyFp16NeighbourhoodAndRandomBits() {
        // each fp16 value's float, the floats half an ulp either side (ties) and just inside them
        float[] x = new float[65536 * 5];
        for (int h = 0; h < 65536; h++) {
            float f = Half.fromHalf((short) h);
            int b = Float.floatToRawIntBits(f);
            x[5 * h] = f;
            x[5 * h + 1] = Float.intBitsToFloat(b + 0x1000);
            x[5 * h + 2] = Float.intBitsToFloat(b - 0x1000);
            x[5 * h + 3] = Float.intBitsToFloat(b + 0x0FFF);
            x[5 * h + 4] = Float.intBitsToFloat(b + 0x8000); // a bf16 tie
        }
        assertSameAsScalar(x, 0, x.length);
        Random r = new Random(3);
        float[] bits = new float[1 << 20];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = Float.intBitsToFloat(r.nextInt());
        }
        assertSameAsScalar(bits, 0, bits.length);
    }

    @Test
    void decodingEveryCodeMatchesScalar() {
        for (int length : new int[] {65536, 65535, 65529, 9, 8, 1}) {
            long[] words = new long[(length + 3) >>> 2];
            for (int k = 0; k < length; k++) { // every 16-bit code (fp16: NaNs with payloads, subnormals, -0)
                words[k >>> 2] |= (long) ((k * 40503) & 0xFFFF) << ((k & 3) << 4);
            }
            for (boolean bf16 : new boolean[] {false, true}) {
                HalfMessage m = new HalfMessage(bf16, length, words);
                float[] scalar = new float[length + 3];
                float[] vector = new float[length + 3];
                m.decodeInto(scalar, 3, false);
                m.decodeInto(vector, 3, true);
                for (int k = 0; k < length; k++) {
                    short code = (short) ((k * 40503) & 0xFFFF);
                    float expected = bf16 ? Half.fromBfloat16(code) : Half.fromHalf(code);
                    assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(scalar[k + 3]), "scalar code " + code);
                    assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(vector[k + 3]),
                            (bf16 ? "bf16" : "fp16") + " code " + Integer.toHexString(code & 0xFFFF));
                }
            }
        }
    }
}
