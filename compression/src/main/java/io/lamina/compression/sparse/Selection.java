package io.lamina.compression.sparse;

import io.lamina.compression.message.ValuePrecision;
import java.util.Arrays;

/**
 * The output of a selection: {@code count} segment-relative indices (strictly increasing) and
 * their values, in primitive arrays that may be longer than {@code count}.
 */
final class Selection {

    final int[] indices;
    final float[] values;
    final int count;
    /** The arrays are a compressor's reused scratch: a message must get copies. */
    final boolean scratch;

    Selection(int[] indices, float[] values, int count) {
        this(indices, values, count, false);
    }

    Selection(int[] indices, float[] values, int count, boolean scratch) {
        this.indices = indices;
        this.values = values;
        this.count = count;
        this.scratch = scratch;
    }

    /**
     * The message of one worker: values rounded to {@code precision}, arrays trimmed (always
     * copied from scratch arrays).
     */
    SparseMessage toMessage(int length, ValuePrecision precision) {
        int[] idx = indices.length == count && !scratch ? indices : Arrays.copyOf(indices, count);
        float[] val = values.length == count && !scratch ? values : Arrays.copyOf(values, count);
        precision.roundInPlace(val, count);
        return new SparseMessage(length, idx, val, precision, 1);
    }
}
