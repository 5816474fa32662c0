package io.lamina.compression.sparse;

import static io.lamina.compression.sparse.WireTestSupport.gaussian;
import static io.lamina.compression.sparse.WireTestSupport.read;
import static io.lamina.compression.sparse.WireTestSupport.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Output;
import io.lamina.compression.Compressor;
import io.lamina.compression.method.Compressors;
import io.lamina.compression.Layout;
import io.lamina.compression.Message;
import io.lamina.compression.message.ValuePrecision;
import io.lamina.compression.bits.CorruptMessageException;
import io.lamina.compression.method.WireFormat;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SparseWireTest {

    /** Independent size of a Kryo varint. */
    private static int varint(long v) {
        int n = 1;
        while (v >= 128) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    /** The documented formula of SparseMessageSerializer, computed independently. */
    private static long formula(SparseMessage m) {
        int[] idx = m.indices();
        long varintBytes = 0;
        long bits = 0;
        int prev = -1;
        for (int b = 0; b < idx.length; b += 128) {
            int maxGap = 0;
            int end = Math.min(idx.length, b + 128);
            for (int j = b; j < end; j++) {
                int gap = idx[j] - prev - 1;
                varintBytes += varint(gap);
                maxGap = Math.max(maxGap, gap);
                prev = idx[j];
            }
            int width = maxGap == 0 ? 0 : Integer.toBinaryString(maxGap).length();
            bits += 6 + (long) (end - b) * width;
        }
        long p = (bits + 7) / 8;
        return varint(m.length()) + varint(m.workers()) + varint(idx.length) + 1
                + (long) idx.length * (m.precision() == ValuePrecision.FP32 ? 4 : 2)
                + Math.min(varintBytes, varint(p) + p);
    }

    private static SparseMessage randomSparse(int length, double density, ValuePrecision p, long seed) {
        Random r = new Random(seed);
        int[] idx = new int[length];
        int n = 0;
        for (int i = 0; i < length; i++) {
            if (r.nextDouble() < density) {
                idx[n++] = i;
            }
        }
        float[] v = new float[n];
        for (int j = 0; j < n; j++) {
            v[j] = p.round((float) r.nextGaussian() * 10);
        }
        return new SparseMessage(length, java.util.Arrays.copyOf(idx, n), v, p, 3);
    }

    private static void assertSame(SparseMessage a, SparseMessage b) {
        assertEquals(a.length(), b.length());
        assertEquals(a.workers(), b.workers());
        assertEquals(a.precision(), b.precision());
        assertArrayEquals(a.indices(), b.indices());
        assertEquals(a.count(), b.count());
        for (int j = 0; j < a.count(); j++) {
            assertEquals(Float.floatToIntBits(a.values()[j]), Float.floatToIntBits(b.values()[j]), "value " + j);
        }
    }

    @Test
    void roundTripIsExactAndSizeMatchesFormulaForEveryPrecision() {
        Kryo kryo = WireFormat.newKryo();
        for (ValuePrecision p : ValuePrecision.values()) {
            for (double density : new double[] {0, 0.0001, 0.01, 0.3, 1}) {
                SparseMessage m = randomSparse(20_000, density, p, 7);
                byte[] bytes = write(kryo, m);
                assertEquals(formula(m), bytes.length, p + " density " + density);
                assertEquals(SparseMessageSerializer.wireSize(m), bytes.length);
                assertSame(m, read(kryo, bytes, SparseMessage.class));
            }
        }
    }

    @Test
    void fastFp16RoundingAgreesWithHalfConversions() {
        Random r = new Random(17);
        for (int t = 0; t < 2_000_000; t++) {
            float v = t < 1_000_000 ? Float.intBitsToFloat(r.nextInt()) : (float) (r.nextGaussian() * Math.pow(2, r.nextInt(40) - 28));
            if (Float.isNaN(v)) {
                continue;
            }
            float expected = Math.abs(v) > 65504f && !Float.isInfinite(v) ? Math.copySign(65504f, v)
                    : io.lamina.compression.bits.Half.fromHalf(io.lamina.compression.bits.Half.toHalf(v));
            float got = ValuePrecision.FP16.round(v);
            assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(got), "fp16 round of " + v);
            assertTrue(ValuePrecision.FP16.isExact(got));
            assertEquals(got == v, ValuePrecision.FP16.isExact(v), "exactness of " + v);
            float b = ValuePrecision.BF16.round(v);
            assertTrue(ValuePrecision.BF16.isExact(b));
            assertEquals(b == v, ValuePrecision.BF16.isExact(v), "bf16 exactness of " + v);
        }
    }

    @Test
    void eachIndexCodingIsChosenWhenItIsSmallerAndRoundTrips() {
        Kryo kryo = WireFormat.newKryo();
        // a run of adjacent indices: gaps of 0 cost 6 bits per block packed, 1 byte each as varints
        int[] run = new int[1000];
        for (int i = 0; i < run.length; i++) {
            run[i] = 5000 + i;
        }
        SparseMessage packed = new SparseMessage(10_000, run, new float[1000], ValuePrecision.FP32, 1);
        assertEquals(SparseIndexCodec.PACKED, SparseMessageSerializer.indexCoding(packed));
        // small gaps with one huge gap per block: the packed width explodes, varints stay small
        int[] spiky = new int[1000];
        int at = 0;
        for (int i = 0; i < spiky.length; i++) {
            at += (i % 100 == 99) ? 100_000 : 3;
            spiky[i] = at;
        }
        SparseMessage varint = new SparseMessage(at + 1, spiky, new float[1000], ValuePrecision.FP16, 1);
        assertEquals(SparseIndexCodec.VARINT, SparseMessageSerializer.indexCoding(varint));
        for (SparseMessage m : new SparseMessage[] {packed, varint}) {
            byte[] bytes = write(kryo, m);
            assertEquals(formula(m), bytes.length);
            assertSame(m, read(kryo, bytes, SparseMessage.class));
        }
        // run of 1000 zero gaps except the first: 8 blocks * 6 bits + 128 * 13 bits
        assertTrue(write(kryo, packed).length < 1000 * 4 + 250, "run indices must cost well under a byte each");
    }

    /** The packed index stream bit for bit against a reference {@link BitWriter} encoder. */
    @Test
    void packedIndicesMatchTheReferenceBitStreamAtEveryWidth() {
        Random r = new Random(11);
        for (int n : new int[] {1, 2, 127, 128, 129, 1000, 4000}) {
            int[] idx = new int[n];
            long at = -1;
            for (int j = 0; j < n; j++) {
                int block = j / SparseIndexCodec.BLOCK;
                int width = (block * 7 + n) % 18; // widths 0..17 across blocks (gaps < 2^width), indices below 2^31
                long gap = width == 0 ? 0 : (r.nextBoolean() ? (1L << width) - 1 : r.nextInt(1 << width));
                at += 1 + gap;
                idx[j] = (int) at;
            }
            Output out = new Output(16, -1);
            SparseIndexCodec.writePacked(out, idx, n);
            byte[] got = out.toBytes();
            Output ref = new Output(16, -1);
            byte[] stream = referencePacked(idx, n);
            ref.writeVarInt(stream.length, true);
            ref.writeBytes(stream);
            assertArrayEquals(ref.toBytes(), got, "packed stream of " + n + " indices");
            assertEquals(SparseIndexCodec.packedBytes(idx, n), got.length);
            int[] back = SparseIndexCodec.readPacked(new com.esotericsoftware.kryo.io.Input(got), n, (int) at + 1, "t");
            assertArrayEquals(idx, back);
        }
        // gaps that need all 32 bits cannot occur below MAX_SEGMENT_LENGTH, but the coder handles 31
        int[] wide = {0, Integer.MAX_VALUE - 1};
        Output out = new Output(16, -1);
        SparseIndexCodec.writePacked(out, wide, 2);
        assertArrayEquals(wide, SparseIndexCodec.readPacked(new com.esotericsoftware.kryo.io.Input(out.toBytes()),
                2, Integer.MAX_VALUE, "t"));
    }

    /**
     * Kryo's unsafe streams (Spark's {@code spark.kryo.unsafe=true}) write multi-byte primitives
     * in native order: every reader must pair with its writer, so both index codings and every
     * precision survive them too.
     */
    @Test
    void sparseMessagesSurviveKryosUnsafeStreams() {
        Kryo kryo = WireFormat.newKryo();
        int[] run = new int[1000];
        for (int i = 0; i < run.length; i++) {
            run[i] = 5000 + 3 * i;
        }
        int[] spiky = new int[300];
        for (int i = 0, at = 0; i < spiky.length; i++) {
            at += (i % 100 == 99) ? 100_000 : 3;
            spiky[i] = at;
        }
        for (ValuePrecision p : ValuePrecision.values()) {
            for (int[] idx : new int[][] {run, spiky}) {
                float[] v = gaussian(idx.length, idx.length);
                p.roundInPlace(v, v.length);
                SparseMessage m = new SparseMessage(idx[idx.length - 1] + 7, idx, v, p, 2);
                com.esotericsoftware.kryo.io.UnsafeOutput out = new com.esotericsoftware.kryo.io.UnsafeOutput(64, -1);
                kryo.writeObject(out, m);
                SparseMessage back = kryo.readObject(new com.esotericsoftware.kryo.io.UnsafeInput(out.toBytes()),
                        SparseMessage.class);
                assertSame(m, back);
            }
        }
    }

    /** The stream as the format describes it: per block a 6-bit width, then the gaps, LSB first. */
    private static byte[] referencePacked(int[] idx, int n) {
        io.lamina.compression.bits.BitWriter w = new io.lamina.compression.bits.BitWriter(64);
        int prev = -1;
        for (int start = 0; start < n; start += SparseIndexCodec.BLOCK) {
            int end = Math.min(n, start + SparseIndexCodec.BLOCK);
            int max = 0;
            for (int j = start, p = prev; j < end; j++) {
                max = Math.max(max, idx[j] - p - 1);
                p = idx[j];
            }
            int width = 32 - Integer.numberOfLeadingZeros(max);
            w.write(width, 6);
            for (int j = start; j < end; j++) {
                if (width > 0) {
                    w.write(idx[j] - prev - 1, width);
                }
                prev = idx[j];
            }
        }
        return w.toByteArray();
    }

    @Test
    void sharedIndexRoundTripAndExactSize() {
        Kryo kryo = WireFormat.newKryo();
        for (ValuePrecision p : ValuePrecision.values()) {
            float[] v = gaussian(1234, 3);
            p.roundInPlace(v, v.length);
            SharedIndexMessage m = new SharedIndexMessage(100_000, 0x1234_5678_9ABCL, v, p, 2);
            byte[] bytes = write(kryo, m);
            assertEquals(varint(100_000) + 1 + varint(1234) + 8 + 1 + 1234L * p.bytes(), bytes.length);
            SharedIndexMessage back = read(kryo, bytes, SharedIndexMessage.class);
            assertEquals(m.seed(), back.seed());
            assertEquals(m.length(), back.length());
            assertEquals(2, back.workers());
            assertArrayEquals(v, back.values());
        }
    }

    @Test
    void topKAtOnePercentOfTenMillionMeetsTheByteTarget() {
        int n = 10_000_000;
        float[] x = new float[n];
        Random r = new Random(11);
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        Layout layout = Layout.single("w", n);
        Kryo kryo = WireFormat.newKryo();
        double fp16 = 0;
        double fp32 = 0;
        for (String spec : new String[] {"topk:0.01", "topk:0.01,values=fp32"}) {
            Compressor c = Compressors.parse(spec).create(layout);
            SparseMessage m = (SparseMessage) c.encode(x, 0, n, WireTestSupport.ctx(0, 0, 0));
            assertEquals(100_000, m.count());
            double perElement = (double) write(kryo, m).length / m.count();
            if (spec.contains("fp32")) {
                fp32 = perElement;
            } else {
                fp16 = perElement;
            }
        }
        System.out.printf("top-k 1%% of 10M on the wire: %.3f bytes/kept element (fp16 values), %.3f (fp32)%n", fp16, fp32);
        assertTrue(fp16 <= 3.5, "default Top-k must cost <= 3.5 bytes per kept element, got " + fp16);
        assertTrue(fp32 <= 5.5, "fp32 Top-k costs " + fp32);
    }

    @Test
    void corruptHeadersAreRejectedWithTheProblemNamed() {
        Kryo kryo = WireFormat.newKryo();
        // index beyond length
        Output o = new Output(64, -1);
        o.writeVarInt(10, true);
        o.writeVarInt(1, true);
        o.writeVarInt(2, true);
        o.writeByte(0);
        o.writeFloat(1);
        o.writeFloat(2);
        o.writeVarInt(5, true);
        o.writeVarInt(7, true);
        CorruptMessageException e = assertThrows(CorruptMessageException.class,
                () -> read(kryo, o.toBytes(), SparseMessage.class));
        assertTrue(e.getMessage().contains("not below the segment length 10"), e.getMessage());
        // count above length
        Output o2 = new Output(64, -1);
        o2.writeVarInt(10, true);
        o2.writeVarInt(1, true);
        o2.writeVarInt(11, true);
        e = assertThrows(CorruptMessageException.class, () -> read(kryo, o2.toBytes(), SparseMessage.class));
        assertTrue(e.getMessage().contains("count = 11"), e.getMessage());
        // unknown tag
        Output o3 = new Output(64, -1);
        o3.writeVarInt(10, true);
        o3.writeVarInt(1, true);
        o3.writeVarInt(0, true);
        o3.writeByte(0x07);
        e = assertThrows(CorruptMessageException.class, () -> read(kryo, o3.toBytes(), SparseMessage.class));
        assertTrue(e.getMessage().contains("index coding 7"), e.getMessage());
        // packed width out of range: 6-bit width 40
        Output o4 = new Output(64, -1);
        o4.writeVarInt(10, true);
        o4.writeVarInt(1, true);
        o4.writeVarInt(1, true);
        o4.writeByte(0x11); // packed, fp16
        o4.writeShort(0);
        o4.writeVarInt(2, true);
        o4.writeByte(40);
        o4.writeByte(0);
        e = assertThrows(CorruptMessageException.class, () -> read(kryo, o4.toBytes(), SparseMessage.class));
        assertTrue(e.getMessage().contains("bit width 40"), e.getMessage());
        // a huge claimed count with few bytes fails on the values, without allocating for the count
        Output o5 = new Output(64, -1);
        o5.writeVarInt(1 << 30, true);
        o5.writeVarInt(1, true);
        o5.writeVarInt(1 << 30, true);
        o5.writeByte(0);
        o5.writeFloat(1);
        e = assertThrows(CorruptMessageException.class, () -> read(kryo, o5.toBytes(), SparseMessage.class));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void randomFlipsAndTruncationsNeverHangOrEscapeAsOtherErrors() {
        Kryo kryo = WireFormat.newKryo();
        Message[] samples = {
            randomSparse(5000, 0.02, ValuePrecision.FP32, 1),
            randomSparse(5000, 0.5, ValuePrecision.FP16, 2),
            randomSparse(3000, 0.9, ValuePrecision.BF16, 3),
            SparseMessage.empty(77, ValuePrecision.FP16, 1),
            new SharedIndexMessage(4000, 99L, gaussian(40, 4), ValuePrecision.FP32, 3),
        };
        Random r = new Random(2024);
        int[] outcomes = new int[3];
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (Message m : samples) {
                byte[] good = write(kryo, m);
                for (int trial = 0; trial < 2000; trial++) {
                    byte[] bad;
                    if (trial % 3 == 0) {
                        bad = java.util.Arrays.copyOf(good, r.nextInt(good.length));
                    } else {
                        bad = good.clone();
                        int flips = 1 + r.nextInt(3);
                        for (int f = 0; f < flips; f++) {
                            int at = r.nextInt(Math.min(bad.length, trial % 2 == 0 ? 12 : bad.length));
                            bad[at] ^= (byte) (1 + r.nextInt(255));
                        }
                    }
                    try {
                        Message back = read(kryo, bad, m.getClass());
                        assertTrue(back.length() >= 1 && back.workers() >= 1);
                        if (back instanceof SparseMessage s) {
                            int prev = -1;
                            for (int i : s.indices()) {
                                assertTrue(i > prev && i < s.length());
                                prev = i;
                            }
                        } else {
                            assertTrue(((SharedIndexMessage) back).k() <= back.length());
                        }
                        outcomes[0]++;
                    } catch (CorruptMessageException e) {
                        assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
                        outcomes[1]++;
                    } catch (KryoException e) {
                        outcomes[2]++;
                    }
                }
            }
        });
        System.out.printf("corruption trials: %d still valid, %d CorruptMessageException, %d KryoException%n",
                outcomes[0], outcomes[1], outcomes[2]);
        assertTrue(outcomes[1] > 1000, "most corruptions must be detected");
    }
}
