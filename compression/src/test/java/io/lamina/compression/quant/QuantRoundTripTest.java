package io.lamina.compression.quant;

import static io.lamina.compression.quant.QuantTestSupport.body;
import static io.lamina.compression.quant.QuantTestSupport.create;
import static io.lamina.compression.quant.QuantTestSupport.ctx;
import static io.lamina.compression.quant.QuantTestSupport.decode;
import static io.lamina.compression.quant.QuantTestSupport.gaussian;
import static io.lamina.compression.quant.QuantTestSupport.roundTrip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lamina.compression.Compressor;
import io.lamina.compression.method.Compressors;
import io.lamina.compression.Message;
import io.lamina.compression.bits.Half;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Round trips, error bounds and exact wire sizes of the quantisers. */
class QuantRoundTripTest {

    private static final int[] LENGTHS = {1, 2, 3, 4, 5, 7, 8, 9, 63, 64, 65, 127, 128, 129, 1000, 4099};

    private static int varint(int v) {
        return v < (1 << 7) ? 1 : v < (1 << 14) ? 2 : v < (1 << 21) ? 3 : v < (1 << 28) ? 4 : 5;
    }

    @Test
    void fastHalfConversionEqualsReferenceOnAllFloatClasses() {
        SplittableRandom r = new SplittableRandom(1);
        for (int k = 0; k < 2_000_000; k++) {
            float x = Float.intBitsToFloat(r.nextInt());
            assertEquals(Half.toHalf(x) & 0xFFFF, HalfCompressor.toHalfFast(x), () -> "x = " + x);
        }
        // every fp16 value, both halfway points around it and its neighbours
        for (int h = 0; h < 0x10000; h++) {
            float f = Half.fromHalf((short) h);
            if (!Float.isFinite(f)) {
                continue;
            }
            for (int d = -2; d <= 2; d++) {
                float x = Float.intBitsToFloat(Float.floatToRawIntBits(f) + (d << 12));
                assertEquals(Half.toHalf(x) & 0xFFFF, HalfCompressor.toHalfFast(x), () -> "x = " + x);
            }
        }
    }

    @Test
    void blockEncoderEqualsReferenceConversionOnAllFloatClasses() {
        // every fp16 value's neighbourhood (halfway points included), then random bit patterns
        // (NaN, infinities, subnormals, zeros), in one segment of odd length spanning many blocks
        SplittableRandom r = new SplittableRandom(2);
        int n = 5 * 0x10000 + 1_000_003;
        float[] v = new float[n];
        int i = 0;
        for (int h = 0; h < 0x10000; h++) {
            int fb = Float.floatToRawIntBits(Half.fromHalf((short) h));
            for (int d = -2; d <= 2; d++) {
                v[i++] = Float.intBitsToFloat(fb + (d << 12));
            }
        }
        while (i < n) {
            v[i++] = Float.intBitsToFloat(r.nextInt());
        }
        for (boolean bf : new boolean[] {false, true}) {
            for (int off : new int[] {0, 1}) { // also an odd start, so pairs straddle differently
                int len = n - off;
                HalfMessage m = (HalfMessage) create(bf ? "bf16" : "fp16", len).encode(v, off, len, ctx(0, 0));
                long[] w = m.words();
                for (int k = 0; k < len; k++) {
                    float x = v[off + k];
                    int expect = (bf ? Half.toBfloat16(x) : Half.toHalf(x)) & 0xFFFF;
                    int got = (int) (w[k >>> 2] >>> ((k & 3) << 4)) & 0xFFFF;
                    if (expect != got) {
                        assertEquals(expect, got, (bf ? "bf16" : "fp16") + " element " + k + ", x = " + x);
                    }
                }
                assertEquals(0, len % 4 == 0 ? 0 : w[w.length - 1] >>> ((len % 4) << 4), "padding bits");
            }
        }
    }

