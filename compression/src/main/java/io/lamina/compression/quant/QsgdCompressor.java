package io.lamina.compression.quant;

import io.lamina.compression.Compressor;
import io.lamina.compression.CompressorSpec;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.message.GatheringCompressor;
import io.lamina.compression.Layout;
import io.lamina.compression.Message;
import io.lamina.compression.simd.QuantKernels;
import io.lamina.compression.simd.Simd;
import io.lamina.compression.bits.PackedBits;

/**
 * QSGD (Alistarh, Grubic, Li, Tomioka, Vojnovic, "QSGD: Communication-Efficient SGD via Gradient
 * Quantization and Encoding", NeurIPS 2017), per segment (or bucket) v of dimension d, s levels:
 * <pre>
 *   Q_s(v_i) = ||v||_2 * sign(v_i) * xi_i(v, s),   l = floor(|v_i| / ||v||_2 * s),
 *   xi_i = (l + 1) / s  with probability |v_i| / ||v||_2 * s - l,   else l / s
 * </pre>
 * Unbiased, E[Q_s(v)] = v, with E||Q_s(v) - v||^2 <= min(d / s^2, sqrt(d) / s) ||v||^2. With
 * {@code bucket=N} (the paper's bucketed variant) each run of N consecutive elements (the last
 * one shorter) has its own norm, and the bound holds with d = N. Wire ({@link QsgdMessage}):
 * varint length, varint s (s + 2^16 when bucketed, then varint bucket), the norm(s) in fp32, then
 * per element the code {@code s + sign(v_i) * level} at ceil(log2(2s + 1)) bits. Differs from the
 * paper: fixed-width codes instead of Elias coding, the rounding probability resolved to 2^-23
 * (draws from the {@link CounterHash} stream of {@link EncodeContext#workerSeed()}), and a bucket
 * whose norm is below s / Float.MAX_VALUE (subnormal values only) is sent as zeros. Per-worker
 * norms are not summable: aggregation is gathered-then-dense. Spec
 * {@code qsgd[:s=<levels>][,bucket=<n>]}, s in [1, {@value #MAX_S}] (default {@value #DEFAULT_S}),
 * bucket 0 (one norm per segment, the default) or in [1, 2^30].
 */
public final class QsgdCompressor extends GatheringCompressor {

    public static final int MAX_S = 65535;
    public static final int DEFAULT_S = 127;
    /** Largest bucket size: a segment's maximum length. */
    public static final int MAX_BUCKET = io.lamina.compression.bits.WireLimits.MAX_SEGMENT_LENGTH;

    private final int s;
    private final int bucket;
    /** s and 1.5 * 2^23 + s + 1 as floats: an int-to-float conversion in encode stops C2 vectorising it. */
    private final float sf;
    private final float magicS1;

    /** One norm per segment. */
    public QsgdCompressor(int s) {
        this(s, 0);
    }

    /** One norm per {@code bucket} consecutive elements of a segment; 0 = per segment. */
    public QsgdCompressor(int s, int bucket) {
        this.s = s;
        this.bucket = bucket;
        this.sf = s;
        this.magicS1 = 0x1.8p23f + (s + 1);
    }

    @Override
    public String name() {
        return "qsgd";
    }

    @Override
    public Message encode(float[] v, int offset, int length, EncodeContext ctx) {
        return encode(v, offset, length, ctx, Simd.ENABLED);
    }

