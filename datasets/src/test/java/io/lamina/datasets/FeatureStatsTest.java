package io.lamina.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Feature statistics in pieces against a slow two-pass reference over the whole set. */
class FeatureStatsTest {

    /** Mean, population variance, min, max of column j, in two passes. */
    private static double[] reference(float[][] rows, int j) {
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float[] r : rows) {
            double x = j < r.length ? r[j] : 0;
            sum += x;
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        double mean = sum / rows.length;
        double ss = 0;
        for (float[] r : rows) {
            double d = (j < r.length ? r[j] : 0) - mean;
            ss += d * d;
        }
        return new double[] {mean, ss / rows.length, min, max};
    }

    private static void assertMatches(float[][] rows, FeatureStats s, int features) {
        assertEquals(rows.length, s.count());
        for (int j = 0; j < features; j++) {
            double[] r = reference(rows, j);
            double tol = 1e-9 * (1 + Math.abs(r[0]));
            assertEquals(r[0], s.mean(j), tol, "mean " + j);
            assertEquals(r[1], s.variance(j), 1e-9 * (1 + r[1] + r[0] * r[0] * 1e-6), "variance " + j);
            assertEquals(r[2], s.min(j), 0, "min " + j);
            assertEquals(r[3], s.max(j), 0, "max " + j);
        }
    }

    /** Rows with ordinary, constant, large-offset and all-zero features. */
    private static float[][] rows(int n, long seed) {
        Random r = new Random(seed);
        float[][] rows = new float[n][5];
        for (float[] row : rows) {
            row[0] = (float) r.nextGaussian();
            row[1] = 3.25f;
            row[2] = 1e6f + (float) r.nextInt(100) / 8;
            row[3] = r.nextInt(256);
        }
        return rows;
    }

    /** Pieces of rows [from, to) accumulated one by one, merged in order. */
    private static FeatureStats inPieces(float[][] rows, int[] cuts, boolean sparse) {
        FeatureStats all = FeatureStats.empty();
        for (int k = 0; k + 1 < cuts.length; k++) {
            FeatureStats.Accumulator acc = new FeatureStats.Accumulator();
            for (int i = cuts[k]; i < cuts[k + 1]; i++) {
                if (sparse) {
                    int[] idx = new int[rows[i].length];
                    float[] val = new float[rows[i].length];
                    int c = 0;
                    for (int j = 0; j < rows[i].length; j++) {
                        if (rows[i][j] != 0) {
                            idx[c] = j;
                            val[c++] = rows[i][j];
                        }
                    }
                    acc.addSparse(idx, val, c);
                } else {
                    acc.addDense(rows[i], rows[i].length);
                }
            }
            all = FeatureStats.merge(all, acc.finish());
        }
        return all;
    }

    @Test
    void denseRowsInAnyPiecesMatchTheReference() {
        float[][] rows = rows(1000, 1);
        assertMatches(rows, inPieces(rows, new int[] {0, 1000}, false), 5);
        assertMatches(rows, inPieces(rows, new int[] {0, 1, 2, 500, 501, 999, 1000}, false), 5);
        FeatureStats s = inPieces(rows, new int[] {0, 10, 700, 1000}, false);
        assertEquals(0.0, s.variance(1), 0.0, "a constant feature has exactly no spread");
        assertEquals(0.0, s.variance(4), 0.0);
    }

    @Test
    void sparseRowsCountTheirMissingFeaturesAsZeros() {
        Random r = new Random(2);
        float[][] rows = new float[300][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new float[1 + r.nextInt(8)]; // shorter rows: the features beyond are zeros
            for (int j = 0; j < rows[i].length; j++) {
                rows[i][j] = r.nextInt(3) == 0 ? 0 : (float) (r.nextGaussian() + j);
            }
        }
        assertMatches(rows, inPieces(rows, new int[] {0, 37, 38, 200, 300}, true), 8);
        float[][] positive = new float[][] {{0, 5}, {0, 7}};
        FeatureStats s = inPieces(positive, new int[] {0, 1, 2}, true);
        assertEquals(0.0, s.min(0), 0.0, "a feature never seen is 0 throughout");
        assertEquals(5.0, s.min(1), 0.0, "no zeros among a feature seen in every row");
    }

    @Test
    void bytesRoundTripAndOneBasedSlotZeroDrops() {
        float[][] rows = rows(50, 3);
        FeatureStats s = inPieces(rows, new int[] {0, 20, 50}, false);
        FeatureStats back = FeatureStats.fromBytes(s.toBytes());
        for (int j = 0; j < 5; j++) {
            assertEquals(s.mean(j), back.mean(j), 0.0);
            assertEquals(s.variance(j), back.variance(j), 0.0);
        }
        FeatureStats dropped = s.dropFirst();
        assertEquals(4, dropped.features());
        assertEquals(s.mean(1), dropped.mean(0), 0.0);
        assertArrayEquals(new double[] {s.max(4)}, new double[] {dropped.max(3)}, 0.0);
    }
}