    @Test
    void fp16AndBf16RoundTripWithinHalfAnUlp() {
        for (String spec : new String[] {"fp16", "bf16"}) {
            boolean bf = spec.equals("bf16");
            for (int n : LENGTHS) {
                float[] v = gaussian(n, n);
                Compressor c = create(spec, n);
                Message m = c.encode(v, 0, n, ctx(0, 0));
                HalfMessage back = roundTrip((HalfMessage) m);
                float[] d = decode(c, back);
                for (int i = 0; i < n; i++) {
                    float x = v[i];
                    float expect = bf ? Half.fromBfloat16(Half.toBfloat16(x)) : Half.fromHalf(Half.toHalf(x));
                    assertEquals(Float.floatToIntBits(expect), Float.floatToIntBits(d[i]));
                    // half an ulp of the format at the value: fp16 has 10 mantissa bits (ulp >= 2^-24), bf16 7
                    double ulp = bf ? Math.ulp(x) * 65536.0
                            : Math.max(Math.ulp(x) * 8192.0, 0x1p-24);
                    assertTrue(Math.abs(d[i] - (double) x) <= ulp / 2 * (1 + 1e-9),
                            spec + " error " + (d[i] - x) + " above half an ulp at x = " + x);
                }
                assertEquals(varint(n) + 1 + 2L * n, body(m).length, spec + " wire size, n=" + n);
                assertEquals(((HalfMessage) m).wireBytes(), body(m).length);
            }
        }
    }

    @Test
    void eightBitPicksTheNearestTableValue() {
        for (int n : LENGTHS) {
            float[] v = gaussian(n, 100 + n);
            Compressor c = create("8bit", n);
            EightBitMessage m = roundTrip((EightBitMessage) c.encode(v, 0, n, ctx(0, 0)));
            float max = 0;
            for (float x : v) {
                max = Math.max(max, Math.abs(x));
            }
            assertEquals(max, m.scale());
            double inv = 1.0 / max;
            float[] d = decode(c, m);
            for (int i = 0; i < n; i++) {
                float a = (float) (Math.abs(v[i]) * inv);
                // brute force over the 128 magnitudes: the chosen one is at least as near as every other
                int chosen = m.code(i) & 0x7F;
                double err = Math.abs(DynamicTable.value(chosen) - a);
                for (int f = 0; f < 128; f++) {
                    assertTrue(err <= Math.abs(DynamicTable.value(f) - a),
                            "code " + chosen + " is not nearest for " + a + ": " + f + " is nearer");
                }
                assertEquals(Float.floatToRawIntBits(v[i]) < 0, (m.code(i) & 0x80) != 0); // -0 keeps its sign
                assertEquals(m.scale() * DynamicTable.value(m.code(i)), d[i]);
            }
            assertEquals(varint(n) + 4 + n, body(m).length, "8bit wire size, n=" + n);
            assertEquals(m.wireBytes(), body(m).length);
        }
    }

    @Test
    void eightBitTableIsMonotoneAndSpansDecades() {
        for (int f = 1; f < 128; f++) {
            assertTrue(DynamicTable.value(f) > DynamicTable.value(f - 1), "table not increasing at " + f);
            assertEquals(-DynamicTable.value(f), DynamicTable.value(f | 0x80));
        }
        assertEquals(0.55e-6, DynamicTable.value(1), 1e-12);
        assertEquals(0.1 + 0.9 * 62.5 / 64, DynamicTable.value(126), 1e-6);
        // step within the top decade is 0.9/64: worst case error half of it
        assertEquals(0.9 / 64, DynamicTable.value(126) - DynamicTable.value(125), 1e-6);
        assertEquals(1f, DynamicTable.value(127), "the top code is the scale itself");
    }