    /**
     * The encoding by {@link QuantKernels} ({@code vector}: norms, codes and, for w <= 16, packing,
     * eight elements per step) or by the scalar blocks; the same message either way (the tests
     * compare them).
     *
     * <p>Stochastic rounding: with the signed a_i = v_i * (s / ||v||) in fp32 and a uniform
     * u_i = (j + 1/2) 2^-23 (j the top 23 bits of word i of the {@link CounterHash} stream keyed
     * by {@link EncodeContext#workerSeed()}, so a rerun task sends the same message), the code is
     * {@code s + floor(a_i + u_i)}: |level| is l + 1 with probability frac(|a_i|), the law of the
     * class comment resolved to 2^-23. It is computed as s + round(a_i) + round(d + u_i - 1/2),
     * d = a_i - round(a_i), by float add/sub only ({@link #codes}): exact for |a_i| >= 1; below 1
     * the rounding of d + u_i - 1/2 can move the up-probability by at most 2^-23. Codes are capped
     * to [0, 2s] when float rounding pushes |a_i| past s ({@link #joinPairs}, {@link #cap}).
     *
     * <p>The segment is encoded in blocks of 4096 elements with loops C2 vectorises (random words,
     * codes as floats, pairs of codes in longs) and one packing loop. A bucket's norm is computed
     * when the encoder reaches it, so a bucket that fits in the cache is read from memory once; it
     * is summed in fp32 over 256 elements, then in double, and recomputed in double when the fp32
     * squares underflow (values below ~1e-19).
     */
    QsgdMessage encode(float[] v, int offset, int length, EncodeContext ctx, boolean vector) {
        int size = bucket == 0 ? length : Math.min(bucket, length);
        float[] norms = new float[QsgdMessage.buckets(length, size)];
        float[] scales = new float[norms.length];
        int w = QsgdMessage.width(s);
        long[] words = new long[PackedBits.words((long) length * w)];
        long seed = ctx.workerSeed();
        BlockScratch b = new BlockScratch(length);
        float[] lane = vector ? new float[8] : null;
        int normed = 0; // buckets whose norm is known: those starting before the current block's end
        for (int done = 0; done < length; done += CounterHash.BLOCK) {
            int n = Math.min(CounterHash.BLOCK, length - done);
            for (; normed < norms.length && (long) normed * size < done + n; normed++) {
                int start = normed * size;
                float norm = norm(v, offset + start, Math.min(size, length - start), ctx, lane);
                norms[normed] = norm;
                float scale = sf / norm;
                // 0 for a zero norm, and for a norm below s / Float.MAX_VALUE (~s * 3e-39, only
                // subnormal values), whose scale overflows: that bucket is sent as zeros
                scales[normed] = Float.isFinite(scale) ? scale : 0f;
            }
            if (vector) {
                vectorBlock(v, offset, done, n, size, scales, seed, w, b, words);
            } else {
                scalarBlock(v, offset, done, n, size, scales, seed, w, b, words);
            }
        }
        return bucket == 0 ? new QsgdMessage(norms[0], s, length, words)
                : new QsgdMessage(norms, s, size, length, words);
    }

    /** Codes and packing of the block {@code [done, done + n)} by the scalar loops C2 vectorises. */
    private void scalarBlock(float[] v, int offset, int done, int n, int size, float[] scales,
            long seed, int w, BlockScratch b, long[] words) {
        CounterHash.fillUnitBits(b.ints, n, done, seed);
        b.floats(b.ints, n, b.floats);
        System.arraycopy(v, offset + done, b.floats2, 0, n); // no offset: C2 then vectorises
        int first = done / size;
        if ((long) (first + 1) * size >= done + n) { // the block lies in one bucket
            codes(b.floats2, n, scales[first], magicS1, b.floats);
        } else { // several buckets: a per-element scale
            codes(b.floats2, n, b.bucketScales(scales, done, n, size), magicS1, b.floats);
        }
        int pairs = n >>> 1;
        b.pairs(b.floats, 0, n, b.longs);
        if (joinPairs(b.longs, pairs, w, s)) { // rare: a code outside [0, 2s] before the cap
            for (int k = 0; k < pairs; k++) {
                b.longs[k] = cap(b.floats[2 * k]) | (long) cap(b.floats[2 * k + 1]) << w;
            }
        }
        // a full block is 4096 * w bits: every block starts on a word
        PackedBits.pack(b.longs, pairs, 2 * w, words, (int) (((long) done * w) >>> 6));
        if ((n & 1) != 0) { // the last element of an odd segment
            orCode(words, (long) (done + n - 1) * w, cap(b.floats[n - 1]), w);
        }
    }

    /**
     * As {@link #scalarBlock}, by {@link QuantKernels#qsgdBlock} (codes) and, for w <= 16,
     * {@link QuantKernels#packCodes}; the codes left (a block's last {@code n mod 8}, or all of
     * them for w > 16) are packed here.
     */
    private void vectorBlock(float[] v, int offset, int done, int n, int size, float[] scales,
            long seed, int w, BlockScratch b, long[] words) {
        int[] codes = b.ints;
        int w0 = (int) (((long) done * w) >>> 6);
        QuantKernels.qsgdBlock(v, offset, done, n, size, scales, magicS1, 2 * s, seed, codes);
        int packed = 0;
        if (w <= 16) {
            packed = QuantKernels.packCodes(codes, n >>> 3, w, b.bufBytes());
            b.bufToWords((packed * w / 8 + 7) >>> 3, words, w0);
        } else {
            int pairs = n >>> 1;
            for (int k = 0; k < pairs; k++) {
                b.longs[k] = codes[2 * k] | (long) codes[2 * k + 1] << w;
            }
            PackedBits.pack(b.longs, pairs, 2 * w, words, w0);
            packed = pairs << 1;
        }
        for (int j = packed; j < n; j++) {
            orCode(words, (long) (done + j) * w, codes[j], w);
        }
    }

