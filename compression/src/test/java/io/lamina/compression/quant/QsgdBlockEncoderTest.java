package io.lamina.compression.quant;

import static io.lamina.compression.quant.QuantTestSupport.create;
import static io.lamina.compression.quant.QuantTestSupport.ctx;
import static io.lamina.compression.quant.QuantTestSupport.gaussian;
import static io.lamina.compression.quant.QuantTestSupport.roundTrip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The block-wise QSGD encoder against a slow reference: code_i = clamp(s + floor(a_i + u_i), 0, 2s)
 * in exact (double) arithmetic, a_i = v_i * (s / norm) in fp32, u_i = (j_i + 1/2) 2^-23 with j_i
 * the top 23 bits of word i of the counter-hash stream. The encoder may differ only where a_i + u_i
 * lies within 2^-23 of an integer (its rounding probabilities are resolved to 2^-23).
 */
class QsgdBlockEncoderTest {

    @Test
    void codesEqualTheExactStochasticFloorOverManyBlocks() {
        int n = 3 * 4096 + 1001; // several full blocks and an odd tail
        float[] v = gaussian(n, 21);
        v[17] = 0f;
        v[18] = -0f;
        v[19] = 1e-30f;
        for (int s : new int[] {1, 2, 3, 7, 127, 128, 65535}) {
            QsgdMessage m = (QsgdMessage) create("qsgd:s=" + s, n).encode(v, 0, n, ctx(4, 1));
            long seed = ctx(4, 1).workerSeed();
            float scale = s / m.norm();
            int near = 0;
            for (int i = 0; i < n; i++) {
                float a = v[i] * scale;
                int j = CounterHash.word(i, seed) >>> 9;
                double x = a + (j + 0.5) * 0x1p-23;
                int expect = (int) Math.max(0, Math.min(2 * s, s + Math.floor(x)));
                int got = m.code(i);
                if (got != expect) {
                    double gap = Math.abs(x - Math.rint(x));
                    assertTrue(gap < 0x1p-23 && Math.abs(got - expect) == 1,
                            "s=" + s + " element " + i + ": code " + got + ", reference " + expect);
                    near++;
                }
            }
            assertTrue(near <= 2, "s=" + s + ": " + near + " codes differ at the 2^-23 resolution");
            roundTrip(m); // the serializer accepts every code
        }
    }

    @Test
    void aDominantElementIsCappedAtTheTopLevel() {
        for (int s : new int[] {1, 3, 127, 65535}) {
            for (float x : new float[] {3.7f, -3.7f, 0x1.fffffep3f, -1e-20f}) {
                float[] v = new float[9];
                v[4] = x;
                for (int step = 0; step < 50; step++) {
                    QsgdMessage m = (QsgdMessage) create("qsgd:s=" + s, 9).encode(v, 0, 9, ctx(step, 0));
                    assertEquals(x > 0 ? 2 * s : 0, m.code(4), "s=" + s + " x=" + x);
                    assertEquals(s, m.code(3));
                    roundTrip(m);
                }
            }
        }
    }

    @Test
    void squaresBeyondFp32RangeKeepTheExactNormAndScale() {
        float[] v = gaussian(1000, 40);
        v[300] = 3e25f;
        v[301] = -1e25f;
        double ss = 0;
        double sum = 0;
        for (float x : v) {
            ss += (double) x * x;
            sum += x;
        }
        QsgdMessage m = (QsgdMessage) create("qsgd:s=7", v.length).encode(v, 0, v.length, ctx(0, 0));
        assertEquals((float) Math.sqrt(ss), m.norm());
        io.lamina.compression.quant.TernaryMessage t = (io.lamina.compression.quant.TernaryMessage)
                create("terngrad", v.length).encode(v, 0, v.length, ctx(0, 0));
        double mean = sum / v.length;
        double c = 2.5 * Math.sqrt(ss / v.length - mean * mean);
        assertEquals((float) Math.min(3e25, c), t.scale(), 1e-5 * c);
    }
}
