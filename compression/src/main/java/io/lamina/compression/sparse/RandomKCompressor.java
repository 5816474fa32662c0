package io.lamina.compression.sparse;

import io.lamina.compression.Compressor;
import io.lamina.compression.CompressorSpec;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.Layout;
import io.lamina.compression.Message;
import io.lamina.compression.SpecParams;
import io.lamina.compression.message.DenseMessage;
import io.lamina.compression.message.ValuePrecision;
import java.util.Arrays;
import java.util.Set;

/**
 * Random-k sparsification (Stich, Cordonnier and Jaggi, "Sparsified SGD with Memory", NeurIPS
 * 2018; Wangni, Wang, Liu, Zhang, "Gradient Sparsification for Communication-Efficient Distributed
 * Optimization", NeurIPS 2018): per segment of d elements, a uniformly random k-subset S and
 * <pre>  C(x)_i = s * x_i for i in S, else 0,   s = 1 (biased) or s = d / k (scaled: E[C(x)] = x)</pre>
 * Differs from the papers: S is drawn from the step's and segment's shared seed
 * ({@link EncodeContext#sharedSeed()}), so every worker picks the same S, no index travels and
 * messages sum in code space (the merged message is the sum of the value arrays). Wire
 * ({@link SharedIndexMessage}): varint length, varint workers, varint k, 8-byte seed, 1 byte value
 * code (0 fp32, 1 fp16, 2 bf16), then the k values (4 or 2 bytes each). S is regenerated from
 * (seed, k, d) by {@link RandomSubset} when decoding.
 *
 * <p>Spec: {@code randomk[:<ratio>]}, {@code randomk:ratio=0.01}, {@code randomk:k=1000},
 * {@code scaled=true|false} (default false), {@code values=fp32|fp16|bf16} (default fp32: the
 * values are the whole message, and fp32 keeps the scaled variant exactly unbiased),
 * {@code dense_below=<n>}.
 */
public final class RandomKCompressor implements Compressor {

    private final Spec spec;

    private RandomKCompressor(Spec spec) {
        this.spec = spec;
    }

    /** Parses {@code randomk[:params]}. */
    public static CompressorSpec parse(SpecParams p) {
        p.allowOnly(Set.of("ratio", "k", "scaled", "values", "dense_below"));
        String scaled = p.getString("scaled", false, "false").trim().toLowerCase(java.util.Locale.ROOT);
        if (!scaled.equals("true") && !scaled.equals("false")) {
            throw new IllegalArgumentException("spec '" + p.spec() + "': scaled = '" + scaled
                    + "'; allowed: true, false");
        }
        return DenseBelow.wrap(p, new Spec(KParam.parse(p, 0.01), scaled.equals("true"),
                SparseSpecs.values(p, ValuePrecision.FP32)));
    }

    /** Whether {@code spec} (a randomk spec, maybe with {@code dense_below}) scales what it keeps by d/k. */
    public static boolean scaled(CompressorSpec spec) {
        CompressorSpec s = spec instanceof DenseBelow.Spec d ? d.inner() : spec;
        return s instanceof Spec r && r.scaled();
    }

    @Override
    public String name() {
        return "randomk";
    }

    @Override
    public Message encode(float[] values, int offset, int length, EncodeContext ctx) {
        int k = spec.k().of(length);
        long seed = ctx.sharedSeed();
        int[] idx = RandomSubset.of(seed, k, length);
        float[] v = new float[k];
        float scale = spec.scaled() ? (float) ((double) length / k) : 1f;
        for (int j = 0; j < k; j++) {
            v[j] = values[offset + idx[j]] * scale;
        }
        spec.values().roundInPlace(v, k);
        return new SharedIndexMessage(length, seed, v, spec.values(), 1);
    }

    @Override
    public void decode(Message message, float[] dst, int dstOffset) {
        if (message instanceof SharedIndexMessage m) {
            Arrays.fill(dst, dstOffset, dstOffset + m.length(), 0f);
            int[] idx = RandomSubset.of(m.seed(), m.k(), m.length());
            float[] v = m.values();
            for (int j = 0; j < idx.length; j++) {
                dst[dstOffset + idx[j]] = v[j];
            }
        } else {
            SparseSum.decode(message, dst, dstOffset);
        }
    }

    @Override
    public Message merge(Message a, Message b) {
        if (a instanceof SharedIndexMessage x && b instanceof SharedIndexMessage y) {
            if (x.length() != y.length() || x.k() != y.k() || x.seed() != y.seed()) {
                throw new IllegalArgumentException("random-k messages of different steps or segments cannot merge: "
                        + x + " seed " + x.seed() + " vs " + y + " seed " + y.seed());
            }
            float[] s = new float[x.k()];
            float[] xv = x.values();
            float[] yv = y.values();
            for (int j = 0; j < s.length; j++) {
                s[j] = xv[j] + yv[j];
            }
            ValuePrecision p = ValuePrecision.narrowestExact(x.precision(), y.precision(), s, s.length);
            return new SharedIndexMessage(x.length(), x.seed(), s, p, x.workers() + y.workers());
        }
        return SparseSum.merge(toDense(a), toDense(b));
    }

    private Message toDense(Message m) {
        if (m instanceof SharedIndexMessage s) {
            float[] d = new float[s.length()];
            decode(s, d, 0);
            return new DenseMessage(d, s.workers());
        }
        return m;
    }

    @Override
    public void finish(Message aggregate, float[] dst, int dstOffset) {
        if (aggregate instanceof SharedIndexMessage m) {
            Arrays.fill(dst, dstOffset, dstOffset + m.length(), 0f);
            float n = m.workers();
            int[] idx = RandomSubset.of(m.seed(), m.k(), m.length());
            float[] v = m.values();
            for (int j = 0; j < idx.length; j++) {
                dst[dstOffset + idx[j]] = v[j] / n;
            }
        } else {
            SparseSum.finish(aggregate, dst, dstOffset);
        }
    }

    /** {@code randomk:<k>,scaled=..,values=..}. */
    public record Spec(KParam k, boolean scaled, ValuePrecision values) implements CompressorSpec {

        public Spec {
            if (k == null || values == null) {
                throw new IllegalArgumentException("randomk needs k (or a ratio) and a value encoding");
            }
        }

        @Override
        public String name() {
            return "randomk";
        }

        @Override
        public String spec() {
            return "randomk:" + k.spec() + ",scaled=" + scaled + ",values=" + values.specName();
        }

        @Override
        public Compressor create(Layout segments) {
            return new RandomKCompressor(this);
        }
    }
}