    /** ORs the w-bit code c into the stream at bit {@code bit} (the bits there are zero). */
    private static void orCode(long[] words, long bit, int c, int w) {
        int wi = (int) (bit >>> 6);
        int sh = (int) (bit & 63);
        words[wi] |= (long) c << sh;
        if (sh + w > 64) {
            words[wi + 1] |= (long) c >>> (64 - sh);
        }
    }

    /** The code in [0, 2s] of a {@link #codes} result c: {@code floatToRawIntBits(c) - 0x4B400001}, capped. */
    private int cap(float c) {
        return Math.min(2 * s, Math.max(0, Float.floatToRawIntBits(c) - 0x4B400001));
    }

    /** ||v[off, off + len)||_2 in fp32 ({@link #sumOfSquares}; by {@link QuantKernels} if lane != null). */
    private float norm(float[] v, int off, int len, EncodeContext ctx, float[] lane) {
        double ss;
        if (lane != null) {
            int chunks = len >>> 8;
            ss = QuantKernels.sumOfSquares(v, off, chunks, 0, lane);
            for (int i = off + (chunks << 8); i < off + len; i++) {
                ss += (double) v[i] * v[i];
            }
        } else {
            ss = sumOfSquares(v, off, len);
        }
        // A square beyond fp32's range, or squares that fp32 rounds into its subnormals or to zero
        // (values below ~1e-19, whose norm would come out too small): redo in double.
        if (ss == Double.POSITIVE_INFINITY || ss < 0x1p-100) {
            ss = 0;
            for (int i = off; i < off + len; i++) {
                ss += (double) v[i] * v[i];
            }
        }
        float norm = (float) Math.sqrt(ss);
        if (!Float.isFinite(norm)) {
            requireFinite(v, off, len, ctx);
            throw new IllegalArgumentException("qsgd: the l2 norm of segment " + ctx.segment()
                    + " overflows fp32");
        }
        return norm;
    }

    /**
     * Sum of squares of v[off..off+len): fp32 partial sums over 256 elements (eight chains of 32,
     * as fast as a streaming sum), added up in double (relative error ~1e-7, far below fp32's
     * own rounding of the norm).
     */
    static double sumOfSquares(float[] v, int off, int len) {
        double total = 0;
        int end = off + len;
        int i = off;
        while (end - i >= 256) {
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            float s4 = 0;
            float s5 = 0;
            float s6 = 0;
            float s7 = 0;
            for (int stop = i + 256; i < stop; i += 8) {
                float a = v[i];
                float b = v[i + 1];
                float c = v[i + 2];
                float d = v[i + 3];
                float e = v[i + 4];
                float f = v[i + 5];
                float g = v[i + 6];
                float h = v[i + 7];
                s0 += a * a;
                s1 += b * b;
                s2 += c * c;
                s3 += d * d;
                s4 += e * e;
                s5 += f * f;
                s6 += g * g;
                s7 += h * h;
            }
            total += (((double) s0 + s1) + ((double) s2 + s3)) + (((double) s4 + s5) + ((double) s6 + s7));
        }
        for (; i < end; i++) {
            total += (double) v[i] * v[i];
        }
        return total;
    }

    /**
     * Replaces u[k] (a uniform 1 + j 2^-23) by the code of x = v[k], plus one, as a float
     * {@code 1.5 * 2^23 + code + 1} (its raw bits minus 0x4B400000 are code + 1, in [0, 2s + 2]
     * before the cap). With the signed a = x * scale (fp32, as the decoder's reference),
     * r = round(a) (exact, by adding and subtracting 1.5 * 2^23) and d = a - r (exact, in
     * [-0.5, 0.5]), the code is {@code s + r + round(d + u - 0.5)}, i.e. s + floor(a + u) with
     * u = (j + 0.5) 2^-23; {@code ms} is 1.5 * 2^23 + s + 1 (an int-to-float conversion inside
     * the method stops C2 from vectorising the loop). Float add/sub/mul only.
     */
    static void codes(float[] v, int n, float scale, float ms, float[] u) {
        final float magic = 0x1.8p23f;
        for (int k = 0; k < n; k++) {
            float a = v[k] * scale;
            float t = a + magic;
            float d = a - (t - magic);
            float z = d + ((u[k] - 1.5f) + 0x1p-24f);
            u[k] = (t - magic + ms) + z;
        }
    }

