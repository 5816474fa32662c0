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
 * Top-k sparsification (Aji and Heafield, "Sparse Communication for Distributed Gradient
 * Descent", EMNLP 2017; analysed with error feedback by Stich, Cordonnier and Jaggi, "Sparsified
 * SGD with Memory", NeurIPS 2018): per segment of d elements,
 * <pre>  C(x)_i = x_i if |x_i| is among the k largest magnitudes, else 0</pre>
 * with ties broken by the lower index, so the selection is exact and deterministic. It is a
 * contraction: {@code ||x - C(x)||^2 <= (1 - k/d) ||x||^2}. k is {@code max(1, round(ratio * d))}
 * or a fixed count (capped at d). Selection: {@link TopKSelector} (sampled threshold, one linear
 * pass, radix select among the candidates).
 *
 * <p>Spec: {@code topk[:<ratio>]}, {@code topk:ratio=0.01}, {@code topk:k=1000}, with
 * {@code values=fp16|fp32|bf16} (default fp16) and {@code dense_below=<n>}.
 *
 * <p>Values default to fp16: at 1% density an index costs ~1.2 bytes, so a kept element costs
 * ~3.2 bytes with fp16 values (within the 3.5-byte target) and ~5.2 with fp32. The price is a
 * relative rounding error of at most 2^-11 per sent value (and saturation at 65504), which the
 * error-feedback memory carries over to the next step; {@code values=fp32} sends them exactly.
 */
public final class TopKCompressor extends AbstractSparsifier {

    private final Spec spec;

    private TopKCompressor(Spec spec) {
        this.spec = spec;
    }

    /** Parses {@code topk[:params]}. */
    public static CompressorSpec parse(SpecParams p) {
        p.allowOnly(Set.of("ratio", "k", "values", "dense_below"));
        return DenseBelow.wrap(p, new Spec(KParam.parse(p, 0.01), SparseSpecs.values(p, ValuePrecision.FP16)));
    }

    @Override
    public String name() {
        return "topk";
    }

    @Override
    public Message encode(float[] values, int offset, int length, EncodeContext ctx) {
        Selection s = TopKSelector.select(values, offset, length, spec.k().of(length));
        return s.toMessage(length, spec.values());
    }

    /** {@code topk:<k>,values=<p>}. */
    public record Spec(KParam k, ValuePrecision values) implements CompressorSpec {

        public Spec {
            if (k == null || values == null) {
                throw new IllegalArgumentException("topk needs k (or a ratio) and a value encoding");
            }
        }

        @Override
        public String name() {
            return "topk";
        }

        @Override
        public String spec() {
            return "topk:" + k.spec() + ",values=" + values.specName();
        }

        @Override
        public Compressor create(Layout segments) {
            return new TopKCompressor(this);
        }
    }
}
