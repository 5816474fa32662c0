package io.lamina.datasets;

import java.io.Serializable;

/** The raw content of an IDX label file (magic 0x00000801): one unsigned byte per example. */
public final class IdxLabels implements Serializable {
    private static final long serialVersionUID = 1L;

    private final byte[] labels;

    /** Wraps {@code labels} (not copied); each byte is read as unsigned, 0..255. */
    public IdxLabels(byte[] labels) {
        this.labels = labels;
    }

    public int count() {
        return labels.length;
    }

    /** The label of example {@code i}, 0..255. */
    public int label(int i) {
        return labels[i] & 0xFF;
    }

    /** The backing array (not a copy); read labels as {@code b & 0xFF}. */
    public byte[] bytes() {
        return labels;
    }
}
