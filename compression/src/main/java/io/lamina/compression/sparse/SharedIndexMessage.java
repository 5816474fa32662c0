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
 */
public final class SharedIndexMessage implements Message {

    private final int length;
    private final long seed;
    private final float[] values;
    private final ValuePrecision precision;
    private final int workers;

    /** Takes ownership of {@code values} (length k, exact in {@code precision}). */
    public SharedIndexMessage(int length, long seed, float[] values, ValuePrecision precision, int workers) {
        if (length < 1 || workers < 1 || values.length > length) {
            throw new IllegalArgumentException("shared-index message needs length >= 1, workers >= 1 and k <= length, got length="
                    + length + " workers=" + workers + " k=" + values.length);
        }
        if (!precision.allExact(values, values.length)) {
            throw new IllegalArgumentException("shared-index message: values are not exact in " + precision);
        }
        this.length = length;
        this.seed = seed;
        this.values = values;
        this.precision = precision;
        this.workers = workers;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public int workers() {
        return workers;
    }

    /** Number of coordinates (and values). */
    public int k() {
        return values.length;
    }

    /** The seed the coordinates are drawn from. */
    public long seed() {
        return seed;
    }

    /** The values, in increasing coordinate order (not copied: do not modify). */
    public float[] values() {
        return values;
    }

    public ValuePrecision precision() {
        return precision;
    }

    @Override
    public String toString() {
        return "SharedIndexMessage[length=" + length + ", k=" + values.length + ", " + precision
                + ", workers=" + workers + "]";
    }
}
