package io.lamina.compression.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lamina.compression.Compressor;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.Layout;
import io.lamina.compression.Memory;
import io.lamina.compression.Segment;
import io.lamina.compression.method.Compressors;
import io.lamina.compression.method.Memories;
import io.lamina.compression.sparse.SparseMessage;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** DGC as in Lin et al. (ICLR 2018): local clipping, density warm-up, momentum of dense segments. */
class DgcPaperTest {

    @Test
    void localClippingScalesTheGradientToTheThresholdBeforeMomentum() {
        int n = 100;
        Layout layout = Layout.single("w", n);
        Memory mem = Memories.parse("dgc:momentum=0.5,clip=2").create(layout);
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            g[i] = 1f; // ||g|| = 10
        }
        float[] e = new float[n];
        mem.compensate(0, g, 0, n, e);
        assertEquals(2.0, norm(e), 1e-5, "clipped to the threshold");
        assertEquals(1f, g[0], "the gradient itself is not modified");
        mem.update(0, e, new float[n], n); // nothing sent: u = 0.2 each, v = 0.2 each
        float[] small = new float[n];
        small[3] = 0.5f; // below the threshold: not scaled
        mem.compensate(0, small, 0, n, e);
        assertEquals(0.2f + 0.5f * 0.2f + 0.5f, e[3], 1e-6f, "v + m u + g, g unclipped");
        assertEquals("dgc:momentum=0.5,clip=2.0", Memories.parse("dgc:momentum=0.5,clip=2").spec());
        assertEquals("dgc:momentum=0.9", Memories.parse("dgc").spec(), "off by default");
        assertThrows(IllegalArgumentException.class, () -> Memories.parse("dgc:clip=0"));
        assertThrows(IllegalArgumentException.class, () -> Memories.parse("dgc:clip=-1"));
    }

    @Test
    void densityWarmsUpExponentiallyFromAQuarter() {
        int d = 40_000;
        float[] x = new float[d];
        Random r = new Random(4);
        for (int i = 0; i < d; i++) {
            x[i] = (float) r.nextGaussian();
        }
        Compressor c = Compressors.parse("dgc:0.01,warmup=40,values=fp32").create(Layout.single("x", d));
        int[] expected = {10_000, 2_000, 400}; // 25%, geometric midpoint of 25% and 1%, then 1%
        long[] steps = {0, 20, 40};
        for (int t = 0; t < steps.length; t++) {
            int count = ((SparseMessage) c.encode(x, 0, d, new EncodeContext(steps[t], 0, 0, 1))).count();
            assertTrue(count >= 0.7 * expected[t] && count <= 1.3 * expected[t],
                    "step " + steps[t] + ": " + count + " kept, target " + expected[t]);
        }
        assertEquals("dgc:ratio=0.01,sample=0.01,values=fp32,warmup=40",
                Compressors.parse("dgc:0.01,warmup=40,values=fp32").spec());
        assertEquals(Compressors.parse("dgc:0.01").spec(), Compressors.parse(Compressors.parse("dgc:0.01").spec()).spec());
    }

    @Test
    void segmentsSentDenseKeepTheirMomentum() {
        Layout layout = Layout.of(List.of(new Segment("w", 0, 1000), new Segment("b", 1000, 10)));
        Memory mem = Memories.parse("dgc:momentum=0.9").create(layout);
        Compressor c = Compressors.parse("dgc:0.01,dense_below=100").create(layout);
        float[] g = new float[1010];
        java.util.Arrays.fill(g, 1000, 1010, 1f);
        float expected = 0;
        for (int step = 0; step < 5; step++) {
            float[] e = new float[10];
            mem.compensate(1, g, 1000, 10, e);
            float[] sent = new float[10];
            c.decode(c.encode(e, 0, 10, new EncodeContext(step, 1, 0, 1)), sent, 0);
            mem.update(1, e, sent, 10);
            expected = 0.9f * expected + 1f; // momentum SGD: u = m u + g, sent whole
            for (float s : sent) {
                assertEquals(expected, s, 1e-6f, "step " + step + ": the dense bias sends u");
            }
        }
        assertEquals(0, mem.residualNormSquared(), "a dense segment leaves no velocity behind");
    }

    private static double norm(float[] x) {
        double s = 0;
        for (float v : x) {
            s += (double) v * v;
        }
        return Math.sqrt(s);
    }
}
