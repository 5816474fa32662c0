package io.lamina.compression.sparse;

import io.lamina.compression.Compressor;
import io.lamina.compression.CompressorSpec;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.Layout;
import io.lamina.compression.Message;
import io.lamina.compression.SpecParams;
import io.lamina.compression.message.ValuePrecision;
import java.util.Arrays;
import java.util.Set;

/**
 * Adaptive threshold tracking a target density, after DL4J's {@code AdaptiveThresholdAlgorithm}
 * (threshold encoding: Strom, "Scalable Distributed DNN Training Using Commodity GPU Cloud
 * Computing", Interspeech 2015); each segment j has its own tau_j, starting from {@code initial}:
 * <pre>
 *   C(x)_i = x_i if |x_i| >= tau_j, else 0
 *   after the step: tau_j *= step if count/d > density; tau_j /= step if count/d < density
 * </pre>
 * Wire ({@link SparseMessage}): varint length, varint workers, varint count, 1 tag
 * byte (index coding | value code << 4), the kept values (4 bytes each in fp32, 2 in fp16/bf16),
 * then the indices as gaps, varints or bit-packed blocks, whichever is smaller
 * ({@link SparseIndexCodec}). Merges take the union of supports ({@link SparseSum}).
 * Differs from DL4J, which steers the sparsity into a [min, max] band and sends signs only: here
 * one target density and the kept values travel. The state lives in this compressor instance (one
 * per worker) and is keyed by step: re-encoding the same step (a task Spark reruns on the same
 * replica) uses the same tau and gives the same message. The threshold differs per segment, so
 * the answer changes with the granularity.
 *
 * <p>Unit of tau (and of {@code initial}, its starting value): that of the values on the wire, the
 * mean gradient over the worker's batch, or the optimizer's update under
 * {@code --optimizer-on workers}; with error feedback, of the compensated values. Only the first
 * steps depend on {@code initial}: tau then tracks the density by factors of {@code step}, so an
 * initial tau off by a factor F costs about log(F) / log(step) steps of wrong density.
 *
 * <p>Spec: {@code adaptive-tau:density=0.001,initial=1e-3,step=1.1}, plus
 * {@code values=fp16|fp32|bf16} (default fp16) and {@code dense_below=<n>}.
 */
public final class AdaptiveTauCompressor extends AbstractSparsifier {

    private final Spec spec;
    private long[] lastStep;
    private float[] tauUsed;
    private float[] tauNext;

    private AdaptiveTauCompressor(Spec spec, Layout layout) {
        this.spec = spec;
        grow(layout.size());
    }

    private void grow(int n) {
        int old = lastStep == null ? 0 : lastStep.length;
        lastStep = lastStep == null ? new long[n] : Arrays.copyOf(lastStep, n);
        tauUsed = tauUsed == null ? new float[n] : Arrays.copyOf(tauUsed, n);
        tauNext = tauNext == null ? new float[n] : Arrays.copyOf(tauNext, n);
        Arrays.fill(lastStep, old, n, Long.MIN_VALUE);
        Arrays.fill(tauNext, old, n, spec.initial());
    }

    /** Parses {@code adaptive-tau[:params]}. */
    public static CompressorSpec parse(SpecParams p) {
        p.allowOnly(Set.of("density", "initial", "step", "values", "dense_below"));
        double density = p.getDouble("density", true, 1e-3, 0, 1);
        double step = p.getDouble("step", false, 1.1, 1, 1e3);
        return DenseBelow.wrap(p, new Spec(density, SparseSpecs.positive(p, "initial", false, 1e-3), step,
                SparseSpecs.values(p, ValuePrecision.FP16)));
    }

    /** The tau segment {@code seg} will use at its next new step (for tests and metrics). */
    public float tau(int seg) {
        return tauNext[seg];
    }

    @Override
    public String name() {
        return "adaptive-tau";
    }

    /** The thresholds of the next step, one per segment. */
    @Override
    public float[][] workerState() {
        return new float[][] {tauNext.clone()};
    }

    @Override
    public void restoreWorkerState(float[][] state) {
        if (state == null || state.length != 1 || state[0] == null) {
            throw new IllegalArgumentException("adaptive-tau: saved state must hold one array of thresholds");
        }
        grow(Math.max(state[0].length, tauNext.length));
        System.arraycopy(state[0], 0, tauNext, 0, state[0].length);
        java.util.Arrays.fill(lastStep, Long.MIN_VALUE); // the next step starts from tauNext
    }

    @Override
    public Message encode(float[] values, int offset, int length, EncodeContext ctx) {
        int seg = ctx.segment();
        if (seg >= lastStep.length) {
            grow(seg + 1);
        }
        if (lastStep[seg] != ctx.step()) {
            tauUsed[seg] = tauNext[seg];
            lastStep[seg] = ctx.step();
        }
        float tau = tauUsed[seg];
        Selection s = ThresholdSelector.select(values, offset, length, tau, (int) (spec.density() * length * 1.5) + 16);
        double density = (double) s.count / length;
        float next = tau;
        if (density > spec.density()) {
            next = (float) Math.min(Float.MAX_VALUE, tau * spec.step());
        } else if (density < spec.density()) {
            next = (float) Math.max(Float.MIN_NORMAL, tau / spec.step());
        }
        tauNext[seg] = next;
        return s.toMessage(length, spec.values());
    }

    /** {@code adaptive-tau:density=..,initial=..,step=..,values=..}. */
    public record Spec(double density, float initial, double step, ValuePrecision values) implements CompressorSpec {

        public Spec {
            if (!(density > 0 && density <= 1)) {
                throw new IllegalArgumentException("adaptive-tau: density = " + density + " is out of range; allowed: (0, 1]");
            }
            if (!(initial > 0) || Float.isInfinite(initial)) {
                throw new IllegalArgumentException("adaptive-tau: initial = " + initial + " must be a finite value > 0");
            }
            if (!(step > 1 && step <= 1e3)) {
                throw new IllegalArgumentException("adaptive-tau: step = " + step + " is out of range; allowed: (1, 1000]");
            }
            if (values == null) {
                throw new IllegalArgumentException("adaptive-tau needs a value encoding");
            }
        }

        @Override
        public String name() {
            return "adaptive-tau";
        }

        @Override
        public String spec() {
            return "adaptive-tau:density=" + density + ",initial=" + initial + ",step=" + step
                    + ",values=" + values.specName();
        }

        @Override
        public Compressor create(Layout segments) {
            return new AdaptiveTauCompressor(this, segments);
        }
    }
}
