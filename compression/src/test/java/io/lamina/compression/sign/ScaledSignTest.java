package io.lamina.compression.sign;

import static io.lamina.compression.quant.QuantTestSupport.body;
import static io.lamina.compression.quant.QuantTestSupport.create;
import static io.lamina.compression.quant.QuantTestSupport.ctx;
import static io.lamina.compression.quant.QuantTestSupport.decode;
import static io.lamina.compression.quant.QuantTestSupport.gaussian;
import static io.lamina.compression.quant.QuantTestSupport.roundTrip;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lamina.compression.Compressor;
import io.lamina.compression.Message;
import org.junit.jupiter.api.Test;

/** EF-signSGD's scaled sign and 1-bit SGD's two means, against their formulas. */
class ScaledSignTest {

    private static int varint(int v) {
        return v < (1 << 7) ? 1 : v < (1 << 14) ? 2 : 3;
    }

    @Test
    void efSignSendsMeanAbsoluteValueTimesSign() {
        for (int n : new int[] {1, 5, 64, 65, 1000}) {
            float[] p = gaussian(n, n);
            Compressor c = create("efsign", n);
            ScaledSignMessage m = roundTrip((ScaledSignMessage) c.encode(p, 0, n, ctx(0, 0)));
            double l1 = 0;
            for (float x : p) {
                l1 += Math.abs(x);
            }
            float scale = (float) (l1 / n);
            assertEquals(scale, m.scale());
            float[] d = decode(c, m);
            for (int i = 0; i < n; i++) {
                assertEquals(p[i] < 0 ? -scale : scale, d[i], "element " + i);
            }
            assertEquals(varint(n) + 4 + (n + 7) / 8, body(m).length);
            assertEquals(m.wireBytes(), body(m).length);
        }
    }

    @Test
    void oneBitSendsTheMeanOfEachSide() {
        for (int n : new int[] {1, 5, 64, 65, 1000}) {
            float[] v = gaussian(n, 50 + n);
            Compressor c = create("onebit", n);
            OneBitMessage m = roundTrip((OneBitMessage) c.encode(v, 0, n, ctx(0, 0)));
            double pos = 0;
            double neg = 0;
            int np = 0;
            int nn = 0;
            for (float x : v) {
                if (x < 0) {
                    neg += x;
                    nn++;
                } else {
                    pos += x;
                    np++;
                }
            }
            assertEquals(np == 0 ? 0f : (float) (pos / np), m.positive());
            assertEquals(nn == 0 ? 0f : (float) (neg / nn), m.negative());
            float[] d = decode(c, m);
            for (int i = 0; i < n; i++) {
                assertEquals(v[i] < 0 ? m.negative() : m.positive(), d[i]);
            }
            assertEquals(varint(n) + 8 + (n + 7) / 8, body(m).length);
            assertEquals(m.wireBytes(), body(m).length);
        }
        // all non-negative: the negative side is empty and decodes to nothing
        float[] v = {1f, 2f, 0f, 3f};
        Message m = create("onebit", 4).encode(v, 0, 4, ctx(0, 0));
        assertEquals(1.5f, ((OneBitMessage) m).positive());
        assertEquals(0f, ((OneBitMessage) m).negative());
    }

    @Test
    void oneBitWithErrorFeedbackConservesMass() {
        // the quantisation error carried to the next step: sent + residual = input + old residual
        int n = 200;
        Compressor c = create("onebit", n);
        float[] residual = new float[n];
        for (int step = 0; step < 5; step++) {
            float[] g = gaussian(n, 90 + step);
            float[] e = new float[n];
            for (int i = 0; i < n; i++) {
                e[i] = g[i] + residual[i];
            }
            float[] sent = decode(c, c.encode(e, 0, n, ctx(step, 0)));
            for (int i = 0; i < n; i++) {
                float old = residual[i];
                residual[i] = e[i] - sent[i];
                assertEquals(g[i] + (double) old, sent[i] + (double) residual[i], 1e-5);
            }
        }
    }
}
