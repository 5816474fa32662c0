package io.lamina.compression.quant;

import static io.lamina.compression.quant.QuantTestSupport.create;
import static io.lamina.compression.quant.QuantTestSupport.ctx;
import static io.lamina.compression.quant.QuantTestSupport.decode;
import static io.lamina.compression.quant.QuantTestSupport.gaussian;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lamina.compression.Compressor;
import org.junit.jupiter.api.Test;

/**
 * Unbiasedness of the stochastic quantisers over {@value #DRAWS} draws (fixed seeds, one per
 * step). Per element the mean must lie within 5 standard errors of the target, the standard
 * error computed from the method's known per-element variance, plus the size of one extra
 * rounding event (the normal approximation is poor for tiny probabilities).
 */
class UnbiasednessTest {

    private static final int DRAWS = 2000;

    /** Runs the draws and returns the mean of the decoded values and the mean squared error. */
    private static double[] meanOf(Compressor c, float[] v, double[] sqErr) {
        double[] sum = new double[v.length];
        double err = 0;
        for (int t = 0; t < DRAWS; t++) {
            float[] d = decode(c, c.encode(v, 0, v.length, ctx(t, 3)));
            for (int i = 0; i < v.length; i++) {
                sum[i] += d[i];
                err += (d[i] - (double) v[i]) * (d[i] - (double) v[i]);
            }
        }
        for (int i = 0; i < v.length; i++) {
            sum[i] /= DRAWS;
        }
        sqErr[0] = err / DRAWS;
        return sum;
    }

    /**
     * Checks mean[i] against target[i] for a two-point distribution with gap {@code gap[i]} and
     * up-probability {@code p[i]}: variance gap^2 p (1 - p).
     */
    private static void assertUnbiased(String what, double[] mean, double[] target, double[] gap, double[] p) {
        for (int i = 0; i < mean.length; i++) {
            double var = gap[i] * gap[i] * p[i] * (1 - p[i]);
            double bound = 5 * Math.sqrt(var / DRAWS) + gap[i] / DRAWS + 1e-6 * Math.abs(target[i]) + 1e-30;
            assertTrue(Math.abs(mean[i] - target[i]) <= bound, what + ": element " + i + " mean "
                    + mean[i] + " vs " + target[i] + ", bound " + bound);
        }
    }

    @Test
    void eightBitWithStochasticRoundingIsUnbiased() {
        int d = 256;
        float[] v = gaussian(d, 12);
        v[7] = 0f;
        v[8] = -1e-9f; // below the smallest table value: rounds to 0 or to it
        Compressor c = create("8bit:rounding=stochastic", d);
        double[] sqErr = new double[1];
        double[] mean = meanOf(c, v, sqErr);
        float scale = ((io.lamina.compression.quant.EightBitMessage) c.encode(v, 0, d, ctx(0, 3))).scale();
        double[] target = new double[d];
        double[] gap = new double[d];
        double[] p = new double[d];
        for (int i = 0; i < d; i++) {
            float a = (float) (Math.abs(v[i]) * (1.0 / scale));
            int f = DynamicTable.floorCode(a);
            double lo = DynamicTable.value(f);
            double hi = f < 127 ? DynamicTable.value(f + 1) : lo;
            target[i] = v[i];
            gap[i] = (hi - lo) * scale;
            p[i] = hi > lo ? (a - lo) / (hi - lo) : 0;
        }
        assertUnbiased("8bit:rounding=stochastic", mean, target, gap, p);
        // nearest rounding is biased on the same input (the reason for the option)
        double[] nearest = meanOf(create("8bit", d), v, new double[1]);
        double bias = 0;
        for (int i = 0; i < d; i++) {
            bias = Math.max(bias, Math.abs(nearest[i] - v[i]));
        }
        assertTrue(bias > 1e-3 * scale, "nearest rounding shows no bias: " + bias);
    }

