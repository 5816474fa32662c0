package io.lamina.app.bench;

import java.util.Arrays;

/** The bench's one statistic: the median of a run's measured steps (the upper one of an even count). */
final class Medians {

    private Medians() {
    }

    static double of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no measured steps");
        }
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
