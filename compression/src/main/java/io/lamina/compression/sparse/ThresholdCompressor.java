package io.lamina.compression.sparse;

import io.lamina.compression.Compressor;
import io.lamina.compression.CompressorSpec;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.Layout;
import io.lamina.compression.Message;
import io.lamina.compression.SpecParams;
import io.lamina.compression.message.ValuePrecision;
import java.util.Set;

/**
 * Threshold-v sparsification (Strom, "Scalable Distributed DNN Training Using Commodity GPU Cloud
 * Computing", Interspeech 2015; the fixed-threshold baseline of the GRACE study, Xu et al. 2021):
 * <pre>  C(x)_i = x_i if |x_i| >= v, else 0</pre>
 * Element-wise, so it gives the same answer under every granularity. Unlike Strom (and DL4J's
 * threshold encoding, which send only signs and apply +-v), the kept values travel (fp16 by
 * default, or fp32/bf16). One tight pass ({@link ThresholdSelector}); the capacity of the output
 * arrays is guessed from the previous step's count of the same segment (only a speed hint).
 *
 * <p>Spec: {@code threshold:<v>} or {@code threshold:v=0.001}, {@code values=fp16|fp32|bf16},
 * {@code dense_below=<n>}.
 */
public final class ThresholdCompressor extends AbstractSparsifier {

    private final Spec spec;
    private int[] lastCount;

    private ThresholdCompressor(Spec spec, Layout layout) {
        this.spec = spec;
        this.lastCount = new int[layout.size()];
    }

    /** Parses {@code threshold[:params]}. */
    public static CompressorSpec parse(SpecParams p) {
        p.allowOnly(Set.of("v", "values", "dense_below"));
        return DenseBelow.wrap(p, new Spec(SparseSpecs.positive(p, "v", true, 1e-3),
                SparseSpecs.values(p, ValuePrecision.FP16)));
    }

    @Override
    public String name() {
        return "threshold";
    }

    @Override
    public Message encode(float[] values, int offset, int length, EncodeContext ctx) {
        int seg = ctx.segment();
        if (seg >= lastCount.length) {
            lastCount = java.util.Arrays.copyOf(lastCount, seg + 1);
        }
        int hint = lastCount[seg] == 0 ? (length >>> 6) : lastCount[seg] + (lastCount[seg] >>> 2) + 16;
        Selection s = ThresholdSelector.select(values, offset, length, spec.v(), hint);
        lastCount[seg] = s.count;
        return s.toMessage(length, spec.values());
    }

    /** {@code threshold:v=<v>,values=<p>}. */
    public record Spec(float v, ValuePrecision values) implements CompressorSpec {

        public Spec {
            if (!(v > 0) || Float.isInfinite(v) || values == null) {
                throw new IllegalArgumentException("threshold needs a finite v > 0, got " + v);
            }
        }

        @Override
        public String name() {
            return "threshold";
        }

        @Override
        public String spec() {
            return "threshold:v=" + v + ",values=" + values.specName();
        }

        @Override
        public Compressor create(Layout segments) {
            return new ThresholdCompressor(this, segments);
        }
    }
}