    @Test
    void eightBitSendsTheLargestMagnitudeExactly() {
        for (String spec : new String[] {"8bit", "8bit:rounding=stochastic"}) {
            for (int n : LENGTHS) {
                float[] v = gaussian(n, 300 + n);
                int top = 0;
                for (int i = 0; i < n; i++) {
                    top = Math.abs(v[i]) > Math.abs(v[top]) ? i : top;
                }
                Compressor c = create(spec, n);
                float[] d = decode(c, roundTrip(c.encode(v, 0, n, ctx(0, 0))));
                assertEquals(v[top], d[top], spec + ": max |x| must decode exactly, n=" + n);
            }
        }
    }

    @Test
    void naturalRoundsToANeighbouringPowerOfTwo() {
        int n = 4099;
        float[] v = gaussian(n, 5);
        v[11] = Float.MIN_VALUE;
        v[12] = -0x1p-130f;
        v[13] = 0x1p-126f;
        Compressor c = create("natural", n);
        NaturalMessage m = (NaturalMessage) c.encode(v, 0, n, ctx(3, 1));
        float[] d = decode(c, roundTrip(m));
        for (int i = 0; i < n; i++) {
            float x = v[i];
            float ax = Math.abs(x);
            if (ax == 0f) {
                assertTrue(d[i] == 0f, "zero must stay zero");
                continue;
            }
            float lo = ax < 0x1p-126f ? 0f : Float.intBitsToFloat(Float.floatToRawIntBits(ax) & 0x7F800000);
            float hi = ax < 0x1p-126f ? 0x1p-126f : lo * 2;
            float ad = Math.abs(d[i]);
            assertTrue(ad == lo || (ad == hi && ax != lo), "x = " + x + " decoded to " + d[i]);
            assertTrue(d[i] == 0f || Math.signum(d[i]) == Math.signum(x));
        }
        assertEquals(varint(n) + (9L * n + 7) / 8, body(m).length);
        assertEquals(m.wireBytes(), body(m).length);
    }

    @Test
    void qsgdAndTernGradWireSizesMatchTheFormula() {
        for (int n : LENGTHS) {
            float[] v = gaussian(n, 7 + n);
            for (int s : new int[] {1, 2, 3, 7, 127, 128, 65535}) {
                QsgdMessage m = (QsgdMessage) create("qsgd:s=" + s, n).encode(v, 0, n, ctx(1, 0));
                int w = 32 - Integer.numberOfLeadingZeros(2 * s);
                assertEquals(varint(n) + varint(s) + 4 + ((long) n * w + 7) / 8, body(m).length);
                assertEquals(m.wireBytes(), body(m).length);
                QsgdMessage back = roundTrip(m);
                assertArrayEquals(decode(create("qsgd:s=" + s, n), m), decode(create("qsgd:s=" + s, n), back));
            }
            for (int bucket : new int[] {1, 3, 64, 512, 5000}) {
                String spec = "qsgd:s=7,bucket=" + bucket;
                QsgdMessage m = (QsgdMessage) create(spec, n).encode(v, 0, n, ctx(1, 0));
                int size = Math.min(bucket, n);
                int buckets = (n + size - 1) / size;
                assertEquals(size, m.bucket());
                assertEquals(buckets, m.norms().length);
                assertEquals(varint(n) + 3 + varint(size) + 4L * buckets + (n * 4L + 7) / 8, body(m).length, spec);
                assertEquals(m.wireBytes(), body(m).length);
                QsgdMessage back = roundTrip(m);
                assertArrayEquals(m.norms(), back.norms());
                assertArrayEquals(decode(create(spec, n), m), decode(create(spec, n), back));
                for (int b = 0; b < buckets; b++) { // each bucket's own l2 norm
                    double ss = 0;
                    for (int i = b * size; i < Math.min(n, (b + 1) * size); i++) {
                        ss += (double) v[i] * v[i];
                    }
                    assertEquals(Math.sqrt(ss), m.norms()[b], 1e-6 * Math.sqrt(ss) + 1e-30, spec + " bucket " + b);
                }
            }
            for (int bucket : new int[] {1, 3, 64, 512, 5000}) {
                String spec = "terngrad:bucket=" + bucket;
                TernaryMessage t = (TernaryMessage) create(spec, n).encode(v, 0, n, ctx(1, 0));
                int size = Math.min(bucket, n);
                int buckets = (n + size - 1) / size;
                assertEquals(size, t.bucket());
                assertEquals(varint(n) + 4 + varint(size) + 4L * buckets + (n + 4) / 5, body(t).length, spec);
                assertEquals(t.wireBytes(), body(t).length);
                TernaryMessage back = roundTrip(t);
                assertArrayEquals(t.scales(), back.scales());
                assertArrayEquals(decode(create(spec, n), t), decode(create(spec, n), back));
                float[] d = decode(create(spec, n), back);
                for (int i = 0; i < n; i++) { // element i decodes as its bucket's scale times its code
                    assertEquals(t.scales()[i / size] * t.code(i), d[i], spec + " element " + i);
                }
            }
            TernaryMessage t = (TernaryMessage) create("terngrad", n).encode(v, 0, n, ctx(1, 0));
            assertEquals(varint(n) + 4 + (n + 4) / 5, body(t).length);
            assertEquals(t.wireBytes(), body(t).length);
            assertArrayEquals(decode(create("terngrad", n), t), decode(create("terngrad", n), roundTrip(t)));
        }
    }

