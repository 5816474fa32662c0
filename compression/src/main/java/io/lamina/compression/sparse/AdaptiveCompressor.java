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
 * Adaptive threshold, AdaComp-style (Chen, Choi, Brand, Agrawal, Zhang, Gopalakrishnan, "AdaComp:
 * Adaptive Residual Gradient Compression for Data-Parallel Distributed Training", AAAI 2018), in
 * the per-segment form used by Dutta et al., "On the Discrepancy between the Theoretical Analysis
 * and Practical Implementations of Compressed Communication for Distributed Deep Learning", AAAI
 * 2020:
 * <pre>  C(x)_i = x_i if |x_i| >= max_j |x_j| / 2 (j over the segment), else 0</pre>
 * Two passes (max, then select); an all-zero segment sends nothing. Wire ({@link SparseMessage}): varint length, varint workers, varint count, 1 tag
 * byte (index coding | value code << 4), the kept values (4 bytes each in fp32, 2 in fp16/bf16),
 * then the indices as gaps, varints or bit-packed blocks, whichever is smaller
 * ({@link SparseIndexCodec}). Merges take the union of supports ({@link SparseSum}).
 * Differs from AdaComp, which compares against the maximum of each small bin: here the bin is the
 * whole segment, so the answer changes with the granularity.
 *
 * <p>Spec: {@code adaptive}, with {@code values=fp16|fp32|bf16} (default fp16) and
 * {@code dense_below=<n>}.
 */
public final class AdaptiveCompressor extends AbstractSparsifier {

    private final Spec spec;

    private AdaptiveCompressor(Spec spec) {
        this.spec = spec;
    }

    /** Parses {@code adaptive[:params]}. */
    public static CompressorSpec parse(SpecParams p) {
        p.allowOnly(Set.of("values", "dense_below"));
        return DenseBelow.wrap(p, new Spec(SparseSpecs.values(p, ValuePrecision.FP16)));
    }

    @Override
    public String name() {
        return "adaptive";
    }

    @Override
    public Message encode(float[] values, int offset, int length, EncodeContext ctx) {
        float max = ThresholdSelector.maxAbs(values, offset, length);
        if (max == 0) {
            return SparseMessage.empty(length, spec.values(), 1);
        }
        Selection s = ThresholdSelector.select(values, offset, length, max / 2, 64);
        return s.toMessage(length, spec.values());
    }

    /** {@code adaptive:values=<p>}. */
    public record Spec(ValuePrecision values) implements CompressorSpec {

        public Spec {
            if (values == null) {
                throw new IllegalArgumentException("adaptive needs a value encoding");
            }
        }

        @Override
        public String name() {
            return "adaptive";
        }

        @Override
        public String spec() {
            return "adaptive:values=" + values.specName();
        }

        @Override
        public Compressor create(Layout segments) {
            return new AdaptiveCompressor(this);
        }
    }
}