    /** {@link #codes} with a scale per element (a block spanning several buckets). */
    static void codes(float[] v, int n, float[] scale, float ms, float[] u) {
        final float magic = 0x1.8p23f;
        for (int k = 0; k < n; k++) {
            float a = v[k] * scale[k];
            float t = a + magic;
            float d = a - (t - magic);
            float z = d + ((u[k] - 1.5f) + 0x1p-24f);
            u[k] = (t - magic + ms) + z;
        }
    }

    /**
     * Lane k (the raw bits of codes 2k and 2k + 1 plus one, from {@link #codes}) becomes
     * code 2k | code 2k+1 << w, each capped to [0, 2s] (float rounding can push |a| just past s):
     * per 32-bit half c' = code + 1 < 2^18, code = c' - [c' >= 1] - [c' >= 2s + 2], the
     * comparisons read from bit 31 after adding 2^31 - 1 and 2^31 - 2s - 2 (no carry between
     * halves). That is {@link #cap} for a half 0x4B400000 + c' with c' <= 2s + 2; returns true if
     * some half may be outside that range (then the caller redoes the block with {@link #cap}).
     * Long and/or/xor/add/sub/shift only: C2 vectorises this loop.
     */
    static boolean joinPairs(long[] p, int lanes, int w, int s) {
        final long field = 0x0003FFFF0003FFFFL;
        final long mask = (1L << w) - 1;
        final long one = 0x0000000100000001L;
        final long geOne = 0x7FFFFFFF7FFFFFFFL;
        final long geTop = (0x80000000L - 2 * s - 2) * one;
        final long magic = 0x4B4000004B400000L;
        final long top = (2L * s + 2) * one;
        long out = 0;
        for (int k = 0; k < lanes; k++) {
            long r = p[k] ^ magic; // per half: c' if the float is 1.5 * 2^23 + c', c' < 2^18
            long x = r & field;
            // a half's bits 18-31 are set if r has them or if 2s + 2 - c' borrows (c' > 2s + 2)
            out |= r | (top - x);
            long y = x - (((x + geOne) >>> 31) & one) - (((x + geTop) >>> 31) & one);
            p[k] = (y & mask) | (y >>> 32) << w;
        }
        return (out & 0xFFFC0000FFFC0000L) != 0;
    }

    /** Parses {@code qsgd[:s=<levels>][,bucket=<n>]} (or {@code qsgd:<levels>}). */
    public static CompressorSpec parse(io.lamina.compression.SpecParams p) {
        p.allowOnly(java.util.Set.of("s", "bucket"));
        return new Spec(p.getInt("s", true, DEFAULT_S, 1, MAX_S), p.getInt("bucket", false, 0, 0, MAX_BUCKET));
    }

    /** The spec {@code qsgd:s=<levels>} or {@code qsgd:s=<levels>,bucket=<n>}. */
    public record Spec(int s, int bucket) implements CompressorSpec {

        public Spec {
            if (s < 1 || s > MAX_S) {
                throw new IllegalArgumentException("qsgd: s (levels) = " + s + " is out of range; allowed: [1, " + MAX_S + "]");
            }
            if (bucket < 0 || bucket > MAX_BUCKET) {
                throw new IllegalArgumentException("qsgd: bucket = " + bucket + " is out of range; allowed: 0 "
                        + "(one norm per segment) or [1, " + MAX_BUCKET + "]");
            }
        }

        /** One norm per segment. */
        public Spec(int s) {
            this(s, 0);
        }

        @Override
        public String name() {
            return "qsgd";
        }

        @Override
        public String spec() {
            return "qsgd:s=" + s + (bucket == 0 ? "" : ",bucket=" + bucket);
        }

        @Override
        public Compressor create(Layout segments) {
            return new QsgdCompressor(s, bucket);
        }
    }
}
