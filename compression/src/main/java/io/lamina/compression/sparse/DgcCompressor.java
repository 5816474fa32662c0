package io.lamina.compression.sparse;

import io.lamina.compression.Compressor;
import io.lamina.compression.CompressorSpec;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.Layout;
import io.lamina.compression.Message;
import io.lamina.compression.Seeds;
import io.lamina.compression.SpecParams;
import io.lamina.compression.message.ValuePrecision;
import java.util.Set;

/**
 * DGC's sparsifier (Lin, Han, Mao, Wang, Dally, "Deep Gradient Compression: Reducing the
 * Communication Bandwidth for Distributed Training", ICLR 2018): Top-k with a sampled threshold.
 * Per segment of d elements with target k:
 * <pre>
 *   S   = m = max(1, round(sample * d)) magnitudes |x_i| at positions drawn from the worker seed
 *   thr = the ks-th largest of S, ks = max(1, round(k * m / d))
 *   C(x)_i = x_i if |x_i| >= thr, else 0
 * </pre>
 * kept inside the band [0.7k, 1.3k]: if more than 1.3k pass, the exact Top-k of the selected
 * elements is sent (the paper's hierarchical selection); if fewer than 0.7k pass,
 * {@code thr *= 0.7} up to 10 times (as GRACE's implementation does), then exact Top-k. So the
 * count is always in [ceil(0.7k), floor(1.3k)] or exactly k. Wire ({@link SparseMessage}): varint length, varint workers, varint count, 1 tag
 * byte (index coding | value code << 4), the kept values (4 bytes each in fp32, 2 in fp16/bf16),
 * then the indices as gaps, varints or bit-packed blocks, whichever is smaller
 * ({@link SparseIndexCodec}). Merges take the union of supports ({@link SparseSum}).
 * The sample is drawn from {@link EncodeContext#workerSeed()}, so a rerun task sends the same
 * message. Momentum correction and factor masking are the {@code dgc} memory's job
 * ({@code memory.DgcMemory}).
 *
 * <p>Warm-up (the paper's section 3.3, {@code warmup=<steps>}, default 0: none): during the first
 * {@code warmup} steps the target k is raised, the density decaying exponentially from 25% to the
 * target ({@link KParam#of(int, long, int)}, shared with {@code topk}):
 * <pre>  density(t) = 0.25 * (target / 0.25)^(t / warmup),  k_t = max(k, ceil(density(t) * d))</pre>
 * The paper steps the sparsity 75%, 93.75%, 98.4375%, 99.6%, 99.9% over four epochs; with target
 * 0.1% and {@code warmup} = four epochs of steps this curve passes 6.3%, 1.6%, 0.40% at the epoch
 * boundaries (the paper's 6.25%, 1.5625%, 0.39%), decaying continuously in between.
 *
 * <p>Spec: {@code dgc[:<ratio>]}, {@code dgc:ratio=0.01} or {@code dgc:k=1000}, {@code sample=0.01}
 * (fraction sampled, in (0, 1]), {@code values=fp16|fp32|bf16} (default fp16), {@code dense_below=<n>},
 * {@code warmup=<steps>}. Local gradient clipping is the {@code dgc} memory's ({@code clip=<norm>}).
 */
public final class DgcCompressor extends AbstractSparsifier {

    static final double LOW = 0.7;
    static final double HIGH = 1.3;

    private final Spec spec;

    private DgcCompressor(Spec spec) {
        this.spec = spec;
    }

    /** Parses {@code dgc[:params]}. */
    public static CompressorSpec parse(SpecParams p) {
        p.allowOnly(Set.of("ratio", "k", "sample", "values", "dense_below", "warmup"));
        double sample = p.getDouble("sample", false, 0.01, 0, 1);
        int warmup = p.getInt("warmup", false, 0, 0, Integer.MAX_VALUE);
        return DenseBelow.wrap(p, new Spec(KParam.parse(p, 0.01), sample, SparseSpecs.values(p, ValuePrecision.FP16),
                warmup));
    }

    @Override
    public String name() {
        return "dgc";
    }

    @Override
    public Message encode(float[] values, int offset, int length, EncodeContext ctx) {
        int k = spec.k().of(length, ctx.step(), spec.warmup());
        if (k >= length) {
            return TopKSelector.select(values, offset, length, k).toMessage(length, spec.values());
        }
        int m = (int) Math.max(1, Math.min(length, Math.round(spec.sample() * length)));
        int[] sample = new int[m];
        long state = ctx.workerSeed();
        for (int i = 0; i < m; i++) {
            state += 0x9E3779B97F4A7C15L;
            long r = Seeds.splitMix(state) >>> 32;
            sample[i] = TopKSelector.key(values[offset + (int) ((r * length) >>> 32)]);
        }
        int ks = (int) Math.max(1, Math.min(m, Math.round((double) k * m / length)));
        float thr = Float.intBitsToFloat((int) (TopKSelector.kthLargest(sample, m, ks) >>> 32));
        int count = ThresholdSelector.count(values, offset, length, thr);
        for (int it = 0; it < 10 && count < LOW * k; it++) {
            thr *= 0.7f;
            count = ThresholdSelector.count(values, offset, length, thr);
        }
        Selection s;
        if (count < LOW * k) {
            s = TopKSelector.select(values, offset, length, k);
        } else if (count > HIGH * k) {
            s = TopKSelector.selectWithGuess(values, offset, length, k, TopKSelector.key(thr));
        } else {
            s = ThresholdSelector.select(values, offset, length, thr, count);
        }
        return s.toMessage(length, spec.values());
    }

    /** {@code dgc:<k>,sample=..,values=..[,warmup=<steps>]}. */
    public record Spec(KParam k, double sample, ValuePrecision values, int warmup) implements CompressorSpec {

        public Spec {
            if (k == null || values == null || warmup < 0) {
                throw new IllegalArgumentException("dgc needs k (or a ratio), a value encoding and warmup >= 0");
            }
            if (!(sample > 0 && sample <= 1)) {
                throw new IllegalArgumentException("dgc: sample = " + sample + " is out of range; allowed: (0, 1]");
            }
        }

        @Override
        public String name() {
            return "dgc";
        }

        @Override
        public String spec() {
            return "dgc:" + k.spec() + ",sample=" + sample + ",values=" + values.specName()
                    + (warmup > 0 ? ",warmup=" + warmup : "");
        }

        @Override
        public Compressor create(Layout segments) {
            return new DgcCompressor(this);
        }
    }
}
