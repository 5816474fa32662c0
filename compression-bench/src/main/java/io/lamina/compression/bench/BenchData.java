package io.lamina.compression.bench;

import java.util.Random;

/** The benchmarks' input: standard Gaussian floats from a fixed seed, the same in every fork. */
final class BenchData {

    /** Seed of every benchmark vector. */
    static final long SEED = 20_191_208L;

    /** |x| >= this keeps ~1% of standard Gaussian values (the 99.5% quantile of N(0, 1)). */
    static final double THRESHOLD_1PCT = 2.5758293035489;

    private BenchData() {
    }

    static float[] gaussian(int n) {
        Random rnd = new Random(SEED);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }
}
