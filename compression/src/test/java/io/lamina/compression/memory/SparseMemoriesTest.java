package io.lamina.compression.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lamina.compression.Compressor;
import io.lamina.compression.method.Compressors;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.Layout;
import io.lamina.compression.method.Memories;
import io.lamina.compression.Memory;
import io.lamina.compression.Segment;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SparseMemoriesTest {

    private static float[] gaussian(int n, Random r) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    @Test
    void errorFeedbackConservesMass() {
        Layout layout = Layout.of(List.of(new Segment("a", 0, 3000), new Segment("b", 3000, 500)));
        for (String memSpec : new String[] {"residual", "residual:beta=0.5,gamma=2", "efsign:lr=0.1"}) {
            for (String cSpec : new String[] {"topk:0.01", "threshold:1.0", "randomk:0.05,scaled=true"}) {
                Memory mem = Memories.parse(memSpec).create(layout);
                Compressor c = Compressors.parse(cSpec).create(layout);
                Random r = new Random(5);
                float[][] residual = {new float[3000], new float[500]};
                float beta = memSpec.contains("beta") ? 0.5f : 1f;
                float gamma = memSpec.contains("gamma") ? 2f : memSpec.startsWith("efsign") ? 0.1f : 1f;
                for (int step = 0; step < 5; step++) {
                    float[] g = gaussian(3500, r);
                    for (int j = 0; j < 2; j++) {
                        Segment s = layout.get(j);
                        float[] e = new float[s.length()];
                        float[] sent = new float[s.length()];
                        mem.compensate(j, g, s.offset(), s.length(), e);
                        c.decode(c.encode(e, 0, s.length(), new EncodeContext(step, j, 0, 1)), sent, 0);
                        mem.update(j, e, sent, s.length());
                        for (int i = 0; i < s.length(); i++) {
                            float expectE = beta * residual[j][i] + gamma * g[s.offset() + i];
                            assertEquals(expectE, e[i], 1e-5f, memSpec + " compensate");
                            residual[j][i] = e[i] - sent[i];
                            // sent + new residual == compensated (to float rounding)
                            assertEquals(e[i], sent[i] + residual[j][i], 1e-6f * Math.max(1, Math.abs(sent[i])));
                        }
                    }
                    // the memory holds exactly that residual
                    double expected = 0;
                    for (float[] rr : residual) {
                        for (float v : rr) {
                            expected += (double) v * v;
                        }
                    }
                    assertEquals(expected, mem.residualNormSquared(), 1e-6 * Math.max(1, expected),
                            memSpec + " / " + cSpec + " residual norm");
                }
            }
        }
        assertEquals("efsign:lr=0.1", Memories.parse("efsign:lr=0.1").spec());
        assertEquals("residual:beta=1.0,gamma=1.0", Memories.parse("residual").spec());
        assertThrows(IllegalArgumentException.class, () -> Memories.parse("residual:alpha=1"));
        assertThrows(IllegalArgumentException.class, () -> Memories.parse("dgc:momentum=1"));
    }

    @Test
    void dgcMomentumCorrectionAndMasking() {
        int n = 2000;
        Layout layout = Layout.single("w", n);
        DgcMemory mem = (DgcMemory) Memories.parse("dgc:momentum=0.9").create(layout);
        Compressor c = Compressors.parse("topk:0.02,values=fp32").create(layout);
        float[] u = new float[n];
        float[] v = new float[n];
        Random r = new Random(9);
        for (int step = 0; step < 6; step++) {
            float[] g = gaussian(n, r);
            float[] e = new float[n];
            float[] sent = new float[n];
            mem.compensate(0, g, 0, n, e);
            for (int i = 0; i < n; i++) {
                u[i] = 0.9f * u[i] + g[i];
                v[i] = v[i] + u[i];
                assertEquals(v[i], e[i], "e = v + (m u + g)");
            }
            c.decode(c.encode(e, 0, n, new EncodeContext(step, 0, 0, 1)), sent, 0);
            mem.update(0, e, sent, n);
            int masked = 0;
            float[] mu = mem.momentum(0);
            for (int i = 0; i < n; i++) {
                if (sent[i] != 0) {
                    masked++;
                    assertEquals(e[i], sent[i], "fp32 sends v exactly");
                    assertEquals(0f, mu[i], "momentum masked where sent");
                    u[i] = 0;
                    v[i] = 0;
                } else {
                    assertEquals(u[i], mu[i], "momentum kept where not sent");
                }
            }
            assertEquals(40, masked);
            double vn = 0;
            for (float x : v) {
                vn += (double) x * x;
            }
            assertEquals(vn, mem.residualNormSquared(), 1e-6 * vn, "velocity zeroed where sent, kept elsewhere");
        }
    }
}
