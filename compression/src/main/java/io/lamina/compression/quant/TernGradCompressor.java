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
        double sum0 = 0;
        double sum1 = 0;
        double sum2 = 0;
        double sum3 = 0;
        double ss0 = 0;
        double ss1 = 0;
        double ss2 = 0;
        double ss3 = 0;
        int maxBits = 0; // max |x| as fp32 bits: integer order = float order, NaN above infinity
        int end = offset + length;
        int i0 = offset;
        for (; i0 + 3 < end; i0 += 4) {
            float x0 = v[i0];
            float x1 = v[i0 + 1];
            float x2 = v[i0 + 2];
            float x3 = v[i0 + 3];
            sum0 += x0;
            sum1 += x1;
            sum2 += x2;
            sum3 += x3;
            ss0 += (double) x0 * x0;
            ss1 += (double) x1 * x1;
            ss2 += (double) x2 * x2;
            ss3 += (double) x3 * x3;
            maxBits = Math.max(maxBits, Math.max(Math.max(Float.floatToRawIntBits(x0) & 0x7FFFFFFF,
                    Float.floatToRawIntBits(x1) & 0x7FFFFFFF), Math.max(Float.floatToRawIntBits(x2)
                    & 0x7FFFFFFF, Float.floatToRawIntBits(x3) & 0x7FFFFFFF)));
        }
        for (; i0 < end; i0++) {
            float x = v[i0];
            sum0 += x;
            ss0 += (double) x * x;
            maxBits = Math.max(maxBits, Float.floatToRawIntBits(x) & 0x7FFFFFFF);
        }
        double sum = (sum0 + sum1) + (sum2 + sum3);
        double ss = (ss0 + ss1) + (ss2 + ss3);
        float max = Float.intBitsToFloat(maxBits);
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
        // Bernoulli(min(|x|, c) / st) is kept iff u * st < min(|x|, c), which for st = min(max, c)
        // > 0 is u * st < |x| (if |x| >= st both hold, u < 1); st = 0 keeps nothing.
        final float sk = st;
        final int keepAny = st > 0f ? -1 : 0;
        for (int j = 0; j < full; j++) {
            int i = offset + 5 * j;
            long r1 = Seeds.splitMix(state += GAMMA);
            long r2 = Seeds.splitMix(state += GAMMA);
            int b = trit(v[i], sk, keepAny, (r1 >>> 40) * U)
                    + 3 * trit(v[i + 1], sk, keepAny, ((r1 >>> 16) & 0xFFFFFF) * U)
                    + 9 * trit(v[i + 2], sk, keepAny, (r2 >>> 40) * U)
                    + 27 * trit(v[i + 3], sk, keepAny, ((r2 >>> 16) & 0xFFFFFF) * U)
                    + 81 * trit(v[i + 4], sk, keepAny, ((((r1 & 0xFFFF) << 8) | (r2 & 0xFF))) * U);
            words[j >>> 3] |= (long) b << ((j & 7) << 3);
        }
        if (full < nb) {
            int b = 0;
            int pow = 1;
            for (int k = 5 * full; k < length; k++, pow *= 3) { // at most four trailing trits
                long r = Seeds.splitMix(state += GAMMA);
                b += pow * trit(v[offset + k], sk, keepAny, (r >>> 40) * U);
            }
            words[full >>> 3] |= (long) b << ((full & 7) << 3);
        }
        return new TernaryMessage(st, length, words);
    }

    /**
     * The trit (code + 1) of x: 0 for -1, 1 for 0, 2 for +1; kept iff u * st < |x| (and st > 0:
     * keepAny = -1). -0 is never kept.
     */
    private static int trit(float x, float st, int keepAny, float u) {
        int bits = Float.floatToRawIntBits(x);
        int keep = ((Float.floatToRawIntBits(u * st - Math.abs(x)) & keepAny) >>> 31);
        int neg = bits >>> 31;
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
