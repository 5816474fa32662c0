package io.lamina.compression.quant;

import io.lamina.compression.Compressor;
import io.lamina.compression.CompressorSpec;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.GatheringCompressor;
import io.lamina.compression.Layout;
import io.lamina.compression.Message;
import io.lamina.compression.Seeds;
import io.lamina.compression.message.NaturalMessage;

/**
 * Natural compression (Horvath, Ho, Horvath, Sahu, Canini, Richtarik, "Natural Compression for
 * Distributed Deep Learning", 2019): each value is rounded stochastically to one of the two
 * nearest powers of two, without bias:
 * <pre>
 *   for 2^a <= |x| < 2^(a+1):  C(x) = sign(x) * 2^(a+1)  with probability p = (|x| - 2^a) / 2^a,
 *                                      sign(x) * 2^a      with probability 1 - p;   C(0) = 0.
 * </pre>
 * On fp32 bits this is: keep sign and exponent, drop the mantissa m, and add one to the exponent
 * with probability m / 2^23. Subnormal inputs (|x| < 2^-126) round the same way between 0 and
 * 2^-126 (p = |x| / 2^-126), still unbiased. Values at or above 2^127 round down (no overflow to
 * infinity; the only, documented, bias); infinities stay infinite and NaN becomes infinity.
 * Wire ({@link NaturalMessage}): sign + 8-bit exponent, 9 bits per element.
 *
 * <p>The uniform draw of element i is the top 23 bits of SplitMix64 at counter {@code (global
 * index of i)} from a seed of (run, step, worker) that does not involve the segment, so the
 * result is the same under every granularity. Sums of powers of two are not powers of two:
 * aggregation is gathered-then-dense. No parameters.
 */
public final class NaturalCompressor extends GatheringCompressor {

    private static final long GAMMA = 0x9E3779B97F4A7C15L;
    /** Tag mixed into the seed in place of the segment index. */
    private static final long ELEMENTWISE_TAG = 0x4E61747572616CL;

    private final Layout layout;

    public NaturalCompressor(Layout layout) {
        this.layout = layout;
    }

    @Override
    public String name() {
        return "natural";
    }

    /** The granularity-independent seed of a worker's step. */
    public static long elementSeed(EncodeContext ctx) {
        return Seeds.mix(ctx.runSeed(), ctx.step(), ELEMENTWISE_TAG, ctx.worker());
    }

    @Override
    public Message encode(float[] v, int offset, int length, EncodeContext ctx) {
        long global = layout.get(ctx.segment()).offset();
        if (layout.get(ctx.segment()).length() != length) {
            throw new IllegalArgumentException("natural: segment " + ctx.segment() + " has "
                    + layout.get(ctx.segment()).length() + " elements, got " + length);
        }
        long state = elementSeed(ctx) + global * GAMMA;
        long[] words = new long[(int) (((long) NaturalMessage.WIDTH * length + 63) >>> 6)];
        long acc = 0;
        int filled = 0;
        int wi = 0;
        for (int i = 0; i < length; i++) {
            int c = code(v[offset + i], Seeds.splitMix(state));
            state += GAMMA;
            acc |= (long) c << filled;
            filled += NaturalMessage.WIDTH;
            if (filled >= 64) {
                words[wi++] = acc;
                filled -= 64;
                acc = (long) c >>> (NaturalMessage.WIDTH - filled);
            }
        }
        if (filled > 0) {
            words[wi] = acc;
        }
        return new NaturalMessage(length, words);
    }

    /** The 9-bit code (sign << 8 | exponent) of x for the random word r. */
    static int code(float x, long r) {
        int bits = Float.floatToRawIntBits(x);
        int exp = (bits >>> 23) & 0xFF;
        int mant = bits & 0x7FFFFF;
        int below254 = (exp - 254) >>> 31; // 1 iff exp < 254
        int up = below254 & (((int) (r >>> 41) - mant) >>> 31); // 1 iff draw < mantissa
        return ((bits >>> 31) << 8) | (exp + up);
    }

    /** Parses the spec; this compressor takes no parameters. */
    public static CompressorSpec parse(io.lamina.compression.SpecParams p) {
        p.allowOnly(java.util.Set.of());
        return new Spec();
    }

    /** The spec {@code natural}; no parameters. */
    public record Spec() implements CompressorSpec {

        @Override
        public String name() {
            return "natural";
        }

        @Override
        public String spec() {
            return "natural";
        }

        @Override
        public Compressor create(Layout segments) {
            return new NaturalCompressor(segments);
        }
    }
}
