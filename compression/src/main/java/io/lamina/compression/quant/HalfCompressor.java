package io.lamina.compression.quant;

import io.lamina.compression.CompressorSpec;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.message.GatheringCompressor;
import io.lamina.compression.Message;
import io.lamina.compression.simd.Simd;
import io.lamina.compression.simd.VectorKernels;
import io.lamina.compression.bits.Half;

/**
 * 16-bit floats: {@code fp16} (IEEE 754 binary16; Micikevicius et al., "Mixed Precision
 * Training", ICLR 2018) and {@code bf16} (bfloat16, the top half of an fp32; Kalamkar et al.,
 * "A Study of BFLOAT16 for Deep Learning Training", arXiv 2019):
 * <pre>  C(x)_i = round_nearest_even_16(x_i),   D = exact widening to fp32</pre>
 * Deterministic, with an error of at most half an ulp of the format. fp16 keeps subnormals (down
 * to 2^-24) and overflows to infinity above 65504 (from 65520 on, after rounding); bf16 has
 * fp32's range. Units: 65504 and 2^-24 are in the unit of the values on the wire, the mean
 * gradient over the worker's batch (or the optimizer's update under {@code --optimizer-on
 * workers}), so fp16 overflows only on a mean gradient element that large (the driver then stops
 * on a non-finite averaged gradient) and rounds elements below 2^-25 (about 3e-8) to zero. Wire
 * ({@link HalfMessage}): varint length, 1 format byte (0 fp16, 1 bf16), then 2 bytes per element
 * (little-endian). Aggregation decodes to fp32 and sums there (gathered-then-dense), since two
 * 16-bit codes per element already cost as much as one fp32. Element-wise: the same under every
 * granularity. Specs {@code fp16} and {@code bf16}, no parameters.
 */
public final class HalfCompressor extends GatheringCompressor {

    private final boolean bf16;

    public HalfCompressor(boolean bf16) {
        this.bf16 = bf16;
    }

    @Override
    public String name() {
        return bf16 ? "bf16" : "fp16";
    }

    @Override
    public Message encode(float[] values, int offset, int length, EncodeContext ctx) {
        return encode(values, offset, length, Simd.ENABLED);
    }

    /**
     * The encoding by {@link VectorKernels#toHalves} on the multiple-of-8 prefix ({@code vector})
     * or by the scalar blocks below; the same bits either way (the tests compare them).
     *
     * <p>The scalar encoder works on blocks of 4096 values: their raw bits, copied through a byte
     * buffer as longs holding two floats each, are converted two per long with the few integer
     * operations of the normal range (fp16) or of rounding (bf16) in a loop C2 vectorises, which
     * also ORs up a range flag over the lanes; a simple loop joins two longs into each word. Only
     * a block whose flag is set computes the per-lane flags, and its pairs holding a zero,
     * subnormal, overflowing or non-finite value (fp16) or a NaN (bf16) are recomputed with the
     * general conversion. Bit for bit {@link Half#toHalf} and {@link Half#toBfloat16}.
     */
    HalfMessage encode(float[] values, int offset, int length, boolean vector) {
        long[] words = new long[(length + 3) >>> 2];
        if (vector) {
            int body = length & ~7;
            VectorKernels.toHalves(values, offset, body, words, 0, bf16);
            for (int k = body; k < length; k++) {
                words[k >>> 2] |= convert(values[offset + k]) << ((k & 3) << 4);
            }
            return new HalfMessage(bf16, length, words);
        }
        BlockScratch b = new BlockScratch(length);
        long[] p = b.longs;
        long[] flags = b.longs2;
        for (int done = 0; done < length; done += CounterHash.BLOCK) {
            int n = Math.min(CounterHash.BLOCK, length - done);
            int lanes = (n + 1) >>> 1;
            b.pairs(values, offset + done, n, p);
            long any = bf16 ? bf16Pairs(p, lanes) : fp16Pairs(p, lanes);
            join(p, lanes, words, done >>> 2);
            if (((any | any << 32) & 0x8000000000000000L) != 0) { // rare: find the lanes, fix them
                b.pairs(values, offset + done, n, p);
                if (bf16) {
                    bf16Flags(p, flags, lanes);
                } else {
                    fp16Flags(p, flags, lanes);
                }
                fixUp(values, offset + done, n, p, flags, words, done >>> 2);
            }
        }
        return new HalfMessage(bf16, length, words);
    }

