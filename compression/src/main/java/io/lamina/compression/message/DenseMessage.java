package io.lamina.compression.message;

import io.lamina.compression.Message;

/**
 * Plain fp32 values of a whole segment: the baseline, and the aggregate once dense is smallest.
 * Wire ({@link DenseMessageSerializer}): varint length, varint workers, then 4 bytes per value.
 *
 * <p>Not a record: merges ({@link #sum}, the gathered and sparse rules) add into the left
 * operand's {@code values} in place, as {@code Compressor.merge} allows, so its contents change
 * after construction.
 */
public final class DenseMessage implements Message {

    private final float[] values;
    private final int workers;

    /** Takes ownership of {@code values}. */
    public DenseMessage(float[] values, int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        this.values = values;
        this.workers = workers;
    }

    /** The values (not copied: do not modify unless you own the message). */
    public float[] values() {
        return values;
    }

    @Override
    public int length() {
        return values.length;
    }

    @Override
    public int workers() {
        return workers;
    }

    /** Element-wise sum, written into {@code a}'s storage (Spark allows reusing the left operand). */
    public static DenseMessage sum(DenseMessage a, DenseMessage b) {
        if (a.length() != b.length()) {
            throw new IllegalArgumentException(
                    "cannot sum dense messages of lengths " + a.length() + " and " + b.length());
        }
        float[] x = a.values;
        float[] y = b.values;
        for (int i = 0; i < x.length; i++) {
            x[i] += y[i];
        }
        return new DenseMessage(x, a.workers + b.workers);
    }
}
