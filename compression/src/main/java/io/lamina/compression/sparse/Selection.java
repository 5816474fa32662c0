package io.lamina.compression.sparse;

import io.lamina.compression.message.SparseMessage;
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

    Selection(int[] indices, float[] values, int count) {
        this.indices = indices;
        this.values = values;
        this.count = count;
    }

    /** The message of one worker: values rounded to {@code precision}, arrays trimmed. */
    SparseMessage toMessage(int length, ValuePrecision precision) {
        int[] idx = indices.length == count ? indices : Arrays.copyOf(indices, count);
        float[] val = values.length == count ? values : Arrays.copyOf(values, count);
        precision.roundInPlace(val, count);
        return new SparseMessage(length, idx, val, precision, 1);
    }
}
