package io.lamina.compression.granularity;

import io.lamina.compression.Layout;

/** One compression segment per parameter tensor: the layout is used as it is. */
final class LayerWise implements Granularity {

    private static final long serialVersionUID = 1L;

    @Override
    public Layout apply(Layout tensors) {
        return tensors;
    }

    @Override
    public String spec() {
        return "layer";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerWise;
    }

    @Override
    public int hashCode() {
        return 1;
    }

    @Override
    public String toString() {
        return spec();
    }
}
