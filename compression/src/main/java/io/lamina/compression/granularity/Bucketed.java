package io.lamina.compression.granularity;

import io.lamina.compression.Layout;
import io.lamina.compression.Segment;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuses consecutive tensors into buckets (as Horovod's tensor fusion does): tensors are appended
 * to the current bucket until it holds at least {@code elements} elements, then a new bucket
 * starts. Tensors are never split, so a tensor larger than the bucket size is a bucket of its own.
 * Bucket {@code i} is named {@code bucket<i>}.
 */
final class Bucketed implements Granularity {

    private static final long serialVersionUID = 1L;

    private final int elements;

    Bucketed(int elements) {
        if (elements < 1) {
            throw new IllegalArgumentException("bucket size must be >= 1 element, got " + elements);
        }
        this.elements = elements;
    }

    @Override
    public Layout apply(Layout tensors) {
        List<Segment> buckets = new ArrayList<>();
        int start = 0;
        int filled = 0;
        for (Segment s : tensors) {
            filled += s.length();
            if (filled >= elements) {
                buckets.add(new Segment("bucket" + buckets.size(), start, filled, new int[0]));
                start += filled;
                filled = 0;
            }
        }
        if (filled > 0) {
            buckets.add(new Segment("bucket" + buckets.size(), start, filled, new int[0]));
        }
        return Layout.of(buckets);
    }

    public int elements() {
        return elements;
    }

    @Override
    public String spec() {
        return "bucket:" + elements;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bucketed b && b.elements == elements;
    }

    @Override
    public int hashCode() {
        return 3 + elements;
    }

    @Override
    public String toString() {
        return spec();
    }
}
