package io.lamina.compression;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * An ordered list of segments that tile a flat vector of {@link #totalLength()} floats without
 * gaps or overlaps, starting at 0. This is all the compression library knows of a model: DL4J's
 * parameter tensors ({@code 0_W}, {@code 0_b}, ...) become one segment each, and a
 * {@link Granularity} regroups them.
 */
public final class Layout implements Serializable, Iterable<Segment> {

    private static final long serialVersionUID = 1L;

    private final List<Segment> segments;
    private final int totalLength;

    private Layout(List<Segment> segments) {
        this.segments = Collections.unmodifiableList(new ArrayList<>(segments));
        int expected = 0;
        for (Segment s : this.segments) {
            if (s.offset() != expected) {
                throw new IllegalArgumentException("layout must tile the vector: segment " + s
                        + " starts at " + s.offset() + ", expected " + expected);
            }
            expected = Math.addExact(expected, s.length());
        }
        if (this.segments.isEmpty()) {
            throw new IllegalArgumentException("layout needs at least one segment");
        }
        this.totalLength = expected;
    }

    /** A layout from segments that must be contiguous from offset 0. */
    public static Layout of(List<Segment> segments) {
        return new Layout(segments);
    }

    /** A single segment named {@code name} over {@code length} elements. */
    public static Layout single(String name, int length) {
        return new Layout(List.of(new Segment(name, 0, length)));
    }

    public int size() {
        return segments.size();
    }

    public Segment get(int index) {
        return segments.get(index);
    }

    public List<Segment> segments() {
        return segments;
    }

    public int totalLength() {
        return totalLength;
    }

    /**
     * The index of the segment that holds element {@code element} of the flat vector.
     *
     * @throws IndexOutOfBoundsException if it lies outside [0, totalLength)
     */
    public int indexOf(int element) {
        if (element < 0 || element >= totalLength) {
            throw new IndexOutOfBoundsException("element " + element + " of a layout of " + totalLength);
        }
        int lo = 0;
        int hi = segments.size() - 1;
        while (lo < hi) { // the last segment whose offset is <= element
            int mid = (lo + hi + 1) >>> 1;
            if (segments.get(mid).offset() <= element) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** Largest segment, in elements. */
    public int maxSegmentLength() {
        int max = 0;
        for (Segment s : segments) {
            max = Math.max(max, s.length());
        }
        return max;
    }

    @Override
    public Iterator<Segment> iterator() {
        return segments.iterator();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Layout l && l.segments.equals(segments);
    }

    @Override
    public int hashCode() {
        return segments.hashCode();
    }

    @Override
    public String toString() {
        return "Layout" + segments;
    }
}
