package io.lamina.datasets.text;

import java.util.Arrays;

/**
 * One example as a line format parsed it, reused from line to line: a label and either
 * {@code count} dense values, or {@code count} (index, value) pairs in ascending index order.
 */
public final class ParsedLine {
    int label;
    int count;
    boolean sparse;
    float[] values = new float[16];
    int[] indices = new int[16];

    public int label() {
        return label;
    }

    public int count() {
        return count;
    }

    public boolean sparse() {
        return sparse;
    }

    /** Dense values or the pairs' values; entries from {@link #count()} on are stale. */
    public float[] values() {
        return values;
    }

    /** The pairs' indices (sparse only), as written in the file. */
    public int[] indices() {
        return indices;
    }

    /** Writes the example into {@code row[offset .. offset + features)} with feature index = file index - base. */
    public void copyTo(float[] row, int offset, int features, int base) {
        if (!sparse) {
            System.arraycopy(values, 0, row, offset, count);
            return;
        }
        Arrays.fill(row, offset, offset + features, 0f);
        for (int i = 0; i < count; i++) {
            row[offset + indices[i] - base] = values[i];
        }
    }

    void add(int index, float value) {
        if (count == values.length) {
            values = Arrays.copyOf(values, count * 2);
            indices = Arrays.copyOf(indices, count * 2);
        }
        indices[count] = index;
        values[count++] = value;
    }

    /** The label in {@code b[from..to)}: an integer >= 0 ({@code 3}, {@code 3.0}, {@code +3}), below {@code classes} if > 0. */
    void parseLabel(byte[] b, int from, int to, int classes) {
        double v = Numbers.parse(b, from, to);
        if (Double.isNaN(v)) {
            throw new LineProblem("label " + Numbers.show(b, from, to) + " is not a number");
        }
        if (v != Math.rint(v) || v < 0 || v > Integer.MAX_VALUE - 1) {
            throw new LineProblem("label " + Numbers.show(b, from, to) + " is not a class: labels are integers 0..C-1");
        }
        if (classes > 0 && v >= classes) {
            throw new LineProblem("label " + (long) v + " is outside the " + classes + " classes 0.." + (classes - 1));
        }
        label = (int) v;
    }
}
