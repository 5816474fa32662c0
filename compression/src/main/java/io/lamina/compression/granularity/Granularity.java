package io.lamina.compression.granularity;

import io.lamina.compression.Layout;
import java.io.Serializable;

/**
 * Decides which segments a compressor sees: the research question of Lamina (Dutta et al.,
 * AAAI 2020). Applied to the layout of the model's parameter tensors, it returns the layout the
 * compressor and the aggregation run over. Element-wise compressors give the same answer under
 * every granularity; Top-k, sign with scales, QSGD norms and the like do not.
 */
public interface Granularity extends Serializable {

    /** Regroups the model's tensors (one segment per parameter tensor) into compression segments. */
    Layout apply(Layout tensors);

    /** The spec string that {@link #parse} accepts, e.g. {@code layer}, {@code model}, {@code bucket:65536}. */
    String spec();

    /** One segment per parameter tensor (what GRACE and Horovod do). */
    static Granularity layerWise() {
        return new LayerWise();
    }

    /** One segment over the whole flat vector (what the theory assumes). */
    static Granularity entireModel() {
        return new EntireModel();
    }

    /** Consecutive tensors fused into buckets of about {@code elements} elements. */
    static Granularity bucketed(int elements) {
        return new Bucketed(elements);
    }

    /**
     * Parses {@code layer} / {@code layer-wise}, {@code model} / {@code entire-model},
     * {@code bucket:<elements>} / {@code bucketed:<elements>}.
     *
     * @throws IllegalArgumentException naming the allowed forms
     */
    static Granularity parse(String spec) {
        String s = spec == null ? "" : spec.trim().toLowerCase(java.util.Locale.ROOT);
        switch (s) {
            case "layer", "layer-wise", "layerwise":
                return layerWise();
            case "model", "entire-model", "entire":
                return entireModel();
            default:
                break;
        }
        int colon = s.indexOf(':');
        if (colon > 0 && (s.startsWith("bucket:") || s.startsWith("bucketed:"))) {
            String n = s.substring(colon + 1).replace("_", "");
            try {
                return bucketed(Integer.parseInt(n));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("granularity '" + spec
                        + "': bucket size must be a positive integer, got '" + n + "'");
            }
        }
        throw new IllegalArgumentException("unknown granularity '" + spec
                + "'; allowed: layer, model, bucket:<elements>");
    }
}
