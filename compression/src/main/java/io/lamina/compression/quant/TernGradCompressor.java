package io.lamina.compression.quant;

import io.lamina.compression.Compressor;
import io.lamina.compression.CompressorSpec;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.GatheringCompressor;
import io.lamina.compression.Layout;
import io.lamina.compression.Message;
import io.lamina.compression.Seeds;
import io.lamina.compression.message.TernaryMessage;

/**
 * TernGrad (Wen, Xu, Yan, Wu, Wang, Chen, Li, "TernGrad: Ternary Gradients to Reduce
 * Communication in Distributed Deep Learning", NeurIPS 2017), per segment g:
 * <pre>
 *   c = clip * sigma(g)            (sigma: the standard deviation of g's entries; clip = 2.5)
 *   g'_i = max(-c, min(c, g_i))    (gradient clipping)
 *   s_t = max_i |g'_i|
 *   C(g)_i = s_t * sign(g'_i) * b_i,   b_i ~ Bernoulli(|g'_i| / s_t)
 * </pre>
 * Unbiased with respect to the clipped gradient: E[C(g)] = g'. As in the paper and GRACE, sigma
 * is the population standard deviation (centred). Wire ({@link TernaryMessage}): s_t in fp32 and
 * the ternary codes five to a byte in base 3 (1.6 bits per element). The Bernoulli draws use
 * 24-bit uniforms (five from two SplitMix64 outputs) seeded by {@link EncodeContext#workerSeed()}.
 * Per-worker scales are not summable: aggregation is gathered-then-dense.
 * Parameter {@code clip} (multiple of sigma) in (0, 1000], default 2.5.
 */
public final class TernGradCompressor extends GatheringCompressor {

    public static final double DEFAULT_CLIP = 2.5;
    private static final long GAMMA = 0x9E3779B97F4A7C15L;
    private static final float U = 0x1p-24f;

    private final double clip;

    public TernGradCompressor(double clip) {
        this.clip = clip;
    }

    @Override
    public String name() {
        return "terngrad";
    }

    @Override
    public Message encode(float[] v, int offset, int length, EncodeContext ctx) {
        double sum = 0;
        double ss = 0;
        float max = 0;
        double sum1 = 0;
        double ss1 = 0;
        float max1 = 0;
        int end = offset + length;
        int i0 = offset;
        for (; i0 + 1 < end; i0 += 2) {
            double x = v[i0];
            double y = v[i0 + 1];
            sum += x;
            sum1 += y;
            ss += x * x;
            ss1 += y * y;
            max = Math.max(max, Math.abs(v[i0]));
            max1 = Math.max(max1, Math.abs(v[i0 + 1]));
        }
        if (i0 < end) {
            double x = v[i0];
            sum += x;
            ss += x * x;
            max = Math.max(max, Math.abs(v[i0]));
        }
        sum += sum1;
        ss += ss1;
        max = Math.max(max, max1);
        if (!Double.isFinite(ss) || !Float.isFinite(max)) {
            requireFinite(v, offset, length, ctx);
        }
        double mean = sum / length;
        double sigma = Math.sqrt(Math.max(0, ss / length - mean * mean));
        float c = (float) Math.min(Float.MAX_VALUE, clip * sigma);
        float st = Math.min(max, c);
        int nb = TernaryMessage.bytes(length);
        long[] words = new long[(nb + 7) >>> 3];
        long state = ctx.workerSeed();
        int full = length / 5;
        for (int j = 0; j < full; j++) {
            int i = offset + 5 * j;
            long r1 = Seeds.splitMix(state += GAMMA);
            long r2 = Seeds.splitMix(state += GAMMA);
            int b = trit(v[i], c, st, (r1 >>> 40) * U)
                    + 3 * trit(v[i + 1], c, st, ((r1 >>> 16) & 0xFFFFFF) * U)
                    + 9 * trit(v[i + 2], c, st, (r2 >>> 40) * U)
                    + 27 * trit(v[i + 3], c, st, ((r2 >>> 16) & 0xFFFFFF) * U)
                    + 81 * trit(v[i + 4], c, st, ((((r1 & 0xFFFF) << 8) | (r2 & 0xFF))) * U);
            words[j >>> 3] |= (long) b << ((j & 7) << 3);
        }
        if (full < nb) {
            int b = 0;
            int pow = 1;
            for (int k = 5 * full; k < length; k++, pow *= 3) { // at most four trailing trits
                long r = Seeds.splitMix(state += GAMMA);
                b += pow * trit(v[offset + k], c, st, (r >>> 40) * U);
            }
            words[full >>> 3] |= (long) b << ((full & 7) << 3);
        }
        return new TernaryMessage(st, length, words);
    }

    /** The trit (code + 1) of x: 0 for -1, 1 for 0, 2 for +1. */
    private static int trit(float x, float c, float st, float u) {
        float a = Math.min(Math.abs(x), c);
        int keep = Float.floatToRawIntBits(u * st - a) >>> 31; // 1 iff u * st < a (branch-free)
        int neg = Float.floatToRawIntBits(x) >>> 31; // -0 is never kept (a = 0)
        return 1 + keep - 2 * (keep & neg);
    }

    /** Parses {@code terngrad[:clip=<multiple of sigma>]}. */
    public static CompressorSpec parse(io.lamina.compression.SpecParams p) {
        p.allowOnly(java.util.Set.of("clip"));
        return new Spec(p.getDouble("clip", true, DEFAULT_CLIP, Double.MIN_VALUE, 1000));
    }

    /** The spec {@code terngrad[:clip=<multiple of sigma>]}. */
    public record Spec(double clip) implements CompressorSpec {

        public Spec {
            if (!(clip > 0 && clip <= 1000)) {
                throw new IllegalArgumentException("terngrad: clip = " + clip
                        + " is out of range; allowed: (0, 1000] (multiples of sigma)");
            }
        }

        @Override
        public String name() {
            return "terngrad";
        }

        @Override
        public String spec() {
            return clip == DEFAULT_CLIP ? "terngrad" : "terngrad:clip=" + clip;
        }

        @Override
        public Compressor create(Layout segments) {
            return new TernGradCompressor(clip);
        }
    }
}
