package io.lamina.compression.sparse;

import io.lamina.compression.SpecParams;
import java.io.Serializable;

/**
 * How many elements a segment keeps: a ratio in (0, 1] ({@code k = max(1, round(ratio * d))})
 * or a fixed count ({@code k = min(count, d)}). Exactly one of the two is set.
 */
public record KParam(double ratio, int count) implements Serializable {

    public KParam {
        boolean byRatio = ratio > 0 && ratio <= 1 && count == 0;
        boolean byCount = ratio == 0 && count >= 1;
        if (!byRatio && !byCount) {
            throw new IllegalArgumentException("need a ratio in (0, 1] or a count k >= 1, got ratio="
                    + ratio + " k=" + count);
        }
    }

    /** Parses {@code name:0.01}, {@code name:ratio=0.01} or {@code name:k=1000}; the default ratio otherwise. */
    public static KParam parse(SpecParams p, double defaultRatio) {
        if (p.has("k")) {
            if (p.has("ratio")) {
                throw new IllegalArgumentException("spec '" + p.spec() + "': give either ratio or k, not both");
            }
            return new KParam(0, p.getInt("k", false, 1, 1, Integer.MAX_VALUE));
        }
        double r = p.getDouble("ratio", true, defaultRatio, 0, 1);
        if (!(r > 0)) {
            throw new IllegalArgumentException("spec '" + p.spec() + "': ratio = " + r
                    + " is out of range; allowed: (0, 1] (or k=<count>)");
        }
        return new KParam(r, 0);
    }

    /** k for a segment of {@code d} elements: in [1, d]. */
    public int of(int d) {
        if (count > 0) {
            return Math.min(count, d);
        }
        return (int) Math.max(1, Math.min(d, Math.round(ratio * d)));
    }

    /** {@code ratio=..} or {@code k=..}. */
    public String spec() {
        return count > 0 ? "k=" + count : "ratio=" + ratio;
    }

    /**
     * k at training step {@code step} with DGC's density warm-up (Lin et al., ICLR 2018,
     * section 3.3) over the first {@code warmup} steps (0: none): the density decays
     * exponentially from 25% to the target,
     * <pre>  density(t) = 0.25 * (target / 0.25)^(t / warmup),  k_t = max(k, ceil(density(t) * d))</pre>
     * It depends only on the step, so reruns and all workers agree.
     */
    public int of(int d, long step, int warmup) {
        int k = of(d);
        if (step >= warmup || k >= d) {
            return k;
        }
        double target = (double) k / d;
        double start = Math.max(0.25, target);
        double density = start * Math.pow(target / start, (double) step / warmup);
        return (int) Math.min(d, Math.max(k, Math.ceil(density * d)));
    }
}