    /** Bucketed messages through Kryo's unsafe streams (native byte order, Spark's unsafe mode). */
    @Test
    void bucketedMessagesSurviveKryosUnsafeStreams() {
        float[] v = gaussian(1000, 21);
        for (String spec : new String[] {"qsgd:s=7,bucket=64", "terngrad:bucket=64", "qsgd:s=7", "terngrad"}) {
            Compressor c = create(spec, 1000);
            Message m = c.encode(v, 0, 1000, ctx(3, 0));
            com.esotericsoftware.kryo.io.UnsafeOutput out = new com.esotericsoftware.kryo.io.UnsafeOutput(64, -1);
            QuantTestSupport.KRYO.writeObject(out, m);
            Message back = QuantTestSupport.KRYO.readObject(
                    new com.esotericsoftware.kryo.io.UnsafeInput(out.toBytes()), m.getClass());
            assertArrayEquals(decode(c, m), decode(c, back), spec);
        }
    }

    @Test
    void oneBucketCoveringTheSegmentSendsTheUnbucketedCodes() {
        for (int n : LENGTHS) {
            float[] v = gaussian(n, 3 + n);
            QsgdMessage whole = (QsgdMessage) create("qsgd:s=5", n).encode(v, 0, n, ctx(2, 1));
            QsgdMessage one = (QsgdMessage) create("qsgd:s=5,bucket=" + n, n).encode(v, 0, n, ctx(2, 1));
            assertEquals(0, whole.bucket());
            assertArrayEquals(whole.words(), one.words());
            assertEquals(whole.norm(), one.norm());
            assertArrayEquals(decode(create("qsgd:s=5", n), whole), decode(create("qsgd:s=5,bucket=" + n, n), one));
        }
        for (int n : LENGTHS) {
            float[] v = gaussian(n, 5 + n);
            TernaryMessage whole = (TernaryMessage) create("terngrad", n).encode(v, 0, n, ctx(2, 1));
            TernaryMessage one = (TernaryMessage) create("terngrad:bucket=" + n, n).encode(v, 0, n, ctx(2, 1));
            assertArrayEquals(whole.words(), one.words());
            assertEquals(whole.scale(), one.scale());
        }
        assertEquals("terngrad:bucket=512", io.lamina.compression.method.Compressors.parse("terngrad:bucket=512").spec());
        assertEquals("terngrad:clip=3.0,bucket=8", io.lamina.compression.method.Compressors.parse("terngrad:3,bucket=8").spec());
        assertEquals("qsgd:s=5,bucket=512", io.lamina.compression.method.Compressors.parse("qsgd:5,bucket=512").spec());
        assertEquals("qsgd:s=5", io.lamina.compression.method.Compressors.parse("qsgd:s=5,bucket=0").spec());
        assertThrows(IllegalArgumentException.class, () -> io.lamina.compression.method.Compressors.parse("qsgd:bucket=-1"));
    }

