package io.lamina.compression.memory;

import io.lamina.compression.Layout;
import io.lamina.compression.Memory;
import io.lamina.compression.MemorySpec;
import io.lamina.compression.SpecParams;
import java.util.Set;

/**
 * DGC's momentum correction and factor masking (Lin et al., "Deep Gradient Compression", ICLR
 * 2018, Algorithm 4 / eq. (5)-(6)), with its local gradient clipping (section 3.2). Per segment,
 * with momentum u and accumulated velocity v (both 0 at the start), momentum m and clip
 * threshold c (off by default):
 * <pre>
 *   g = g * min(1, c / ||g||_2)                          (local clipping, if c is set)
 *   u = m * u + g;   v = v + u;   e = v                  (compensate: send C(v))
 *   v = v - D(C(v));  u_i = 0 where D(C(v))_i != 0        (update: masking)
 *   unless D(C(v)) = v exactly (the segment went whole, e.g. dense_below): then u is kept
 * </pre>
 * Masking stops the stale momentum of coordinates that waited in v; when the whole segment was
 * sent (v - D(C(v)) = 0 everywhere, bit for bit) none waited, so the segment runs plain momentum
 * SGD (v = u, sent, reset), as the paper's uncompressed layers do; masking it would drop its
 * momentum every step. For coordinates sent exactly (fp32 values) {@code v - D(C(v))} is 0, which
 * is the paper's masking of v; with fp16 values it keeps the rounding error, so no mass is lost.
 * A coordinate counts as sent when its decoded value is non-zero (a value that rounded to 0 was
 * not sent). The momentum then lives here, so the optimizer should be plain SGD (as in the paper).
 *
 * <p>Units: g is what the engine puts on the wire, the mean gradient over the worker's batch (or
 * the optimizer's update under {@code --optimizer-on workers}); c is an L2 norm in that unit, of
 * one segment (one layer under layer-wise granularity) on one worker. The paper clips the sum of
 * all layers' norms against a global threshold G scaled by N^(-1/2) for N workers: here pass
 * {@code clip} = G / sqrt(N) yourself (the memory does not know N), and note it is per segment.
 *
 * <p>Differs from the paper: clipping is per segment and its threshold is already the per-worker
 * one; warm-up is the sparsifier's ({@code dgc:..,warmup=<steps>}); v keeps the rounding error of
 * values sent in fp16. Nothing of it goes on the wire: u and v are two fp32 per element, kept on
 * the worker.
 *
 * <p>Spec: {@code dgc[:momentum=0.9][,clip=<norm>]} (or {@code dgc:0.9}), momentum in [0, 1),
 * clip &gt; 0 (absent: no clipping).
 */
public final class DgcMemory implements Memory {

    private final float momentum;
    private final double clip;
    private final Layout layout;
    private final float[][] u;
    private final float[][] v;

    private DgcMemory(float momentum, double clip, Layout layout) {
        this.momentum = momentum;
        this.clip = clip;
        this.layout = layout;
        this.u = new float[layout.size()][];
        this.v = new float[layout.size()][];
    }

    /** Parses {@code dgc[:momentum=..][,clip=..]}. */
    public static MemorySpec parse(SpecParams p) {
        p.allowOnly(Set.of("momentum", "clip"));
        float momentum = (float) p.getDouble("momentum", true, 0.9, 0, 0.999999);
        if (p.has("clip")) {
            double clip = p.getDouble("clip", false, 0, Double.MIN_VALUE, Float.MAX_VALUE);
            return new Spec(momentum, clip);
        }
        return new Spec(momentum);
    }

    /** u of every segment, then v. */
    @Override
    public float[][] state() {
        return Memory.copyOf(u, v);
    }

    @Override
    public void restoreState(float[][] state) {
        float[][] both = new float[2 * u.length][];
        Memory.copyState(state, both, layout, "dgc memory");
        System.arraycopy(both, 0, u, 0, u.length);
        System.arraycopy(both, u.length, v, 0, v.length);
    }

    private void check(int segment, int length) {
        if (segment < 0 || segment >= u.length || layout.get(segment).length() != length) {
            throw new IllegalArgumentException("memory: segment " + segment + " of length " + length
                    + " does not match the layout " + layout);
        }
        if (u[segment] == null) {
            u[segment] = new float[length];
            v[segment] = new float[length];
        }
    }

    @Override
    public void compensate(int segment, float[] gradient, int offset, int length, float[] out) {
        check(segment, length);
        float[] us = u[segment];
        float[] vs = v[segment];
        float scale = clip > 0 ? clipScale(gradient, offset, length) : 1f;
        for (int i = 0; i < length; i++) {
            float ui = momentum * us[i] + gradient[offset + i] * scale;
            us[i] = ui;
            float vi = vs[i] + ui;
            vs[i] = vi;
            out[i] = vi;
        }
    }

    /** min(1, clip / ||g||) for the segment's gradient (1 for a zero gradient). */
    private float clipScale(float[] g, int offset, int length) {
        double sq = 0;
        for (int i = offset, end = offset + length; i < end; i++) {
            sq += (double) g[i] * g[i];
        }
        double norm = Math.sqrt(sq);
        return norm > clip ? (float) (clip / norm) : 1f;
    }

    @Override
    public void update(int segment, float[] compensated, float[] sent, int length) {
        check(segment, length);
        float[] us = u[segment];
        float[] vs = v[segment];
        boolean whole = true;
        for (int i = 0; i < length; i++) {
            float s = sent[i];
            vs[i] = compensated[i] - s;
            whole &= Float.floatToRawIntBits(compensated[i]) == Float.floatToRawIntBits(s);
        }
        if (whole) {
            return; // nothing waited in v: keep the momentum (plain momentum SGD)
        }
        for (int i = 0; i < length; i++) {
            if (sent[i] != 0f) {
                us[i] = 0f;
            }
        }
    }

    /** The momentum of segment {@code segment} (not copied), for tests; null before its first step. */
    float[] momentum(int segment) {
        return u[segment];
    }

    @Override
    public double residualNormSquared() {
        double s = 0;
        for (float[] r : v) {
            if (r != null) {
                for (float x : r) {
                    s += (double) x * x;
                }
            }
        }
        return s;
    }

    /** {@code dgc:momentum=..[,clip=..]}; clip 0 means no clipping. */
    public record Spec(float momentum, double clip) implements MemorySpec {

        public Spec {
            if (!(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("dgc memory: momentum = " + momentum + " is out of range; allowed: [0, 1)");
            }
            if (!(clip >= 0 && clip <= Float.MAX_VALUE)) {
                throw new IllegalArgumentException("dgc memory: clip = " + clip + " is out of range; allowed: > 0 (or absent)");
            }
        }

        public Spec(float momentum) {
            this(momentum, 0);
        }

        @Override
        public String name() {
            return "dgc";
        }

        @Override
        public String spec() {
            return "dgc:momentum=" + momentum + (clip > 0 ? ",clip=" + clip : "");
        }

        @Override
        public Memory create(Layout segments) {
            return new DgcMemory(momentum, clip, segments);
        }
    }
}
