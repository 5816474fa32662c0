package io.lamina.datasets;

import java.io.Serializable;
import java.util.Objects;

/**
 * Examples with class labels, held as two flat arrays and no per-example objects: {@code features}
 * is row-major, {@code numExamples x featureSize} (image pixels scaled to [0, 1]), and
 * {@code labels[i]} is the class of example i, in {@code 0..numClasses-1}.
 *
 * <p>Serializable so that Spark can ship and cache it. The accessors return the backing arrays
 * without copying; treat them as read-only. {@link #slice} and {@link #select} make compact copies,
 * so a slice serializes only its own examples.
 */
public final class LabeledData implements Serializable {
    private static final long serialVersionUID = 1L;

    private final float[] features;
    private final int[] labels;
    private final int numClasses;
    private final ImageShape shape;

    /**
     * Wraps the arrays (not copied). {@code features.length} must be
     * {@code labels.length * shape.size()} and every label must lie in {@code 0..numClasses-1}.
     */
    public LabeledData(float[] features, int[] labels, int numClasses, ImageShape shape) {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(shape, "shape");
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
        }
        if (features.length != (long) labels.length * shape.size()) {
            throw new IllegalArgumentException("features has " + features.length + " values; "
                    + labels.length + " examples of shape " + shape + " need " + (long) labels.length * shape.size());
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("label " + labels[i] + " of example " + i
                        + " is out of range 0.." + (numClasses - 1));
            }
        }
        this.features = features;
        this.labels = labels;
        this.numClasses = numClasses;
        this.shape = shape;
    }

    public int numExamples() {
        return labels.length;
    }

    /** Values per example, {@code shape().size()}. */
    public int featureSize() {
        return shape.size();
    }

    public int numClasses() {
        return numClasses;
    }

    public ImageShape shape() {
        return shape;
    }

    /** The backing feature array (row-major, numExamples x featureSize); not a copy. */
    public float[] features() {
        return features;
    }

    /** The backing label array; not a copy. */
    public int[] labels() {
        return labels;
    }

    public int label(int example) {
        return labels[example];
    }

    /** A compact copy of examples {@code from} (inclusive) to {@code to} (exclusive). */
    public LabeledData slice(int from, int to) {
        Objects.checkFromToIndex(from, to, labels.length);
        int f = featureSize();
        float[] x = new float[Math.multiplyExact(to - from, f)];
        System.arraycopy(features, from * f, x, 0, x.length);
        int[] y = new int[to - from];
        System.arraycopy(labels, from, y, 0, y.length);
        return new LabeledData(x, y, numClasses, shape);
    }

    /** A compact copy of the examples at {@code indices}, in that order (repeats allowed). */
    public LabeledData select(int[] indices) {
        int f = featureSize();
        float[] x = new float[Math.multiplyExact(indices.length, f)];
        int[] y = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            int src = Objects.checkIndex(indices[i], labels.length);
            System.arraycopy(features, src * f, x, i * f, f);
            y[i] = labels[src];
        }
        return new LabeledData(x, y, numClasses, shape);
    }

    /** How many examples each class has. */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    @Override
    public String toString() {
        return "LabeledData[" + numExamples() + " examples of " + shape + ", " + numClasses + " classes]";
    }
}