    @Test
    void qsgdIsUnbiasedAndWithinItsVarianceBound() {
        int d = 256;
        float[] v = gaussian(d, 11);
        for (int s : new int[] {1, 4, 127}) {
            Compressor c = create("qsgd:s=" + s, d);
            double[] sqErr = new double[1];
            double[] mean = meanOf(c, v, sqErr);
            float norm = ((QsgdMessage) c.encode(v, 0, d, ctx(0, 3))).norm();
            double norm2 = 0;
            for (float x : v) {
                norm2 += (double) x * x;
            }
            assertEquals(Math.sqrt(norm2), norm, 1e-6 * norm);
            double[] target = new double[d];
            double[] gap = new double[d];
            double[] p = new double[d];
            double expectedErr = 0;
            for (int i = 0; i < d; i++) {
                double a = Math.abs(v[i]) / (double) norm * s;
                target[i] = v[i];
                gap[i] = norm / (double) s;
                p[i] = a - Math.floor(a);
                expectedErr += gap[i] * gap[i] * p[i] * (1 - p[i]);
            }
            assertUnbiased("qsgd s=" + s, mean, target, gap, p);
            // the paper's bound (Lemma 3.1), on the exact expectation and on the measured one
            double bound = Math.min(d / (double) s / s, Math.sqrt(d) / s) * norm2;
            assertTrue(expectedErr <= bound, "expected error " + expectedErr + " above bound " + bound);
            assertTrue(sqErr[0] <= bound, "measured error " + sqErr[0] + " above bound " + bound);
            assertEquals(expectedErr, sqErr[0], 0.1 * expectedErr, "measured variance far from the exact one");
        }
    }

    @Test
    void bucketedQsgdIsUnbiasedAndWithinThePerBucketVarianceBound() {
        int d = 300;
        int bucket = 64; // four full buckets and one of 44
        float[] v = gaussian(d, 13);
        for (int i = 0; i < 64; i++) {
            v[i] *= 100; // one loud bucket: a whole-segment norm would flatten the others
        }
        for (int s : new int[] {1, 4}) {
            Compressor c = create("qsgd:s=" + s + ",bucket=" + bucket, d);
            double[] sqErr = new double[1];
            double[] mean = meanOf(c, v, sqErr);
            float[] norms = ((QsgdMessage) c.encode(v, 0, d, ctx(0, 3))).norms();
            assertEquals(5, norms.length);
            double[] target = new double[d];
            double[] gap = new double[d];
            double[] p = new double[d];
            double expectedErr = 0;
            double bound = 0;
            for (int b = 0; b < norms.length; b++) {
                int start = b * bucket;
                int end = Math.min(d, start + bucket);
                double norm2 = 0;
                for (int i = start; i < end; i++) {
                    norm2 += (double) v[i] * v[i];
                }
                assertEquals(Math.sqrt(norm2), norms[b], 1e-6 * norms[b]);
                for (int i = start; i < end; i++) {
                    double a = Math.abs(v[i]) / (double) norms[b] * s;
                    target[i] = v[i];
                    gap[i] = norms[b] / (double) s;
                    p[i] = a - Math.floor(a);
                    expectedErr += gap[i] * gap[i] * p[i] * (1 - p[i]);
                }
                // Lemma 3.1 per bucket, with d = the bucket's size
                bound += Math.min((end - start) / (double) s / s, Math.sqrt(end - start) / s) * norm2;
            }
            assertUnbiased("qsgd s=" + s + " bucket=" + bucket, mean, target, gap, p);
            assertTrue(expectedErr <= bound, "expected error " + expectedErr + " above bound " + bound);
            assertTrue(sqErr[0] <= bound, "measured error " + sqErr[0] + " above bound " + bound);
            assertEquals(expectedErr, sqErr[0], 0.1 * expectedErr, "measured variance far from the exact one");
        }
    }

    @Test
    void roundingToNearestWouldFailTheSameCheck() {
        // sanity check of the statistical test: a biased quantiser (always round down) is caught
        int d = 256;
        float[] v = gaussian(d, 11);
        Compressor c = create("qsgd:s=4", d);
        float norm = ((QsgdMessage) c.encode(v, 0, d, ctx(0, 3))).norm();
        double worst = 0;
        for (int i = 0; i < d; i++) {
            double a = Math.abs(v[i]) / (double) norm * 4;
            double down = Math.signum(v[i]) * Math.floor(a) * norm / 4;
            double p = a - Math.floor(a);
            double gap = norm / 4.0;
            double bound = 5 * Math.sqrt(gap * gap * p * (1 - p) / DRAWS) + gap / DRAWS;
            worst = Math.max(worst, Math.abs(down - v[i]) / bound);
        }
        assertTrue(worst > 1, "the bound is too loose to detect a biased rounding");
    }

