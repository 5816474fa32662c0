package io.lamina.compression.granularity;

import io.lamina.compression.Layout;

/** One compression segment, named {@code model}, over the whole flat vector. */
final class EntireModel implements Granularity {

    private static final long serialVersionUID = 1L;

    @Override
    public Layout apply(Layout tensors) {
        return Layout.single("model", tensors.totalLength());
    }

    @Override
    public String spec() {
        return "model";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EntireModel;
    }

    @Override
    public int hashCode() {
        return 2;
    }

    @Override
    public String toString() {
        return spec();
    }
}
