package io.lamina.compression.sparse;

import io.lamina.compression.message.ValuePrecision;
import io.lamina.compression.Message;

/**
 * A sparse segment: {@code count} (index, value) pairs with indices strictly increasing in
 * {@code [0, length)}; every other element is zero. Values are held as floats that are exactly
 * representable in {@link #precision()}, the encoding they travel in. Built by the sparsifiers
 * (Top-k, threshold, adaptive, DGC) and by merging such messages (a union of supports).
 *
 * <p>Wire form: see {@link io.lamina.compression.sparse.SparseMessageSerializer}.
 */
public final class SparseMessage implements Message {

    private final int length;
    private final int[] indices;
    private final float[] values;
    private final ValuePrecision precision;
    private final int workers;

    /**
     * Takes ownership of the arrays (of equal length = the count).
     *
     * @throws IllegalArgumentException if indices are not strictly increasing within
     *     {@code [0, length)} or a value is not exact in {@code precision}
     */
    public SparseMessage(int length, int[] indices, float[] values, ValuePrecision precision, int workers) {
        if (length < 1 || workers < 1) {
            throw new IllegalArgumentException("sparse message needs length >= 1 and workers >= 1, got length="
                    + length + " workers=" + workers);
        }
        if (indices.length != values.length || indices.length > length) {
            throw new IllegalArgumentException("sparse message: " + indices.length + " indices, "
                    + values.length + " values, length " + length);
        }
        int prev = -1;
        for (int i = 0; i < indices.length; i++) {
            int x = indices[i];
            if (x <= prev || x >= length) {
                throw new IllegalArgumentException("sparse message: index " + x + " at position " + i
                        + " is not strictly above " + prev + " and below length " + length);
            }
            prev = x;
        }
        if (!precision.allExact(values, values.length)) {
            throw new IllegalArgumentException("sparse message: values are not exact in " + precision
                    + "; round them with ValuePrecision.round first");
        }
        this.length = length;
        this.indices = indices;
        this.values = values;
        this.precision = precision;
        this.workers = workers;
    }

    /** An empty message (all zeros). */
    public static SparseMessage empty(int length, ValuePrecision precision, int workers) {
        return new SparseMessage(length, new int[0], new float[0], precision, workers);
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public int workers() {
        return workers;
    }

    /** Number of stored (index, value) pairs. */
    public int count() {
        return indices.length;
    }

    /** The indices (not copied: do not modify). */
    public int[] indices() {
        return indices;
    }

    /** The values (not copied: do not modify). */
    public float[] values() {
        return values;
    }

    public ValuePrecision precision() {
        return precision;
    }

    @Override
    public String toString() {
        return "SparseMessage[length=" + length + ", count=" + indices.length + ", " + precision
                + ", workers=" + workers + "]";
    }
}
