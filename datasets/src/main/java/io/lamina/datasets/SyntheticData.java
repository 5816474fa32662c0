package io.lamina.datasets;

/**
 * Generated data sets for fast tests that need no files. Deterministic: the same arguments give
 * the same values on any JVM.
 */
public final class SyntheticData {
    /** Default spread of the class centres, in units of the per-point noise (see {@link #gaussianBlobs}). */
    public static final double DEFAULT_SEPARATION = 2.0;

    private SyntheticData() {
    }

    /** {@link #gaussianBlobs(int, int, int, double, long)} with {@link #DEFAULT_SEPARATION}. */
    public static LabeledData gaussianBlobs(int numExamples, int featureSize, int numClasses, long seed) {
        return gaussianBlobs(numExamples, featureSize, numClasses, DEFAULT_SEPARATION, seed);
    }

    /**
     * One Gaussian cluster per class. Each class centre has coordinates drawn from
     * N(0, separation^2); each example is its class centre plus N(0, 1) noise per coordinate.
     * Example i has label {@code i % numClasses}, so classes are balanced and interleaved. With a
     * separation of 2 and ten or more features the classes are almost linearly separable. Features
     * are not scaled to [0, 1]; the shape is {@link ImageShape#flat flat}.
     */
    public static LabeledData gaussianBlobs(int numExamples, int featureSize, int numClasses, double separation,
                                            long seed) {
        if (numExamples < 0 || featureSize < 1 || numClasses < 1) {
            throw new IllegalArgumentException("need numExamples >= 0, featureSize >= 1, numClasses >= 1; got "
                    + numExamples + ", " + featureSize + ", " + numClasses);
        }
        if (!(separation >= 0) || Double.isInfinite(separation)) {
            throw new IllegalArgumentException("separation must be finite and >= 0, got " + separation);
        }
        SeededRandom rng = new SeededRandom(seed);
        double[] centres = new double[Math.multiplyExact(numClasses, featureSize)];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = separation * rng.nextGaussian();
        }
        float[] x = new float[Math.multiplyExact(numExamples, featureSize)];
        int[] y = new int[numExamples];
        for (int i = 0; i < numExamples; i++) {
            int label = i % numClasses;
            y[i] = label;
            for (int j = 0; j < featureSize; j++) {
                x[i * featureSize + j] = (float) (centres[label * featureSize + j] + rng.nextGaussian());
            }
        }
        return new LabeledData(x, y, numClasses, ImageShape.flat(featureSize));
    }
}
