package io.lamina.app.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The histogram's quantiles against the exact ones of the same values (sorting: the slow reference). */
class LogHistogramTest {

    @Test
    void quantilesAreWithinAQuarterPercentOfTheExactOnes() {
        Random r = new Random(42);
        for (int n : new int[] {1, 2, 7, 1000, 100_000}) {
            LogHistogram h = new LogHistogram();
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = Math.exp(r.nextGaussian() * 2 + 3); // step times from ~0.05 ms to ~8 s
                h.add(v[i]);
            }
            Arrays.sort(v);
            for (double q : new double[] {0.1, 0.5, 0.9, 1.0}) {
                double exact = v[(int) Math.max(0, Math.ceil(q * n) - 1)];
                assertEquals(exact, h.quantile(q), exact * 0.0026, "n " + n + ", q " + q);
            }
        }
    }

    @Test
    void emptyZeroAndOutOfRangeValues() {
        LogHistogram h = new LogHistogram();
        assertEquals(0, h.median());
        h.add(0);
        h.add(-3);
        h.add(1e12);
        assertEquals(LogHistogram.MIN, h.quantile(0.5), LogHistogram.MIN * 0.003);
        assertEquals(LogHistogram.MAX, h.quantile(1.0), LogHistogram.MAX * 0.003);
    }
}
