package io.lamina.datasets;

import java.io.Serializable;

/**
 * The raw content of an IDX image file (magic 0x00000803): {@code count} grey-level images of
 * {@code rows x cols} unsigned bytes, row-major, image after image.
 */
public final class IdxImages implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int count;
    private final int rows;
    private final int cols;
    private final byte[] pixels;

    /** Wraps {@code pixels} (not copied); its length must be {@code count * rows * cols}. */
    public IdxImages(int count, int rows, int cols, byte[] pixels) {
        if (count < 0 || rows < 1 || cols < 1) {
            throw new IllegalArgumentException("need count >= 0, rows >= 1, cols >= 1; got "
                    + count + ", " + rows + ", " + cols);
        }
        if (pixels.length != (long) count * rows * cols) {
            throw new IllegalArgumentException("pixels has " + pixels.length + " bytes, expected "
                    + count + " x " + rows + " x " + cols);
        }
        this.count = count;
        this.rows = rows;
        this.cols = cols;
        this.pixels = pixels;
    }

    public int count() {
        return count;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** Bytes per image ({@code rows * cols}). */
    public int imageSize() {
        return rows * cols;
    }

    /** The backing array (not a copy); read pixels as {@code b & 0xFF}. */
    public byte[] pixels() {
        return pixels;
    }
}
