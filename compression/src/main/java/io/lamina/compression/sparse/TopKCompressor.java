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
 * with ties broken by the lower index, so the selection is exact and deterministic; a
 * contraction, {@code ||x - C(x)||^2 <= (1 - k/d) ||x||^2}. k is {@code max(1, round(ratio * d))}
 * or a fixed count (capped at d); selection by {@link TopKSelector}. Wire ({@link SparseMessage}): varint length, varint workers, varint count, 1 tag
 * byte (index coding | value code << 4), the kept values (4 bytes each in fp32, 2 in fp16/bf16),
 * then the indices as gaps, varints or bit-packed blocks, whichever is smaller
 * ({@link SparseIndexCodec}). Merges take the union of supports ({@link SparseSum}).
 * Differs from the paper: the values travel in fp16 by default (a relative error of at most 2^-11,
 * saturating at 65504, which the error-feedback memory carries over; {@code values=fp32} is exact).
 *
 * <p>Warm-up (Lin et al., "Deep Gradient Compression", ICLR 2018, section 3.3): during the first
 * {@code warmup} steps the density decays exponentially from 25% to the target,
 * <pre>  density(t) = 0.25 * (target / 0.25)^(t / warmup),  k_t = max(k, ceil(density(t) * d))</pre>
 * It depends only on the step, so reruns and all workers agree ({@link KParam#of(int, long, int)}).
 *
 * <p>Spec: {@code topk[:<ratio>]}, {@code topk:ratio=0.01}, {@code topk:k=1000}, with
 * {@code values=fp16|fp32|bf16} (default fp16), {@code dense_below=<n>} and {@code warmup=<steps>};
 * {@code topk:budget=<bytes>} chooses k per segment under a byte budget ({@link BudgetTopKCompressor}).
 */
public final class TopKCompressor extends AbstractSparsifier {

    private final Spec spec;

    private TopKCompressor(Spec spec) {
        this.spec = spec;
    }

    /** Parses {@code topk[:params]}; {@code topk:budget=<bytes>} is {@link BudgetTopKCompressor}'s. */
    public static CompressorSpec parse(SpecParams p) {
        if (p.has("budget")) {
            return BudgetTopKCompressor.parse(p);
        }
        p.allowOnly(Set.of("ratio", "k", "values", "dense_below", "warmup"));
        int warmup = p.getInt("warmup", false, 0, 0, Integer.MAX_VALUE);
        return DenseBelow.wrap(p, new Spec(KParam.parse(p, 0.01), SparseSpecs.values(p, ValuePrecision.FP16), warmup));
    }

    @Override
    public String name() {
        return "topk";
    }

    @Override
    public Message encode(float[] values, int offset, int length, EncodeContext ctx) {
        Selection s = TopKSelector.select(values, offset, length, k(length, ctx.step()));
        return s.toMessage(length, spec.values());
    }

    /** k for a segment of {@code length} at {@code step}, with the warm-up applied. */
    int k(int length, long step) {
        return spec.k().of(length, step, spec.warmup());
    }

    /** {@code topk:<k>,values=<p>[,warmup=<steps>]}. */
    public record Spec(KParam k, ValuePrecision values, int warmup) implements CompressorSpec {

        public Spec {
            if (k == null || values == null || warmup < 0) {
                throw new IllegalArgumentException("topk needs k (or a ratio), a value encoding and warmup >= 0");
            }
        }

        public Spec(KParam k, ValuePrecision values) {
            this(k, values, 0);
        }

        @Override
        public String name() {
            return "topk";
        }

        @Override
        public String spec() {
            return "topk:" + k.spec() + ",values=" + values.specName() + (warmup > 0 ? ",warmup=" + warmup : "");
        }

        @Override
        public Compressor create(Layout segments) {
            return new TopKCompressor(this);
        }
    }
}
