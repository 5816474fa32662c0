package io.lamina.app.data;

import io.lamina.datasets.ImageShape;
import io.lamina.datasets.LabeledData;
import java.util.Arrays;

/** A growing run of examples of {@code features} values each, read on an executor. */
final class Examples {
    private final int features;
    private float[] x;
    private int[] y;
    private int[] source;
    private int n;

    Examples(int features, long expected) {
        if (expected * features > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(expected + " examples of " + features
                    + " features do not fit one partition's array: use more workers");
        }
        this.features = features;
        int cap = (int) Math.max(1, expected);
        this.x = new float[cap * features];
        this.y = new int[cap];
        this.source = new int[cap];
    }

    /** Adds an example; returns the offset in {@link #features()} where its values go. */
    int add(int label, long sourceIndex) {
        if (n == y.length) {
            int cap = Math.toIntExact(Math.min(Integer.MAX_VALUE - 8, 2L * n));
            x = Arrays.copyOf(x, Math.multiplyExact(cap, features));
            y = Arrays.copyOf(y, cap);
            source = Arrays.copyOf(source, cap);
        }
        y[n] = label;
        source[n] = (int) Math.min(sourceIndex, Integer.MAX_VALUE); // for tracing only
        return n++ * features;
    }

    float[] features() {
        return x;
    }

    int size() {
        return n;
    }

    LabeledData toData(int classes, ImageShape shape) {
        return new LabeledData(n * features == x.length ? x : Arrays.copyOf(x, n * features),
                n == y.length ? y : Arrays.copyOf(y, n), classes, shape);
    }

    int[] sourceIndices() {
        return n == source.length ? source : Arrays.copyOf(source, n);
    }
}
