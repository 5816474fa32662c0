package io.lamina.compression;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One named, contiguous slice {@code [offset, offset + length)} of a model's flat parameter (and
 * gradient) vector. {@code shape} is informational (low-rank methods reshape a segment into a
 * matrix from it); it is empty for fused segments.
 */
public record Segment(String name, int offset, int length, int[] shape) implements Serializable {

    public Segment {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("segment name must not be empty");
        }
        if (offset < 0 || length < 1) {
            throw new IllegalArgumentException(
                    "segment '" + name + "': offset must be >= 0 and length >= 1, got offset="
                            + offset + " length=" + length);
        }
        shape = shape == null ? new int[0] : shape.clone();
    }

    public Segment(String name, int offset, int length) {
        this(name, offset, length, new int[] {length});
    }

    /** One past the last element. */
    public int end() {
        return offset + length;
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Segment s && s.name.equals(name) && s.offset == offset
                && s.length == length && Arrays.equals(s.shape, shape);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + offset) + length;
    }

    @Override
    public String toString() {
        return name + "[" + offset + "+" + length + "]";
    }
}
