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
 *
 * <p>The arrays are not copied: the message takes ownership of them, and they must not be
 * modified after construction (merging builds new arrays; equality compares them by reference,
 * as records do).
 *
 * @param length number of elements of the segment
 * @param indices the kept indices, strictly increasing in {@code [0, length)}
 * @param values the kept values (as many as indices), exact in {@code precision}
 * @param precision the encoding the values travel in
 * @param workers number of worker messages this one sums
 */
public record SparseMessage(int length, int[] indices, float[] values, ValuePrecision precision, int workers)
        implements Message {

    /**
     * Takes ownership of the arrays (of equal length = the count).
     *
     * @throws IllegalArgumentException if indices are not strictly increasing within
     *     {@code [0, length)} or a value is not exact in {@code precision}
     */
    public SparseMessage {
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
    }

    /** An empty message (all zeros). */
    public static SparseMessage empty(int length, ValuePrecision precision, int workers) {
        return new SparseMessage(length, new int[0], new float[0], precision, workers);
    }

    /** Number of stored (index, value) pairs. */
    public int count() {
        return indices.length;
    }

    @Override
    public String toString() {
        return "SparseMessage[length=" + length + ", count=" + indices.length + ", " + precision
                + ", workers=" + workers + "]";
    }
}