    @Test
    void encodingIsDeterministicPerSeedAndLeavesTheInputAlone() {
        float[] v = gaussian(1000, 9);
        float[] copy = v.clone();
        for (String spec : new String[] {"qsgd:s=4", "terngrad", "natural", "fp16", "bf16", "8bit"}) {
            Compressor c = create(spec, v.length);
            byte[] a = body(c.encode(v, 0, v.length, ctx(5, 2)));
            byte[] b = body(create(spec, v.length).encode(v, 0, v.length, ctx(5, 2)));
            assertArrayEquals(a, b, spec + " is not deterministic for a fixed context");
            assertArrayEquals(copy, v, spec + " modified its input");
        }
        byte[] s1 = body(create("qsgd:s=4", 1000).encode(v, 0, 1000, ctx(5, 2)));
        byte[] s2 = body(create("qsgd:s=4", 1000).encode(v, 0, 1000, ctx(6, 2)));
        assertTrue(!java.util.Arrays.equals(s1, s2), "qsgd draws did not change with the step");
    }

    @Test
    void encodingHonoursTheOffset() {
        float[] v = gaussian(300, 10);
        float[] padded = new float[310];
        System.arraycopy(v, 0, padded, 7, 300);
        for (String spec : new String[] {"qsgd:s=4", "terngrad", "fp16", "8bit", "natural"}) {
            byte[] a = body(create(spec, 300).encode(v, 0, 300, ctx(1, 1)));
            byte[] b = body(create(spec, 300).encode(padded, 7, 300, ctx(1, 1)));
            assertArrayEquals(a, b, spec);
        }
    }

    @Test
    void specsAreValidatedAndCanonical() {
        assertEquals("qsgd:s=127", Compressors.parse("qsgd").spec());
        assertEquals("qsgd:s=16", Compressors.parse("qsgd:16").spec());
        assertEquals("qsgd:s=16", Compressors.parse(Compressors.parse("qsgd:s=16").spec()).spec());
        assertThrows(IllegalArgumentException.class, () -> Compressors.parse("qsgd:s=0"));
        assertThrows(IllegalArgumentException.class, () -> Compressors.parse("qsgd:s=65536"));
        assertThrows(IllegalArgumentException.class, () -> Compressors.parse("qsgd:levels=4"));
        assertThrows(IllegalArgumentException.class, () -> Compressors.parse("terngrad:clip=0"));
        assertThrows(IllegalArgumentException.class, () -> Compressors.parse("fp16:3"));
        assertThrows(IllegalArgumentException.class, () -> Compressors.parse("natural:x=1"));
        assertEquals("terngrad", Compressors.parse("terngrad").spec());
        assertEquals("terngrad:clip=3.0", Compressors.parse("terngrad:clip=3").spec());
        for (String s : new String[] {"fp16", "bf16", "natural", "8bit"}) {
            assertEquals(s, Compressors.parse(s).spec());
        }
    }

    @Test
    void scaledCodesRejectNonFiniteInputNamingTheSegment() {
        float[] v = gaussian(100, 3);
        v[50] = Float.NaN;
        for (String spec : new String[] {"qsgd", "terngrad", "8bit"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> create(spec, 100).encode(v, 0, 100, ctx(0, 0)));
            assertTrue(e.getMessage().contains("segment 0"), e.getMessage());
        }
        // element-wise codes carry non-finite values instead
        assertInstanceOf(HalfMessage.class, create("fp16", 100).encode(v, 0, 100, ctx(0, 0)));
    }
}
