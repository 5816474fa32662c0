package io.lamina.compression.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lamina.compression.method.Compressors;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.Layout;
import org.junit.jupiter.api.Test;

class TopKWarmupTest {

    @Test
    void densityDecaysExponentiallyFromAQuarterToTheTarget() {
        int d = 100_000;
        TopKCompressor c = (TopKCompressor) Compressors.parse("topk:0.01,warmup=40").create(Layout.single("x", d));
        assertEquals(25_000, c.k(d, 0));
        assertEquals(5_000, c.k(d, 20), 1); // geometric midpoint of 25% and 1%
        assertEquals(1_000, c.k(d, 40));
        assertEquals(1_000, c.k(d, 1_000));
        for (int t = 1; t <= 40; t++) {
            assertTrue(c.k(d, t) <= c.k(d, t - 1), "k must not grow at step " + t);
        }
    }

    @Test
    void theMessageCarriesTheWarmUpK() {
        int d = 4_000;
        float[] x = new float[d];
        for (int i = 0; i < d; i++) {
            x[i] = (float) Math.sin(i * 0.37) * (1 + i % 13);
        }
        var c = Compressors.parse("topk:0.01,warmup=10").create(Layout.single("x", d));
        assertEquals(1_000, ((SparseMessage) c.encode(x, 0, d, new EncodeContext(0, 0, 0, 1))).count());
        assertEquals(40, ((SparseMessage) c.encode(x, 0, d, new EncodeContext(10, 0, 0, 1))).count());
        assertEquals(Compressors.parse("topk:0.01,warmup=10").spec(),
                Compressors.parse(Compressors.parse("topk:0.01,warmup=10").spec()).spec(), "spec round trip");
    }
}
