package io.lamina.compression.quant;

import io.lamina.compression.CompressorSpec;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.message.GatheringCompressor;
import io.lamina.compression.Layout;
import io.lamina.compression.Message;
import io.lamina.compression.Seeds;
import io.lamina.compression.bits.PackedBits;

/**
 * Natural compression (Horvath, Ho, Horvath, Sahu, Canini, Richtarik, "Natural Compression for
 * Distributed Deep Learning", 2019): each value is rounded stochastically, without bias, to one
 * of the two nearest powers of two:
 * <pre>
 *   for 2^a <= |x| < 2^(a+1):  C(x) = sign(x) * 2^(a+1)  with probability p = (|x| - 2^a) / 2^a,
 *                                      sign(x) * 2^a      with probability 1 - p;   C(0) = 0.
 * </pre>
 * On fp32 bits: keep sign and exponent, drop the mantissa m, add one to the exponent with
 * probability m / 2^23 (exact). Wire ({@link NaturalMessage}): varint length, then 9 bits per
 * element (sign, 8-bit biased exponent). Differs from the paper at fp32's edges: subnormals round
 * between 0 and 2^-126 (still unbiased), values at or above 2^127 round down (no overflow), and NaN
 * becomes infinity. The draw of element i is keyed by (run, step, worker) and its global index,
 * not the segment, so the result is the same under every granularity. Sums of powers of two are
 * not powers of two: aggregation is gathered-then-dense. Spec {@code natural}, no parameters.
 */
public final class NaturalCompressor extends GatheringCompressor {

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

    /**
     * The uniform draw of element i is the top 23 bits of the {@link CounterHash} word at counter
     * {@code (global index of i)} keyed by {@link #elementSeed}. The segment is encoded in blocks
     * of 4096 elements with loops C2 vectorises (raw bits through a byte buffer, random words,
     * codes, pairs of codes in longs) and one packing loop.
     */
    @Override
    public Message encode(float[] v, int offset, int length, EncodeContext ctx) {
        long global = layout.get(ctx.segment()).offset();
        if (layout.get(ctx.segment()).length() != length) {
            throw new IllegalArgumentException("natural: segment " + ctx.segment() + " has "
                    + layout.get(ctx.segment()).length() + " elements, got " + length);
        }
        long seed = elementSeed(ctx);
        long[] words = new long[(int) (((long) NaturalMessage.WIDTH * length + 63) >>> 6)];
        BlockScratch b = new BlockScratch(length);
        for (int done = 0; done < length; done += CounterHash.BLOCK) {
            int n = Math.min(CounterHash.BLOCK, length - done);
            b.bits(v, offset + done, n, b.ints);
            CounterHash.fill(b.ints2, n, (int) global + done, seed);
            codes(b.ints, b.ints2, n);
            int pairs = n >>> 1;
            b.intPairs(b.ints, n, b.longs);
            for (int k = 0; k < pairs; k++) { // two 9-bit codes per lane (vectorised)
                long x = b.longs[k];
                b.longs[k] = (x & 0x1FF) | (x >>> 32) << NaturalMessage.WIDTH;
            }
            // a full block is 4096 * 9 bits: every block starts on a word
            int w0 = (int) (((long) done * NaturalMessage.WIDTH) >>> 6);
            PackedBits.pack(b.longs, pairs, 2 * NaturalMessage.WIDTH, words, w0);
            if ((n & 1) != 0) { // the last element of an odd segment
                long bit = (long) (done + n - 1) * NaturalMessage.WIDTH;
                long c = b.ints[n - 1];
                int wi = (int) (bit >>> 6);
                int sh = (int) (bit & 63);
                words[wi] |= c << sh;
                if (sh + NaturalMessage.WIDTH > 64) {
                    words[wi + 1] = c >>> (64 - sh);
                }
            }
        }
        return new NaturalMessage(length, words);
    }

    /**
     * bits[i] (raw fp32 bits) becomes its 9-bit code for the random word r[i]: sign and exponent,
     * the exponent raised by one iff the top 23 bits of r[i] are below the mantissa (and the
     * exponent is below 254). Int operations only: C2 vectorises this loop.
     */
    private static void codes(int[] bits, int[] r, int n) {
        for (int i = 0; i < n; i++) {
            int x = bits[i];
            int below254 = ((((x >>> 23) & 0xFF) - 254) >>> 31);
            int up = below254 & (((r[i] >>> 9) - (x & 0x7FFFFF)) >>> 31);
            bits[i] = (x >>> 23) + up;
        }
    }

    /** The 9-bit code (sign << 8 | exponent) of x for the random word r (scalar reference). */
    static int code(float x, int r) {
        int bits = Float.floatToRawIntBits(x);
        int exp = (bits >>> 23) & 0xFF;
        int mant = bits & 0x7FFFFF;
        int below254 = (exp - 254) >>> 31; // 1 iff exp < 254
        int up = below254 & (((r >>> 9) - mant) >>> 31); // 1 iff draw < mantissa
        return ((bits >>> 31) << 8) | (exp + up);
    }

    /** Parses {@code natural}; it takes no parameters. */
    public static CompressorSpec parse(io.lamina.compression.SpecParams p) {
        return io.lamina.compression.FixedSpec.parse(p, "natural", NaturalCompressor::new);
    }
}
