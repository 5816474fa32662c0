package io.lamina.compression.lowrank;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lamina.compression.EncodeContext;
import io.lamina.compression.Layout;
import io.lamina.compression.Message;
import io.lamina.compression.Segment;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A warm-started PowerSGD whose gradients start exactly rank-deficient (zero, then rank 1) must
 * not lose rank for good: zero columns of P^ and of the warm-start Q are re-drawn, identically on
 * every replica, and the power iteration then reaches the best rank-r error.
 */
class PowerSgdLostRankTest {

    private static final int N = 60;
    private static final int M = 40;
    private static final double[] SIGMA = {10, 6, 3, 1, 0.5};

    @Test
    void rankLostToAZeroOrRankOneGradientComesBack() {
        double optimal = Math.sqrt(3 * 3 + 1 + 0.25); // Eckart-Young at rank 2
        float[] full = PowerSgdTest.withSpectrum(new Random(3), N, M, SIGMA);
        float[] rankOne = PowerSgdTest.withSpectrum(new Random(4), N, M, new double[] {5});
        for (float[][] start : List.of(new float[][] {new float[N * M]}, new float[][] {rankOne},
                new float[][] {new float[N * M], rankOne})) {
            Layout layout = Layout.of(List.of(new Segment("w", 0, N * M, new int[] {N, M})));
            PowerSgdCompressor[] workers = {new PowerSgdCompressor(layout, 2, true, false),
                new PowerSgdCompressor(layout, 2, true, false)};
            PowerSgdCompressor driver = new PowerSgdCompressor(layout, 2, true, false);
            int step = 0;
            for (float[] g : start) {
                step(workers, driver, g, step++);
            }
            double err = 0;
            for (int t = 0; t < 30; t++) {
                // each worker holds half of the matrix: their mean is `full`
                err = PowerSgdTest.distance(full, step(workers, driver, full, step++));
                assertArrayEquals(driver.sharedState()[0], workers[0].sharedState()[0], "replica 0's Q, step " + step);
                assertArrayEquals(driver.sharedState()[0], workers[1].sharedState()[0], "replica 1's Q, step " + step);
            }
            assertEquals(optimal, err, optimal * 1e-3, "after " + start.length + " rank-deficient steps");
        }
    }

    @Test
    void orthonormaliseRedrawsZeroAndDependentColumns() {
        int n = 30;
        float[] f = new float[n * 3];
        Random r = new Random(5);
        for (int i = 0; i < n; i++) {
            f[i] = (float) r.nextGaussian();
            f[2 * n + i] = 2 * f[i]; // column 2 depends on column 0; column 1 is zero
        }
        LowRankMath.orthonormalise(f, n, 3, new Random(6));
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += (double) f[a * n + i] * f[b * n + i];
                }
                assertEquals(a == b ? 1 : 0, dot, 1e-6, "columns " + a + ", " + b);
            }
        }
    }

    /** One step of two workers whose compensated matrices are {@code g} each; returns the update. */
    private static float[] step(PowerSgdCompressor[] workers, PowerSgdCompressor driver, float[] g, int step) {
        Message a1 = null;
        for (int w = 0; w < workers.length; w++) {
            Message u = workers[w].round1(g, 0, g.length, new EncodeContext(step, 0, w, 42L));
            a1 = a1 == null ? u : driver.merge(a1, u);
        }
        Message d1 = driver.finishRound1(a1);
        Message a2 = null;
        for (int w = 0; w < workers.length; w++) {
            Message u = workers[w].round2(g, 0, g.length, d1, new EncodeContext(step, 0, w, 42L));
            a2 = a2 == null ? u : driver.merge(a2, u);
        }
        float[] update = new float[g.length];
        for (PowerSgdCompressor w : workers) {
            w.finishRound2(0, d1, a2, new float[g.length], 0);
        }
        driver.finishRound2(0, d1, a2, update, 0);
        return update;
    }
}
