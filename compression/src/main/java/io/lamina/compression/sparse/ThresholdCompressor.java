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
 * Computing", Interspeech 2015; the fixed-threshold baseline of the GRACE study, Xu et al.,
 * "GRACE: A Compressed Communication Framework for Distributed Machine Learning", ICDCS 2021):
 * <pre>  C(x)_i = x_i if |x_i| >= v, else 0</pre>
 * Element-wise, so it gives the same answer under every granularity. Wire ({@link SparseMessage}): varint length, varint workers, varint count, 1 tag
 * byte (index coding | value code << 4), the kept values (4 bytes each in fp32, 2 in fp16/bf16),
 * then the indices as gaps, varints or bit-packed blocks, whichever is smaller
 * ({@link SparseIndexCodec}). Merges take the union of supports ({@link SparseSum}).
 * Differs from Strom (and DL4J's threshold encoding), which send only signs and apply +-v: the
 * kept values travel (fp16 by default, or fp32/bf16). One pass ({@link ThresholdSelector}) into
 * selection arrays the compressor reuses across steps and segments (the message gets exact-size
 * copies).
 *
 * <p>Unit of v: that of the values on the wire, the mean gradient over the worker's batch (GRACE's
 * and the papers' unit), or the optimizer's update under {@code --optimizer-on workers}; with error
 * feedback, of the compensated values. A v tuned for gradients summed over the batch must be
 * divided by the batch size per worker.
 *
 * <p>Spec: {@code threshold:<v>} or {@code threshold:v=0.001}, {@code values=fp16|fp32|bf16},
 * {@code dense_below=<n>}.
 */
public final class ThresholdCompressor extends AbstractSparsifier {

    private final Spec spec;
    /** Selection arrays reused across steps and segments (messages get exact-size copies). */
    private final ThresholdSelector.Scratch scratch = new ThresholdSelector.Scratch(ThresholdSelector.CHUNK);

    private ThresholdCompressor(Spec spec, Layout layout) {
        this.spec = spec;
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
        Selection s = ThresholdSelector.select(values, offset, length, spec.v(), scratch);
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