    /**
     * Two fp16 conversions per long lane: lane k holds the bits of floats 2k (low half) and 2k + 1
     * (high half) and becomes their fp16 codes in bits 0-15 and 16-31, by the normal-range integer
     * path (re-bias, round to nearest even), which never borrows or carries across the halves
     * while both are normal. Returns the OR of the lanes' {@link #fp16Flags}: bit 31 or 63 is set
     * if some half may be outside the normal range. Long add/sub/and/shift and an OR reduction
     * only: C2 vectorises this loop.
     */
    private static long fp16Pairs(long[] p, int lanes) {
        long any = 0;
        for (int k = 0; k < lanes; k++) {
            long x = p[k];
            long a = x & 0x7FFFFFFF7FFFFFFFL;
            long t = a - 0x3800000038000000L + 0x00000FFF00000FFFL + ((a >>> 13) & 0x0000000100000001L);
            long h = ((t >>> 13) & 0x00007FFF00007FFFL) | ((x >>> 16) & 0x0000800000008000L);
            p[k] = (h | (h >>> 16)) & 0xFFFFFFFFL;
            any |= (a - 0x3880000038800000L) | (0x477FEFFF477FEFFFL - a);
        }
        return any;
    }

    /** flags[k] of lane p[k] (raw bits of two floats): bit 31 or 63 set if a half may not be normal. */
    private static void fp16Flags(long[] p, long[] flags, int lanes) {
        for (int k = 0; k < lanes; k++) {
            long a = p[k] & 0x7FFFFFFF7FFFFFFFL;
            flags[k] = (a - 0x3880000038800000L) | (0x477FEFFF477FEFFFL - a);
        }
    }

    /** As {@link #fp16Pairs} for bf16 (round to nearest even); the flags mark a NaN half. */
    private static long bf16Pairs(long[] p, int lanes) {
        long any = 0;
        for (int k = 0; k < lanes; k++) {
            long x = p[k];
            long t = x + 0x00007FFF00007FFFL + ((x >>> 16) & 0x0000000100000001L);
            long h = (t >>> 16) & 0x0000FFFF0000FFFFL;
            p[k] = (h | (h >>> 16)) & 0xFFFFFFFFL;
            any |= 0x7F8000007F800000L - (x & 0x7FFFFFFF7FFFFFFFL);
        }
        return any;
    }

    /** As {@link #fp16Flags} for bf16: a NaN half. */
    private static void bf16Flags(long[] p, long[] flags, int lanes) {
        for (int k = 0; k < lanes; k++) {
            flags[k] = 0x7F8000007F800000L - (p[k] & 0x7FFFFFFF7FFFFFFFL);
        }
    }

    /** Packs lane pairs into words[w0..] (an odd last lane alone in the low half). */
    private static void join(long[] p, int lanes, long[] words, int w0) {
        int half = lanes >>> 1;
        for (int m = 0; m < half; m++) {
            words[w0 + m] = p[2 * m] | p[2 * m + 1] << 32;
        }
        if ((lanes & 1) != 0) {
            words[w0 + half] = p[lanes - 1];
        }
    }

    /** Recomputes the flagged lanes' two values with the general conversion. */
    private void fixUp(float[] v, int off, int n, long[] p, long[] flags, long[] words, int w0) {
        for (int k = 0; 2 * k < n; k++) {
            if ((flags[k] & 0x8000000080000000L) != 0) {
                long h0 = convert(v[off + 2 * k]);
                long h1 = 2 * k + 1 < n ? convert(v[off + 2 * k + 1]) : 0;
                int sh = (k & 1) << 5;
                int w = w0 + (k >>> 1);
                words[w] = (words[w] & ~(0xFFFFFFFFL << sh)) | (h0 | h1 << 16) << sh;
            }
        }
    }

    private long convert(float x) {
        return bf16 ? Half.toBfloat16(x) & 0xFFFFL : toHalfFast(x);
    }

    /**
     * float -> fp16 bits, round to nearest even; equal to {@link Half#toHalf} (tested on every
     * fp16 neighbourhood and two million random floats). Branch-free below 65520: the normal
     * range re-biases the exponent and rounds on the integer bits; the subnormal range (below
     * 2^-14) adds 0.5f so the FPU rounds the value into the low mantissa bits (the classic
     * "magic number" conversion). Overflow, infinity and NaN go to {@link Half#toHalf}.
     */
    static int toHalfFast(float x) {
        int bits = Float.floatToRawIntBits(x);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7FFFFFFF;
        if (abs >= 0x477FF000) { // rounds beyond 65504: infinity or NaN
            return Half.toHalf(x) & 0xFFFF;
        }
        int normal = (abs - 0x38000000 + 0xFFF + ((abs >>> 13) & 1)) >>> 13;
        int sub = Float.floatToRawIntBits(Float.intBitsToFloat(abs) + 0.5f) - 0x3F000000;
        int isSub = (abs - 0x38800000) >>> 31; // 1 iff |x| < 2^-14
        return sign | (normal ^ ((normal ^ sub) & -isSub));
    }

    /** Parses {@code fp16} or {@code bf16}; no parameters. */
    public static CompressorSpec parse(io.lamina.compression.SpecParams p) {
        boolean bf16 = p.name().equals("bf16");
        return io.lamina.compression.FixedSpec.parse(p, p.name(), segments -> new HalfCompressor(bf16));
    }
}
