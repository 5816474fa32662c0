package io.lamina.compression.lowrank;

import io.lamina.compression.Message;

/**
 * One low-rank factor matrix of a segment (PowerSGD's P, n x r, or Q, m x r), fp32, stored
 * column-major: element (i, k) is {@code values[k * rows + i]}. {@link #length()} is the length
 * of the segment the factor belongs to, not the factor's size. A message with
 * {@code rows == cols == 0} is the empty placeholder sent in round 2 for a segment that travelled
 * dense in round 1. A factor never holds more than {@code 2 * length} values (at full rank, the
 * padded n x m view of {@link io.lamina.compression.lowrank.MatrixShape} has fewer than 2 L cells).
 *
 * <p>Factors of the same shape sum exactly in code space (element-wise), which is how the
 * all-reduce of both PowerSGD rounds is done: {@link #sum}.
 *
 * <p>Not a record: {@link #sum} adds into the left operand's {@code values} in place (as
 * {@code Compressor.merge} allows), so its contents change after construction.
 */
public final class FactorMessage implements Message {

    private final int length;
    private final int rows;
    private final int cols;
    private final float[] values;
    private final int workers;

    /** Takes ownership of {@code values}, which must hold exactly {@code rows * cols} floats. */
    public FactorMessage(int length, int rows, int cols, float[] values, int workers) {
        if (length < 1 || rows < 0 || cols < 0 || workers < 1) {
            throw new IllegalArgumentException("factor message needs length >= 1, rows, cols >= 0"
                    + " and workers >= 1; got length=" + length + " rows=" + rows + " cols=" + cols
                    + " workers=" + workers);
        }
        if ((rows == 0) != (cols == 0) || (long) rows * cols > 2L * length
                || values.length != rows * cols) {
            throw new IllegalArgumentException("factor message " + rows + " x " + cols
                    + " must be empty or hold at most 2 * length=" + 2L * length + " values, and exactly "
                    + "rows * cols of them; got " + values.length);
        }
        this.length = length;
        this.rows = rows;
        this.cols = cols;
        this.values = values;
        this.workers = workers;
    }

    /** The empty round-2 placeholder of a dense segment of {@code length} elements. */
    public static FactorMessage empty(int length, int workers) {
        return new FactorMessage(length, 0, 0, new float[0], workers);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public boolean isEmpty() {
        return rows == 0;
    }

    /** The column-major values (not copied: do not modify unless you own the message). */
    public float[] values() {
        return values;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public int workers() {
        return workers;
    }

    /** Element-wise sum, written into {@code a}'s storage (Spark allows reusing the left operand). */
    public static FactorMessage sum(FactorMessage a, FactorMessage b) {
        if (a.length != b.length || a.rows != b.rows || a.cols != b.cols) {
            throw new IllegalArgumentException("cannot sum factor messages " + a + " and " + b);
        }
        float[] x = a.values;
        float[] y = b.values;
        for (int i = 0; i < x.length; i++) {
            x[i] += y[i];
        }
        return new FactorMessage(a.length, a.rows, a.cols, x, a.workers + b.workers);
    }

    @Override
    public String toString() {
        return "FactorMessage[" + rows + " x " + cols + " of a " + length + "-element segment, "
                + workers + " worker(s)]";
    }
}
