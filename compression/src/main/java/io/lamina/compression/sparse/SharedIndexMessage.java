package io.lamina.compression.sparse;

import io.lamina.compression.message.ValuePrecision;
import io.lamina.compression.Message;

/**
 * Values only: the {@code k} coordinates are a pure function of ({@link #seed()}, k, length),
 * drawn identically by every worker from the shared seed of the step and segment (Random-k), so
 * no index travels. Messages with the same (seed, k, length) sum in code space: the merged
 * message is the element-wise sum of the value arrays.
 *
 * <p>Wire form: see {@link io.lamina.compression.sparse.SharedIndexMessageSerializer}.
 *
 * <p>{@code values} is not copied: the message takes ownership of it, and it must not be modified
 * after construction (merging builds a new array; equality compares it by reference, as records do).
 *
 * @param length number of elements of the segment
 * @param seed the seed the k coordinates are drawn from
 * @param values the values, in increasing coordinate order (k of them), exact in {@code precision}
 * @param precision the encoding the values travel in
 * @param workers number of worker messages this one sums
 */
public record SharedIndexMessage(int length, long seed, float[] values, ValuePrecision precision, int workers)
        implements Message {

    /** Takes ownership of {@code values} (length k, exact in {@code precision}). */
    public SharedIndexMessage {
        if (length < 1 || workers < 1 || values.length > length) {
            throw new IllegalArgumentException("shared-index message needs length >= 1, workers >= 1 and k <= length, got length="
                    + length + " workers=" + workers + " k=" + values.length);
        }
        if (!precision.allExact(values, values.length)) {
            throw new IllegalArgumentException("shared-index message: values are not exact in " + precision);
        }
    }

    /** Number of coordinates (and values). */
    public int k() {
        return values.length;
    }

    @Override
    public String toString() {
        return "SharedIndexMessage[length=" + length + ", k=" + values.length + ", " + precision
                + ", workers=" + workers + "]";
    }
}
