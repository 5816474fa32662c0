package io.lamina.compression.sparse;

import io.lamina.compression.SpecParams;
import io.lamina.compression.message.ValuePrecision;

/** Parameter parsing shared by the sparsifier specs. */
final class SparseSpecs {

    private SparseSpecs() {
    }

    /** {@code values=fp32|fp16|bf16}, or {@code def}. */
    static ValuePrecision values(SpecParams p, ValuePrecision def) {
        return p.has("values") ? ValuePrecision.parse(p.spec(), p.getString("values", false, null)) : def;
    }

    /** A positive finite float parameter (threshold, tau). */
    static float positive(SpecParams p, String key, boolean positional, double def) {
        double v = p.getDouble(key, positional, def, 0, Float.MAX_VALUE);
        if (!(v > 0)) {
            throw new IllegalArgumentException("spec '" + p.spec() + "': " + key + " = " + v
                    + " is out of range; allowed: > 0");
        }
        return (float) v;
    }
}
