package io.lamina.compression.memory;

import io.lamina.compression.Layout;
import io.lamina.compression.Memory;
import io.lamina.compression.MemorySpec;
import io.lamina.compression.SpecParams;
import java.util.Set;

/**
 * DGC's momentum correction and factor masking (Lin et al., "Deep Gradient Compression", ICLR
 * 2018, Algorithm 4 / eq. (5)-(6)). Per segment, with momentum u and accumulated velocity v
 * (both 0 at the start) and momentum m:
 * <pre>
 *   u = m * u + g;   v = v + u;   e = v                  (compensate: send C(v))
 *   v = v - D(C(v));  u_i = 0 where D(C(v))_i != 0        (update: masking)
 * </pre>
 * For coordinates sent exactly (fp32 values) {@code v - D(C(v))} is 0, which is the paper's
 * masking of v; with fp16 values it keeps the rounding error, so no mass is lost. A coordinate
 * counts as sent when its decoded value is non-zero (a value that rounded to 0 was not sent).
 * The momentum then lives here, so the optimizer should be plain SGD (as in the paper).
 * Differs from the paper: gradient clipping and warm-up are not done here (left to the engine),
 * and v keeps the rounding error of values sent in fp16. Nothing
 * of it goes on the wire: u and v are two fp32 per element, kept on the worker.
 *
 * <p>Spec: {@code dgc[:momentum=0.9]} (or {@code dgc:0.9}), momentum in [0, 1).
 */
public final class DgcMemory implements Memory {

    private final float momentum;
    private final Layout layout;
    private final float[][] u;
    private final float[][] v;

    private DgcMemory(float momentum, Layout layout) {
        this.momentum = momentum;
        this.layout = layout;
        this.u = new float[layout.size()][];
        this.v = new float[layout.size()][];
    }

    /** Parses {@code dgc[:momentum=..]}. */
    public static MemorySpec parse(SpecParams p) {
        p.allowOnly(Set.of("momentum"));
        return new Spec((float) p.getDouble("momentum", true, 0.9, 0, 0.999999));
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
        for (int i = 0; i < length; i++) {
            float ui = momentum * us[i] + gradient[offset + i];
            us[i] = ui;
            float vi = vs[i] + ui;
            vs[i] = vi;
            out[i] = vi;
        }
    }

    @Override
    public void update(int segment, float[] compensated, float[] sent, int length) {
        check(segment, length);
        float[] us = u[segment];
        float[] vs = v[segment];
        for (int i = 0; i < length; i++) {
            float s = sent[i];
            vs[i] = compensated[i] - s;
            if (s != 0f) {
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

    /** {@code dgc:momentum=..}. */
    public record Spec(float momentum) implements MemorySpec {

        public Spec {
            if (!(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("dgc memory: momentum = " + momentum + " is out of range; allowed: [0, 1)");
            }
        }

        @Override
        public String name() {
            return "dgc";
        }

        @Override
        public String spec() {
            return "dgc:momentum=" + momentum;
        }

        @Override
        public Memory create(Layout segments) {
            return new DgcMemory(momentum, segments);
        }
    }
}
