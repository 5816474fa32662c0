package io.lamina.compression.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.lamina.compression.Compressor;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.Layout;
import io.lamina.compression.Message;
import io.lamina.compression.bits.CorruptMessageException;
import io.lamina.compression.method.Methods;
import io.lamina.compression.method.WireFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Natural dithering: levels, unbiasedness, the paper's variance bound, exact bits, wire checks. */
class DitheringTest {

    private static float[] gaussian(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    private static float[] decode(Compressor c, Message m) {
        float[] d = new float[m.length()];
        c.decode(m, d, 0);
        return d;
    }

    @Test
    void parsesWithDefaultAndChecksRange() {
        assertEquals("dithering:s=8", Methods.parse("dithering").spec());
        assertEquals("dithering:s=3", Methods.parse("dithering:3").spec());
        assertThrows(IllegalArgumentException.class, () -> Methods.parse("dithering:s=0"));
        assertThrows(IllegalArgumentException.class, () -> Methods.parse("dithering:s=31"));
        assertThrows(IllegalArgumentException.class, () -> Methods.parse("dithering:bits=3"));
    }

    @Test
    void everyValueIsSignNormTimesALevel() {
        float[] x = gaussian(1000, 1);
        for (int s : new int[] {1, 2, 8, 30}) {
            Compressor c = new DitheringCompressor(s);
            DitheringMessage m = (DitheringMessage) c.encode(x, 0, x.length, new EncodeContext(0, 0, 0, 7));
            float[] d = decode(c, m);
            for (int i = 0; i < x.length; i++) {
                if (d[i] == 0) {
                    continue;
                }
                assertEquals(Math.signum(x[i]), Math.signum(d[i]));
                double level = Math.abs(d[i]) / m.norm();
                int k = (int) Math.round(Math.log(level) / Math.log(2)) + s;
                assertTrue(k >= 1 && k <= s, "s " + s + " level " + level);
                assertEquals(Math.scalb(1.0, k - s), level, 1e-6);
            }
        }
    }

    @Test
    void unbiasedWithinStatisticalBoundsAndWithinThePapersVariance() {
        int n = 64;
        int trials = 20_000;
        float[] x = gaussian(n, 3);
        double norm2 = 0;
        for (float v : x) {
            norm2 += (double) v * v;
        }
        for (int s : new int[] {2, 8}) {
            Compressor c = new DitheringCompressor(s);
            double[] sum = new double[n];
            double sqErr = 0;
            for (int t = 0; t < trials; t++) {
                float[] d = decode(c, c.encode(x, 0, n, new EncodeContext(t, 0, 0, 11)));
                for (int i = 0; i < n; i++) {
                    sum[i] += d[i];
                    sqErr += (d[i] - x[i]) * (double) (d[i] - x[i]);
                }
            }
            double norm = Math.sqrt(norm2);
            for (int i = 0; i < n; i++) {
                // a single draw's spread is at most one level gap <= |x_i| (or 2^(1-s) ||x|| near 0)
                double gap = Math.max(Math.abs(x[i]), Math.scalb(norm, 1 - s));
                double tol = 5 * gap / Math.sqrt(trials) + 1e-6;
                assertEquals(x[i], sum[i] / trials, tol, "s " + s + " element " + i);
            }
            // Horvath et al., natural dithering: omega = 1/8 + min(sqrt(d) / 2^(s-1), d / 2^(2(s-1)))
            double omega = 1.0 / 8 + Math.min(Math.sqrt(n) / Math.scalb(1.0, s - 1), n / Math.scalb(1.0, 2 * (s - 1)));
            assertTrue(sqErr / trials <= omega * norm2, "s " + s + ": variance " + sqErr / trials + " > " + omega * norm2);
        }
    }

    @Test
    void exactBitsPerElementOnTheWire() {
        Kryo kryo = WireFormat.newKryo();
        for (int s : new int[] {1, 2, 3, 7, 8, 15, 16, 30}) {
            int width = 1 + (32 - Integer.numberOfLeadingZeros(s));
            assertEquals(width, DitheringMessage.width(s));
            for (int n : new int[] {1, 7, 64, 1001}) {
                Compressor c = new DitheringCompressor(s);
                DitheringMessage m = (DitheringMessage) c.encode(gaussian(n, n), 0, n, new EncodeContext(0, 0, 0, 1));
                Output out = new Output(1 << 12, -1);
                kryo.writeObject(out, m);
                long expected = (n < 128 ? 1 : 2) + 1 + 4 + ((long) width * n + 7) / 8;
                assertEquals(expected, out.toBytes().length, "s " + s + " n " + n);
                assertEquals(expected, m.wireBytes());
                DitheringMessage back = kryo.readObject(new Input(out.toBytes()), DitheringMessage.class);
                assertEquals(java.util.Arrays.toString(decode(c, m)), java.util.Arrays.toString(decode(c, back)));
            }
        }
        assertEquals(5, DitheringMessage.width(8));
    }

    @Test
    void zerosAndNonFiniteInputs() {
        Compressor c = new DitheringCompressor(8);
        float[] zero = new float[10];
        assertEquals(0f, decode(c, c.encode(zero, 0, 10, new EncodeContext(0, 0, 0, 1)))[3]);
        float[] bad = {1f, Float.NaN};
        assertThrows(IllegalArgumentException.class, () -> c.encode(bad, 0, 2, new EncodeContext(0, 0, 0, 1)));
    }

    @Test
    void corruptIndexNormAndLevelsAreRejected() {
        Kryo kryo = WireFormat.newKryo();
        Output out = new Output(64, -1);
        out.writeVarInt(3, true);
        out.writeVarInt(2, true); // s = 2: width 3, index <= 2
        out.writeFloat(1f);
        out.writeByte(0b011); // element 0: index 3 > s
        out.writeByte(0);
        assertThrows(CorruptMessageException.class,
                () -> kryo.readObject(new Input(out.toBytes()), DitheringMessage.class));
        Output bad = new Output(64, -1);
        bad.writeVarInt(3, true);
        bad.writeVarInt(31, true);
        assertThrows(CorruptMessageException.class,
                () -> kryo.readObject(new Input(bad.toBytes()), DitheringMessage.class));
        Output nan = new Output(64, -1);
        nan.writeVarInt(3, true);
        nan.writeVarInt(2, true);
        nan.writeFloat(Float.NaN);
        nan.writeShort(0);
        assertThrows(CorruptMessageException.class,
                () -> kryo.readObject(new Input(nan.toBytes()), DitheringMessage.class));
    }

    @Test
    void layoutDoesNotMatter() {
        assertEquals("dithering", Methods.parse("dithering").create(Layout.single("x", 3)).name());
    }
}
