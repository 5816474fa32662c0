package io.lamina.compression.memory;

import io.lamina.compression.Layout;
import io.lamina.compression.Memory;
import io.lamina.compression.MemorySpec;

/** No memory: e = g, and nothing is remembered. */
public final class NoMemory implements Memory {

    public static final MemorySpec SPEC = new Spec();

    /** Parses {@code none}, which takes no parameters. */
    public static MemorySpec parse(io.lamina.compression.SpecParams p) {
        p.allowOnly(java.util.Set.of());
        return SPEC;
    }

    @Override
    public void compensate(int segment, float[] gradient, int offset, int length, float[] out) {
        System.arraycopy(gradient, offset, out, 0, length);
    }

    @Override
    public void update(int segment, float[] compensated, float[] sent, int length) {
        // nothing to remember
    }

    @Override
    public double residualNormSquared() {
        return 0;
    }

    private static final class Spec implements MemorySpec {
        private static final long serialVersionUID = 1L;

        @Override
        public String name() {
            return "none";
        }

        @Override
        public String spec() {
            return "none";
        }

        @Override
        public Memory create(Layout segments) {
            return new NoMemory();
        }

        private Object readResolve() {
            return SPEC;
        }
    }
}
