package io.lamina.compression.sparse;

import static io.lamina.compression.sparse.WireTestSupport.ctx;
import static io.lamina.compression.sparse.WireTestSupport.gaussian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import io.lamina.compression.Compressor;
import io.lamina.compression.method.Compressors;
import io.lamina.compression.granularity.Granularity;
import io.lamina.compression.Layout;
import io.lamina.compression.Message;
import io.lamina.compression.Segment;
import io.lamina.compression.message.DenseMessage;
import io.lamina.compression.method.WireFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SparsifiersTest {

    private static Layout tensors(int... sizes) {
        List<Segment> s = new ArrayList<>();
        int off = 0;
        for (int i = 0; i < sizes.length; i++) {
            s.add(new Segment(i + "_W", off, sizes[i]));
            off += sizes[i];
        }
        return Layout.of(s);
    }

    /** Mean over workers of the compressed gradients, through encode, Kryo, merge and finish. */
    private static float[] aggregate(String spec, Layout layout, float[][] grads, long step) {
        Compressor c = Compressors.parse(spec).create(layout);
        Kryo kryo = WireFormat.newKryo();
        float[] out = new float[layout.totalLength()];
        for (int j = 0; j < layout.size(); j++) {
            Segment seg = layout.get(j);
            Message agg = null;
            for (int w = 0; w < grads.length; w++) {
                Message m = c.encode(grads[w], seg.offset(), seg.length(), ctx(step, j, w));
                m = WireTestSupport.read(kryo, WireTestSupport.write(kryo, m), m.getClass());
                agg = agg == null ? m : c.merge(agg, m);
            }
            agg = WireTestSupport.read(kryo, WireTestSupport.write(kryo, agg), agg.getClass());
            c.finish(agg, out, seg.offset());
        }
        return out;
    }

    @Test
    void thresholdGivesTheSameAnswerInEveryGranularity() {
        Layout layout = tensors(300, 17, 5000, 1, 2000, 64);
        float[][] g = new float[3][];
        for (int w = 0; w < 3; w++) {
            g[w] = gaussian(layout.totalLength(), 100 + w);
        }
        for (String spec : new String[] {"threshold:v=1.5,values=fp32", "threshold:1.5"}) {
            float[] layer = aggregate(spec, Granularity.parse("layer").apply(layout), g, 3);
            float[] model = aggregate(spec, Granularity.parse("model").apply(layout), g, 3);
            float[] bucket = aggregate(spec, Granularity.parse("bucket:1000").apply(layout), g, 3);
            assertArrayEquals(layer, model, spec);
            assertArrayEquals(layer, bucket, spec);
            if (spec.contains("fp32")) {
                for (int i = 0; i < layer.length; i++) {
                    float sum = 0;
                    for (float[] gw : g) {
                        sum += Math.abs(gw[i]) >= 1.5f ? gw[i] : 0;
                    }
                    assertEquals(sum / 3, layer[i], 1e-6f, "element " + i);
                }
            }
        }
    }

    @Test
    void randomKSendsOnlyValuesSharesCoordinatesAndSumsInCodeSpace() {
        int n = 10_000;
        Layout layout = Layout.single("w", n);
        Compressor c = Compressors.parse("randomk:0.05").create(layout);
        Kryo kryo = WireFormat.newKryo();
        float[][] g = {gaussian(n, 1), gaussian(n, 2), gaussian(n, 3)};
        Message agg = null;
        float[] refSum = new float[n];
        int[] support = null;
        for (int w = 0; w < 3; w++) {
            SharedIndexMessage m = (SharedIndexMessage) c.encode(g[w], 0, n, ctx(9, 0, w));
            assertEquals(500, m.k());
            byte[] bytes = WireTestSupport.write(kryo, m);
            assertTrue(bytes.length <= 500 * 4 + 16, "values only: " + bytes.length);
            float[] d = new float[n];
            c.decode(WireTestSupport.read(kryo, bytes, SharedIndexMessage.class), d, 0);
            int[] nz = java.util.stream.IntStream.range(0, n).filter(i -> d[i] != 0).toArray();
            if (support == null) {
                support = nz;
            }
            assertArrayEquals(support, nz, "every worker picks the same coordinates");
            for (int i : nz) {
                assertEquals(g[w][i], d[i]);
                refSum[i] += d[i];
            }
            agg = agg == null ? m : c.merge(agg, m);
        }
        assertInstanceOf(SharedIndexMessage.class, agg);
        assertEquals(3, agg.workers());
        float[] mean = new float[n];
        c.finish(agg, mean, 0);
        for (int i = 0; i < n; i++) {
            assertEquals(refSum[i] / 3, mean[i], 1e-6f);
        }
        Message other = c.encode(g[0], 0, n, ctx(10, 0, 0));
        Message first = c.encode(g[0], 0, n, ctx(9, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> c.merge(first, other));
    }

    @Test
    void scaledRandomKIsUnbiasedWithinFiveSigma() {
        int n = 100;
        int k = 10;
        int draws = 4000;
        float[] x = gaussian(n, 77);
        Compressor c = Compressors.parse("randomk:k=10,scaled=true").create(Layout.single("w", n));
        double[] sum = new double[n];
        float[] d = new float[n];
        for (int t = 0; t < draws; t++) {
            c.decode(c.encode(x, 0, n, ctx(t, 0, 0)), d, 0);
            for (int i = 0; i < n; i++) {
                sum[i] += d[i];
            }
        }
        // per draw C(x)_i is x_i * d/k with probability k/d, else 0: variance x_i^2 (d/k - 1)
        for (int i = 0; i < n; i++) {
            double mean = sum[i] / draws;
            double sigma = Math.abs(x[i]) * Math.sqrt(((double) n / k - 1) / draws);
            assertTrue(Math.abs(mean - x[i]) <= 5 * sigma + 1e-6,
                    "coordinate " + i + ": mean " + mean + " vs " + x[i] + " (5 sigma = " + 5 * sigma + ")");
        }
    }

    @Test
    void adaptiveKeepsAtLeastHalfTheSegmentMaximum() {
        Layout layout = tensors(1000, 50);
        float[] x = gaussian(1050, 5);
        Compressor c = Compressors.parse("adaptive:values=fp32").create(layout);
        for (int j = 0; j < 2; j++) {
            Segment s = layout.get(j);
            float max = 0;
            for (int i = 0; i < s.length(); i++) {
                max = Math.max(max, Math.abs(x[s.offset() + i]));
            }
            float[] d = new float[s.length()];
            c.decode(c.encode(x, s.offset(), s.length(), ctx(0, j, 0)), d, 0);
            for (int i = 0; i < s.length(); i++) {
                float v = x[s.offset() + i];
                assertEquals(Math.abs(v) >= max / 2 ? v : 0f, d[i]);
            }
        }
        SparseMessage zero = (SparseMessage) c.encode(new float[10], 0, 10, ctx(0, 0, 0));
        assertEquals(0, zero.count());
    }

    @Test
    void adaptiveTauTracksTheTargetDensityAndRepeatsAStep() {
        int n = 100_000;
        AdaptiveTauCompressor c = (AdaptiveTauCompressor) Compressors
                .parse("adaptive-tau:density=0.001,initial=1e-3,step=1.1").create(Layout.single("w", n));
        int last = 0;
        for (int t = 0; t < 120; t++) {
            float[] g = gaussian(n, 1000 + t);
            SparseMessage m = (SparseMessage) c.encode(g, 0, n, ctx(t, 0, 0));
            SparseMessage again = (SparseMessage) c.encode(g, 0, n, ctx(t, 0, 0));
            assertArrayEquals(m.indices(), again.indices(), "a rerun of step " + t + " sends the same");
            last = m.count();
        }
        // target 100 of 100,000; tau oscillates within one step factor around the quantile
        assertTrue(last >= 50 && last <= 200, "density tracked: " + last + " kept, target 100");
        assertTrue(c.tau(0) > 2.5 && c.tau(0) < 4.5, "tau near the 0.1% Gaussian quantile 3.29: " + c.tau(0));
    }

    @Test
    void dgcKeepsTheCountInItsBandAndSelectsTheLargest() {
        for (int n : new int[] {1, 50, 1000, 100_000}) {
            for (double ratio : new double[] {0.001, 0.01, 0.1}) {
                for (int kind = 0; kind < 3; kind++) {
                    float[] x = gaussian(n, n + kind);
                    if (kind == 1) {
                        for (int i = 0; i < n; i++) {
                            x[i] = x[i] * x[i] * x[i]; // heavy tails
                        }
                    } else if (kind == 2) {
                        Arrays.fill(x, 0, n / 2, 0f); // half zeros
                    }
                    Compressor c = Compressors.parse("dgc:ratio=" + ratio + ",values=fp32").create(Layout.single("w", n));
                    SparseMessage m = (SparseMessage) c.encode(x, 0, n, ctx(0, 0, 0));
                    int k = (int) Math.max(1, Math.round(ratio * n));
                    assertTrue(m.count() == k || (m.count() >= 0.7 * k && m.count() <= 1.3 * k),
                            "n=" + n + " ratio=" + ratio + " kind=" + kind + ": " + m.count() + " for k=" + k);
                    float minKept = Float.MAX_VALUE;
                    boolean[] kept = new boolean[n];
                    for (int j = 0; j < m.count(); j++) {
                        assertEquals(x[m.indices()[j]], m.values()[j]);
                        minKept = Math.min(minKept, Math.abs(m.values()[j]));
                        kept[m.indices()[j]] = true;
                    }
                    for (int i = 0; i < n; i++) {
                        assertTrue(kept[i] || Math.abs(x[i]) <= minKept, "an unsent element outweighs a sent one");
                    }
                }
            }
        }
    }

    @Test
    void denseBelowSendsSmallSegmentsDenseAndMixedMessagesMerge() {
        Layout layout = tensors(10, 5000, 3, 20_000);
        String spec = "topk:0.05,values=fp32,dense_below=100";
        Compressor c = Compressors.parse(spec).create(layout);
        float[][] g = {gaussian(layout.totalLength(), 1), gaussian(layout.totalLength(), 2), gaussian(layout.totalLength(), 3)};
        float[] ref = new float[layout.totalLength()];
        for (int j = 0; j < layout.size(); j++) {
            Segment s = layout.get(j);
            for (int w = 0; w < 3; w++) {
                Message m = c.encode(g[w], s.offset(), s.length(), ctx(0, j, w));
                if (s.length() < 100) {
                    assertInstanceOf(DenseMessage.class, m);
                } else {
                    assertInstanceOf(SparseMessage.class, m);
                }
                float[] d = new float[s.length()];
                c.decode(m, d, 0);
                for (int i = 0; i < d.length; i++) {
                    ref[s.offset() + i] += d[i];
                }
            }
        }
        for (int i = 0; i < ref.length; i++) {
            ref[i] /= 3;
        }
        float[] got = aggregate(spec, layout, g, 0);
        for (int i = 0; i < ref.length; i++) {
            assertEquals(ref[i], got[i], 1e-6f, "element " + i);
        }
    }

    @Test
    void everySparsifierRoundTripsItsSelectionExactlyInFp32() {
        int n = 20_000;
        float[] x = gaussian(n, 8);
        Kryo kryo = WireFormat.newKryo();
        for (String spec : new String[] {"topk:0.01,values=fp32", "randomk:0.01", "randomk:0.01,scaled=true",
            "threshold:v=2,values=fp32", "adaptive:values=fp32", "adaptive-tau:density=0.01,values=fp32",
            "dgc:0.01,values=fp32"}) {
            Compressor c = Compressors.parse(spec).create(Layout.single("w", n));
            Message m = c.encode(x, 0, n, ctx(5, 0, 1));
            Message back = WireTestSupport.read(kryo, WireTestSupport.write(kryo, m), m.getClass());
            float[] d1 = new float[n];
            float[] d2 = new float[n];
            c.decode(m, d1, 0);
            c.decode(back, d2, 0);
            assertArrayEquals(d1, d2, spec);
            float scale = spec.contains("scaled") ? 100f : 1f;
            int nonzero = 0;
            for (int i = 0; i < n; i++) {
                if (d1[i] != 0) {
                    nonzero++;
                    assertEquals(x[i] * scale, d1[i], spec + " element " + i);
                }
            }
            assertTrue(nonzero > 0, spec);
        }
    }
}
