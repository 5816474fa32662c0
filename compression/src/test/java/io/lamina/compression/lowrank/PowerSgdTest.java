package io.lamina.compression.lowrank;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lamina.compression.Compressor;
import io.lamina.compression.method.Compressors;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.Layout;
import io.lamina.compression.Message;
import io.lamina.compression.Segment;
import io.lamina.compression.TwoRoundCompressor;
import io.lamina.compression.message.DenseMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PowerSgdTest {

    private static final long RUN_SEED = 42L;

    // ---------------------------------------------------------------- spec and geometry

    @Test
    void specParsesValidatesAndRoundTrips() throws Exception {
        PowerSgdSpec def = (PowerSgdSpec) Compressors.parse("powersgd");
        assertEquals(2, def.rank());
        assertTrue(def.warmStart());
        PowerSgdSpec s = (PowerSgdSpec) Compressors.parse("powersgd:rank=4,warmstart=false");
        assertEquals(4, s.rank());
        assertFalse(s.warmStart());
        assertEquals(3, ((PowerSgdSpec) Compressors.parse("powersgd:3")).rank());
        assertEquals(s, Compressors.parse(s.spec()));
        assertTrue(Compressors.names().contains("powersgd"));
        for (String bad : List.of("powersgd:rank=0", "powersgd:rank=-1", "powersgd:rank=two",
                "powersgd:rank=2,warmstart=maybe", "powersgd:rank=2,k=3", "powersgd:rank=100000")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Compressors.parse(bad), bad);
            assertTrue(e.getMessage().contains("powersgd") || e.getMessage().contains(bad), e.getMessage());
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(s);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(s, in.readObject());
        }
        assertInstanceOf(TwoRoundCompressor.class, s.create(Layout.single("w", 100)));
    }

    @Test
    void matrixShapesFollowTheTensorShapeOrFoldNearSquare() {
        assertEquals(new MatrixShape(12, 3, 4), MatrixShape.of(new Segment("w", 0, 12, new int[] {3, 4})));
        assertEquals(new MatrixShape(216, 8, 27), MatrixShape.of(new Segment("c", 0, 216, new int[] {8, 3, 3, 3})));
        MatrixShape bias = MatrixShape.of(new Segment("b", 0, 10));
        assertEquals(new MatrixShape(10, 3, 4), bias);
        assertEquals(2, bias.padded());
        assertFalse(bias.compressible(2), "2 (3 + 4) 2 > 10: a bias travels dense");
        assertTrue(new MatrixShape(400, 20, 20).compressible(5), "2 (20 + 20) 5 <= 400");
        assertFalse(new MatrixShape(400, 20, 20).compressible(6), "below a 2x saving: dense");
        assertEquals(new MatrixShape(1_000_000, 1000, 1000), MatrixShape.of(new Segment("m", 0, 1_000_000, new int[0])));
        assertTrue(MatrixShape.nearSquare(1_000_000).compressible(2));
        assertEquals(new MatrixShape(9_998_244, 3162, 3162), MatrixShape.nearSquare(9_998_244));
        // a shape that does not match the length is ignored
        assertEquals(MatrixShape.nearSquare(11), MatrixShape.of(new Segment("x", 0, 11, new int[] {3, 4})));
        for (int len = 1; len < 2000; len++) {
            MatrixShape m = MatrixShape.nearSquare(len);
            assertTrue(m.padded() < m.cols() && m.cols() - m.rows() <= 1 + m.padded(), m.toString());
        }
        PowerSgdCompressor c = new PowerSgdCompressor(Layout.of(List.of(
                new Segment("w", 0, 600, new int[] {30, 20}), new Segment("b", 600, 20))), 2, true, false);
        assertTrue(c.lowRank(0));
        assertFalse(c.lowRank(1));
    }

    // ---------------------------------------------------------------- maths

    @Test
    void fullRankWithOneWorkerReconstructsExactly() {
        Random rnd = new Random(1);
        for (Segment seg : List.of(new Segment("w", 0, 54, new int[] {6, 9}),
                new Segment("v", 0, 23), new Segment("t", 0, 60, new int[] {10, 6}))) {
            MatrixShape shape = MatrixShape.of(seg);
            int r = Math.min(shape.rows(), shape.cols());
            PowerSgdCompressor c = new PowerSgdCompressor(Layout.of(List.of(seg)), r, true, true);
            float[] m = gaussian(rnd, seg.length());
            float[] update = runOneWorkerStep(c, m, 0);
            assertClose(m, update, 1e-4, seg.toString());
        }
    }

    @Test
    void orthogonalisedPHasOrthonormalColumns() {
        Random rnd = new Random(2);
        Segment seg = new Segment("w", 0, 200 * 50, new int[] {200, 50});
        PowerSgdCompressor c = new PowerSgdCompressor(Layout.of(List.of(seg)), 4, true, false);
        Message p = c.round1(gaussian(rnd, seg.length()), 0, seg.length(), ctx(0, 0, 0));
        FactorMessage hat = (FactorMessage) c.finishRound1(p);
        assertEquals(200, hat.rows());
        assertEquals(4, hat.cols());
        float[] f = hat.values();
        for (int a = 0; a < 4; a++) {
            for (int b = 0; b < 4; b++) {
                double dot = 0;
                for (int i = 0; i < 200; i++) {
                    dot += (double) f[a * 200 + i] * f[b * 200 + i];
                }
                assertEquals(a == b ? 1.0 : 0.0, dot, 1e-5, "P^T P at (" + a + ", " + b + ")");
            }
        }
        // the round-1 aggregate is not modified by orthogonalisation
        assertFalse(((FactorMessage) p).values()[0] == f[0] && ((FactorMessage) p).values()[1] == f[1]);
    }

    @Test
    void warmStartPowerIterationConvergesToTheBestRankRApproximation() {
        int n = 60;
        int m = 40;
        double[] sigma = {10, 6, 3, 1, 0.5, 0.2};
        float[] mat = withSpectrum(new Random(3), n, m, sigma);
        double optimal = 0;
        for (int i = 2; i < sigma.length; i++) {
            optimal += sigma[i] * sigma[i];
        }
        optimal = Math.sqrt(optimal);
        Segment seg = new Segment("w", 0, n * m, new int[] {n, m});
        PowerSgdCompressor c = new PowerSgdCompressor(Layout.of(List.of(seg)), 2, true, false);
        double previous = Double.MAX_VALUE;
        double first = 0;
        double last = 0;
        for (int step = 0; step < 30; step++) {
            double err = distance(mat, runOneWorkerStep(c, mat, step));
            assertTrue(err <= previous * (1 + 1e-5) + 1e-6, "step " + step + ": error " + err + " after " + previous);
            if (step == 0) {
                first = err;
            }
            previous = err;
            last = err;
        }
        assertTrue(first > optimal * 1.05, "one step from a random Q is not yet optimal: " + first + " vs " + optimal);
        assertEquals(optimal, last, optimal * 1e-3, "converged to the Eckart-Young optimum");
        assertTrue(last >= optimal * (1 - 1e-4), "cannot beat the optimum");
    }

    @Test
    void twoWorkersMatchASingleJvmReferenceOnTheSummedMatrices() {
        int n = 30;
        int m = 20;
        int rank = 3;
        Layout layout = Layout.of(List.of(new Segment("w", 0, n * m, new int[] {n, m}),
                new Segment("b", n * m, 20)));
        PowerSgdSpec spec = new PowerSgdSpec(rank, true);
        TwoRoundCompressor w0 = (TwoRoundCompressor) spec.create(layout);
        TwoRoundCompressor w1 = (TwoRoundCompressor) spec.create(layout);
        TwoRoundCompressor driver = (TwoRoundCompressor) spec.create(layout);
        Random rnd = new Random(4);
        double[][] refQ = null;
        for (int step = 0; step < 4; step++) {
            float[] g0 = gaussian(rnd, layout.totalLength());
            float[] g1 = gaussian(rnd, layout.totalLength());
            float[][] updates = new float[3][layout.totalLength()];
            for (int j = 0; j < layout.size(); j++) {
                Segment s = layout.get(j);
                float[] e0 = java.util.Arrays.copyOfRange(g0, s.offset(), s.end());
                float[] e1 = java.util.Arrays.copyOfRange(g1, s.offset(), s.end());
                Message a1 = driver.merge(w0.round1(e0, 0, s.length(), ctx(step, j, 0)),
                        w1.round1(e1, 0, s.length(), ctx(step, j, 1)));
                Message d1 = driver.finishRound1(a1);
                Message a2 = driver.merge(w0.round2(e0, 0, s.length(), d1, ctx(step, j, 0)),
                        w1.round2(e1, 0, s.length(), d1, ctx(step, j, 1)));
                assertEquals(2, a2.workers());
                int k = 0;
                for (TwoRoundCompressor c : List.of(w0, w1, driver)) {
                    c.finishRound2(j, d1, a2, updates[k++], s.offset());
                }
                if (j == 1) {
                    assertFalse(w0.lowRank(1));
                    assertInstanceOf(DenseMessage.class, d1);
                    assertTrue(((FactorMessage) a2).isEmpty());
                }
            }
            assertArrayEquals(updates[0], updates[1], "every replica applies the same bits");
            assertArrayEquals(updates[0], updates[2], "every replica applies the same bits");
            // reference on the summed matrix, in double
            double[][] sum = new double[n][m];
            for (int i = 0; i < n * m; i++) {
                sum[i / m][i % m] = (double) g0[i] + g1[i];
            }
            if (refQ == null) {
                float[] q0 = LowRankMath.randomOrthonormal(ctx(0, 0, 0).sharedSeed(), m, rank);
                refQ = new double[m][rank];
                for (int i = 0; i < m; i++) {
                    for (int c = 0; c < rank; c++) {
                        refQ[i][c] = q0[c * m + i];
                    }
                }
            }
            double[][] p = gramSchmidt(times(sum, refQ));
            double[][] q = times(transpose(sum), p);
            for (double[] row : q) {
                for (int c = 0; c < rank; c++) {
                    row[c] /= 2;
                }
            }
            double[][] ref = times(p, transpose(q));
            for (int i = 0; i < n * m; i++) {
                assertEquals(ref[i / m][i % m], updates[0][i], 1e-4, "step " + step + " element " + i);
            }
            for (int i = n * m; i < layout.totalLength(); i++) {
                assertEquals((g0[i] + g1[i]) / 2, updates[0][i], 1e-6, "dense bias is the plain mean");
            }
            refQ = q;
        }
    }

    @Test
    void withoutWarmStartEachStepDrawsAFreshSharedQ() {
        Segment seg = new Segment("w", 0, 400, new int[] {20, 20});
        float[] mat = gaussian(new Random(5), 400);
        PowerSgdCompressor a = new PowerSgdCompressor(Layout.of(List.of(seg)), 2, false, false);
        PowerSgdCompressor b = new PowerSgdCompressor(Layout.of(List.of(seg)), 2, false, false);
        float[] first = runOneWorkerStep(a, mat, 7);
        runOneWorkerStep(b, mat, 3);
        assertArrayEquals(first, runOneWorkerStep(b, mat, 7), "no state: the result depends on the step only");
    }

    @Test
    void aReplicaRestoredFromTheDriversSharedStateContinuesBitForBit() {
        Segment seg = new Segment("w", 0, 600, new int[] {30, 20});
        Layout layout = Layout.of(List.of(seg));
        Random rnd = new Random(10);
        PowerSgdCompressor worker = new PowerSgdCompressor(layout, 2, true, false);
        PowerSgdCompressor driver = new PowerSgdCompressor(layout, 2, true, false);
        for (int step = 0; step < 3; step++) {
            float[] g = gaussian(rnd, 600);
            Message d1 = driver.finishRound1(worker.round1(g, 0, 600, ctx(step, 0, 0)));
            Message a2 = worker.round2(g, 0, 600, d1, ctx(step, 0, 0));
            worker.finishRound2(0, d1, a2, new float[600], 0);
            driver.finishRound2(0, d1, a2, new float[600], 0);
        }
        PowerSgdCompressor rebuilt = new PowerSgdCompressor(layout, 2, true, false);
        rebuilt.restoreSharedState(driver.sharedState());
        PowerSgdCompressor fresh = new PowerSgdCompressor(layout, 2, true, false);
        float[] g = gaussian(rnd, 600);
        float[] expected = runOneWorkerStep(worker, g, 3);
        assertArrayEquals(expected, runOneWorkerStep(rebuilt, g, 3));
        assertFalse(java.util.Arrays.equals(expected, runOneWorkerStep(fresh, g, 3)),
                "without the shared state the replica would start from a different Q");
        assertThrows(IllegalArgumentException.class, () -> rebuilt.restoreSharedState(new float[][] {new float[7]}));
    }

    @Test
    void singleRoundPathAndMismatchedMessagesFailClearly() {
        Layout layout = Layout.of(List.of(new Segment("w", 0, 400, new int[] {20, 20}), new Segment("b", 400, 4)));
        Compressor c = new PowerSgdSpec(2, true).create(layout);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> c.encode(new float[400], 0, 400, ctx(0, 0, 0)));
        assertTrue(e.getMessage().contains("TwoRoundCompressor"));
        assertThrows(UnsupportedOperationException.class, () -> c.decode(new DenseMessage(new float[4], 1), new float[4], 0));
        TwoRoundCompressor t = (TwoRoundCompressor) c;
        Message p = t.round1(new float[400], 0, 400, ctx(0, 0, 0));
        Message dense = t.round1(new float[4], 0, 4, ctx(0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> t.merge(p, dense));
        assertThrows(IllegalArgumentException.class, () -> t.round1(new float[400], 0, 399, ctx(0, 0, 0)));
        assertThrows(IllegalArgumentException.class, () -> t.round2(new float[400], 0, 400, dense, ctx(0, 0, 0)));
        // a zero gradient gives a zero update (+-0: P^ is re-drawn, Q = 0), not NaN
        float[] out = new float[400];
        Message d1 = t.finishRound1(p);
        t.finishRound2(0, d1, t.round2(new float[400], 0, 400, d1, ctx(0, 0, 0)), out, 0);
        for (float v : out) {
            assertEquals(0f, Math.abs(v));
        }
    }

    // ---------------------------------------------------------------- helpers

    static EncodeContext ctx(long step, int segment, int worker) {
        return new EncodeContext(step, segment, worker, RUN_SEED);
    }

    /** Both rounds with a single worker on segment 0 of the compressor's layout. */
    static float[] runOneWorkerStep(TwoRoundCompressor c, float[] m, long step) {
        Message d1 = c.finishRound1(c.round1(m, 0, m.length, ctx(step, 0, 0)));
        Message a2 = c.round2(m, 0, m.length, d1, ctx(step, 0, 0));
        float[] out = new float[m.length];
        c.finishRound2(0, d1, a2, out, 0);
        return out;
    }

    static float[] gaussian(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }

    /** U diag(sigma) V^T with random orthonormal U (n x k) and V (m x k), row-major. */
    static float[] withSpectrum(Random rnd, int n, int m, double[] sigma) {
        int k = sigma.length;
        double[][] u = gramSchmidt(randomMatrix(rnd, n, k));
        double[][] v = gramSchmidt(randomMatrix(rnd, m, k));
        float[] out = new float[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double s = 0;
                for (int c = 0; c < k; c++) {
                    s += u[i][c] * sigma[c] * v[j][c];
                }
                out[i * m + j] = (float) s;
            }
        }
        return out;
    }

    static double[][] randomMatrix(Random rnd, int n, int k) {
        double[][] a = new double[n][k];
        for (double[] row : a) {
            for (int c = 0; c < k; c++) {
                row[c] = rnd.nextGaussian();
            }
        }
        return a;
    }

    /** Classical Gram-Schmidt on the columns, the textbook way. */
    static double[][] gramSchmidt(double[][] a) {
        int n = a.length;
        int k = a[0].length;
        double[][] q = new double[n][k];
        for (int c = 0; c < k; c++) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = a[i][c];
            }
            for (int p = 0; p < c; p++) {
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += q[i][p] * a[i][c];
                }
                for (int i = 0; i < n; i++) {
                    v[i] -= dot * q[i][p];
                }
            }
            double norm = 0;
            for (double x : v) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                q[i][c] = v[i] / norm;
            }
        }
        return q;
    }

    static double[][] times(double[][] a, double[][] b) {
        double[][] c = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b[0].length; j++) {
                double s = 0;
                for (int k = 0; k < b.length; k++) {
                    s += a[i][k] * b[k][j];
                }
                c[i][j] = s;
            }
        }
        return c;
    }

    static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    static double distance(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    static void assertClose(float[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol * Math.max(1, Math.abs(expected[i])), what + " at " + i);
        }
    }
}
