package io.lamina.compression.lowrank;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.lamina.compression.Layout;
import io.lamina.compression.Message;
import io.lamina.compression.Segment;
import io.lamina.compression.bits.CorruptMessageException;
import io.lamina.compression.method.WireFormat;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FactorMessageWireTest {

    private final Kryo kryo = WireFormat.newKryo();

    @Test
    void bothRoundsTakeExactlyTheFactorsInFp32PlusSmallHeaders() {
        int n = 300;
        int m = 200;
        int r = 2;
        Segment seg = new Segment("w", 0, n * m, new int[] {n, m});
        PowerSgdCompressor c = new PowerSgdCompressor(Layout.of(List.of(seg)), r, true, false);
        float[] mat = PowerSgdTest.gaussian(new Random(6), n * m);
        Message p = c.round1(mat, 0, n * m, PowerSgdTest.ctx(0, 0, 0));
        Message d1 = c.finishRound1(p);
        Message q = c.round2(mat, 0, n * m, d1, PowerSgdTest.ctx(0, 0, 0));
        byte[] pBytes = write(p);
        byte[] qBytes = write(q);
        // Kryo class id 1050 (varint of 1052: 2 bytes), then length, rows, cols, workers as varints
        int pHeader = 2 + varint(n * m) + varint(n) + varint(r) + varint(1);
        int qHeader = 2 + varint(n * m) + varint(m) + varint(r) + varint(1);
        assertEquals(4 * n * r + pHeader, pBytes.length);
        assertEquals(4 * m * r + qHeader, qBytes.length);
        assertEquals(4 * (n + m) * r + pHeader + qHeader, pBytes.length + qBytes.length);
        FactorMessage back = (FactorMessage) read(qBytes);
        assertEquals(m, back.rows());
        assertEquals(r, back.cols());
        assertEquals(n * m, back.length());
        assertArrayEquals(((FactorMessage) q).values(), back.values());
        FactorMessage empty = FactorMessage.empty(20, 3);
        byte[] e = write(empty);
        assertEquals(2 + 1 + 1 + 1 + 1, e.length, "the round-2 placeholder of a dense segment");
        assertEquals(3, ((FactorMessage) read(e)).workers());
    }

    @Test
    void everyTruncationFailsWithAnException() {
        byte[] good = write(sample());
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int len = 0; len < good.length; len++) {
                byte[] cut = java.util.Arrays.copyOf(good, len);
                try {
                    Object o = read(cut);
                    fail("truncated to " + len + " of " + good.length + " bytes but read " + o);
                } catch (CorruptMessageException | KryoException expected) {
                    // fine
                }
            }
        });
    }

    @Test
    void randomByteFlipsAreRejectedByTheReaderOrTheLayoutUnlessOnlyValuesChanged() {
        // the sample is the round-1 downlink P^ (40 x 2) of a 40 x 30 segment at rank 2
        byte[] good = write(sample());
        PowerSgdCompressor c = new PowerSgdCompressor(Layout.of(List.of(
                new Segment("w", 0, 1200, new int[] {40, 30}))), 2, true, false);
        FactorMessage q = new FactorMessage(1200, 30, 2, new float[60], 2);
        Random rnd = new Random(7);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            int rejected = 0;
            for (int t = 0; t < 3000; t++) {
                byte[] bad = good.clone();
                int flips = 1 + rnd.nextInt(3);
                for (int f = 0; f < flips; f++) {
                    // mostly in the header, where the structure lives
                    int at = rnd.nextInt(4) == 0 ? rnd.nextInt(bad.length) : rnd.nextInt(Math.min(8, bad.length));
                    bad[at] ^= (byte) (1 << rnd.nextInt(8));
                }
                FactorMessage fm;
                try {
                    fm = (FactorMessage) read(bad);
                } catch (CorruptMessageException | KryoException | ClassCastException expected) {
                    rejected++;
                    continue;
                }
                try {
                    c.finishRound2(0, fm, q, new float[1200], 0);
                } catch (IllegalArgumentException expected) {
                    rejected++;
                    continue;
                }
                // accepted: then only the values or the worker count can differ, never the structure
                assertEquals(1200, fm.length());
                assertEquals(40, fm.rows());
                assertEquals(2, fm.cols());
                assertEquals(80, fm.values().length);
            }
            assertTrue(rejected > 500, "header flips must be detected, got " + rejected);
        });
    }

    @Test
    void hugeClaimedShapesFailBeforeAllocating() {
        // length 2^30, 2^15 x 2^15 factor, then nothing: must fail on the header or the truncated values
        for (int[] h : new int[][] {{1 << 30, 1 << 15, 1 << 15, 1}, {100, 21, 10, 1}, {100, 11, 10, 1}, {100, 0, 5, 1},
                {100, 101, 1, 1}, {0, 1, 1, 1}, {10, 2, 2, 0}}) {
            Output out = new Output(64);
            out.writeVarInt(1052, true);
            for (int v : h) {
                out.writeVarInt(v, true);
            }
            byte[] bytes = out.toBytes();
            CorruptMessageException e = assertThrows(CorruptMessageException.class, () -> read(bytes),
                    java.util.Arrays.toString(h));
            assertTrue(e.getMessage().contains("factor"), e.getMessage());
        }
    }

    private static FactorMessage sample() {
        float[] v = PowerSgdTest.gaussian(new Random(8), 40 * 2);
        LowRankMath.orthonormalise(v, 40, 2, new Random(9));
        return new FactorMessage(40 * 30, 40, 2, v, 2);
    }

    private byte[] write(Object m) {
        Output out = new Output(1024, -1);
        kryo.writeClassAndObject(out, m);
        return out.toBytes();
    }

    private Object read(byte[] bytes) {
        return kryo.readClassAndObject(new Input(bytes));
    }

    private static int varint(int v) {
        int n = 1;
        while ((v >>>= 7) != 0) {
            n++;
        }
        return n;
    }
}