    @Test
    void bucketedTernGradIsUnbiasedForEachBucketsClippedGradient() {
        int d = 300;
        int bucket = 64; // four full buckets and one of 44
        float[] g = gaussian(d, 14);
        g[5] = 40f; // an outlier of bucket 0 is clipped at its bucket's 2.5 sigma
        for (int i = 64; i < 128; i++) {
            g[i] *= 0.01f; // a quiet bucket keeps its own small scaler
        }
        for (int i = 128; i < 192; i++) {
            g[i] = 0.5f; // a constant bucket: sigma 0, nothing sent
        }
        Compressor c = create("terngrad:bucket=" + bucket, d);
        TernaryMessage m = (TernaryMessage) c.encode(g, 0, d, ctx(0, 3));
        assertEquals(5, m.scales().length);
        double[] clipped = new double[d];
        double[] gap = new double[d];
        double[] p = new double[d];
        for (int b = 0; b < 5; b++) {
            int start = b * bucket;
            int end = Math.min(d, start + bucket);
            double mean = 0;
            for (int i = start; i < end; i++) {
                mean += g[i];
            }
            mean /= end - start;
            double var = 0;
            for (int i = start; i < end; i++) {
                var += (g[i] - mean) * (g[i] - mean);
            }
            double clip = 2.5 * Math.sqrt(var / (end - start));
            double st = 0;
            for (int i = start; i < end; i++) {
                clipped[i] = Math.max(-clip, Math.min(clip, g[i]));
                st = Math.max(st, Math.abs(clipped[i]));
            }
            assertEquals(st, m.scales()[b], 1e-5 * st + 1e-6, "scaler of bucket " + b);
            for (int i = start; i < end; i++) {
                gap[i] = st;
                p[i] = st == 0 ? 0 : Math.abs(clipped[i]) / st;
            }
        }
        assertEquals(0f, m.scales()[2], "a constant bucket has sigma 0");
        assertTrue(m.scales()[1] < 0.1f * m.scales()[3], "the quiet bucket's scaler is its own");
        double[] sqErr = new double[1];
        double[] avg = meanOf(c, g, sqErr);
        for (int i = 128; i < 192; i++) {
            clipped[i] = 0; // st = 0 sends zeros: the paper's clip at 0 * sigma
        }
        assertUnbiased("terngrad bucket=" + bucket, avg, clipped, gap, p);
        assertTrue(Math.abs(avg[5] - g[5]) > 10, "the outlier was not clipped in its bucket");
    }

    @Test
    void ternGradIsUnbiasedForTheClippedGradient() {
        int d = 300;
        float[] g = gaussian(d, 12);
        g[5] = 40f; // outliers beyond 2.5 sigma get clipped
        g[6] = -35f;
        Compressor c = create("terngrad", d);
        // slow reference of the clipping, in double
        double mean = 0;
        for (float x : g) {
            mean += x;
        }
        mean /= d;
        double var = 0;
        for (float x : g) {
            var += (x - mean) * (x - mean);
        }
        double clip = 2.5 * Math.sqrt(var / d);
        double[] clipped = new double[d];
        double st = 0;
        for (int i = 0; i < d; i++) {
            clipped[i] = Math.max(-clip, Math.min(clip, g[i]));
            st = Math.max(st, Math.abs(clipped[i]));
        }
        assertTrue(st < 40, "the outliers were not clipped");
        TernaryMessage m = (TernaryMessage) c.encode(g, 0, d, ctx(0, 3));
        assertEquals(st, m.scale(), 1e-5 * st);
        double[] sqErr = new double[1];
        double[] avg = meanOf(c, g, sqErr);
        double[] gap = new double[d];
        double[] p = new double[d];
        for (int i = 0; i < d; i++) {
            gap[i] = st;
            p[i] = Math.abs(clipped[i]) / st;
        }
        assertUnbiased("terngrad", avg, clipped, gap, p);
        // and it is biased for the unclipped outlier, as the paper says
        assertTrue(Math.abs(avg[5] - g[5]) > 10);
    }

    @Test
    void naturalCompressionIsUnbiased() {
        int d = 300;
        float[] v = gaussian(d, 13);
        v[20] = 0x1.8p-135f; // a subnormal
        Compressor c = create("natural", d);
        double[] sqErr = new double[1];
        double[] mean = meanOf(c, v, sqErr);
        double[] target = new double[d];
        double[] gap = new double[d];
        double[] p = new double[d];
        for (int i = 0; i < d; i++) {
            double a = Math.abs(v[i]);
            target[i] = v[i];
            double lo = a < 0x1p-126 ? 0 : Math.scalb(1.0, Math.getExponent(v[i]));
            gap[i] = a < 0x1p-126 ? 0x1p-126 : lo;
            p[i] = a == 0 ? 0 : (a - lo) / gap[i];
        }
        assertUnbiased("natural", mean, target, gap, p);
    }
}
