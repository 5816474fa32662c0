package io.lamina.compression.quant;

import io.lamina.compression.Compressor;
import io.lamina.compression.CompressorSpec;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.message.GatheringCompressor;
import io.lamina.compression.Layout;
import io.lamina.compression.Message;
import io.lamina.compression.simd.QuantKernels;
import io.lamina.compression.simd.Simd;

/**
 * TernGrad (Wen, Xu, Yan, Wu, Wang, Chen, Li, "TernGrad: Ternary Gradients to Reduce
 * Communication in Distributed Deep Learning", NeurIPS 2017), per segment g:
 * <pre>
 *   c = clip * sigma(g)            (sigma: the population standard deviation of g's entries)
 *   g'_i = max(-c, min(c, g_i)),   s_t = max_i |g'_i|
 *   C(g)_i = s_t * sign(g'_i) * b_i,   b_i ~ Bernoulli(|g'_i| / s_t)
 * </pre>
 * Unbiased for the clipped gradient, E[C(g)] = g'. Wire ({@link TernaryMessage}): varint length,
 * fp32 s_t (or, bucketed: fp32 -1, varint bucket, one fp32 s_B per bucket), then the codes + 1 as
 * base-3 trits, five per byte (1.6 bits per element). Differs from the paper: {@code bucket=N}
 * gives each run of N elements its own c_B and s_B (the paper has one scaler per layer), and b_i
 * is drawn at 2^-23 resolution from the {@link CounterHash} stream of
 * {@link EncodeContext#workerSeed()}. Per-worker scales are not summable: aggregation is
 * gathered-then-dense. Spec {@code terngrad[:clip=<k>][,bucket=<n>]}, clip in (0, 1000]
 * (default 2.5), bucket 0 (one scaler per segment, the default) or in [1, 2^30].
 */
public final class TernGradCompressor extends GatheringCompressor {

    public static final double DEFAULT_CLIP = 2.5;
    /** Largest bucket size: a segment's maximum length. */
    public static final int MAX_BUCKET = io.lamina.compression.bits.WireLimits.MAX_SEGMENT_LENGTH;
    /** Elements per block: a multiple of 40, so every block's trit bytes start on a word. */
    private static final int BLOCK = 4080;

    private final double clip;
    private final int bucket;

    /** One scaler per segment. */
    public TernGradCompressor(double clip) {
        this(clip, 0);
    }

    /** One scaler per {@code bucket} consecutive elements of a segment; 0 = per segment. */
    public TernGradCompressor(double clip, int bucket) {
        this.clip = clip;
        this.bucket = bucket;
    }

    @Override
    public String name() {
        return "terngrad";
    }

    @Override
    public Message encode(float[] v, int offset, int length, EncodeContext ctx) {
        return encode(v, offset, length, ctx, Simd.ENABLED);
    }

    /**
     * The encoding by {@link QuantKernels} ({@code vector}: statistics, trits and their packing,
     * eight elements per step) or by the scalar blocks; the same message either way (the tests
     * compare them).
     *
     * <p>The Bernoulli draw of element i keeps it iff u_i * s_t < |g_i| (s_B for a bucket) with
     * u_i = j 2^-23, j the top 23 bits of word i of the {@link CounterHash} stream keyed by
     * {@link EncodeContext#workerSeed()} (a rerun task sends the same message). The segment is
     * encoded in blocks of 4080 elements with loops C2 vectorises (random words, margins
     * u * s_t - |g|, trits) and one base-3 packing loop; a bucket's statistics (fp32 partial sums
     * in eight chains per 256 elements) are computed when the encoder reaches it.
     */
    TernaryMessage encode(float[] v, int offset, int length, EncodeContext ctx, boolean vector) {
        int size = bucket == 0 ? length : Math.min(bucket, length);
        float[] scales = new float[TernaryMessage.buckets(length, size)];
        int nb = TernaryMessage.bytes(length);
        long[] words = new long[(nb + 7) >>> 3];
        long seed = ctx.workerSeed();
        BlockScratch b = new BlockScratch(length);
        float[] lane = vector ? new float[16] : null;
        double[] acc = new double[2];
        int scaled = 0; // buckets whose scaler is known: those starting before the current block's end
        for (int done = 0; done < length; done += BLOCK) { // BLOCK trits fill whole words
            int n = Math.min(BLOCK, length - done);
            for (; scaled < scales.length && (long) scaled * size < done + n; scaled++) {
                int start = scaled * size;
                scales[scaled] = scaler(v, offset + start, Math.min(size, length - start), ctx, lane, acc);
            }
            if (vector) {
                QuantKernels.ternBlock(v, offset, done, n, size, scales, seed, b.ints);
                int packed = QuantKernels.packTrits(b.ints, n / 40, words, done / 40);
                if (packed < n) { // the last block's trits after its whole words
                    packTrits(b, packed, n, words, (done + packed) / 40);
                }
                continue;
            }
            System.arraycopy(v, offset + done, b.floats2, 0, n); // no offset: C2 then vectorises
            CounterHash.fillUnitBits(b.ints2, n, done, seed);
            b.floats(b.ints2, n, b.floats);
            int first = done / size;
            boolean oneBucket = (long) (first + 1) * size >= done + n;
            if (oneBucket) {
                margins(b.floats2, b.floats, n, scales[first]);
            } else { // several buckets: a per-element scaler
                margins(b.floats2, b.floats, n, b.bucketScales(scales, done, n, size));
            }
            b.bits(b.floats, 0, n, b.ints2);
            b.bits(b.floats2, 0, n, b.ints);
            // Bernoulli(min(|x|, c) / st) is kept iff u * st < min(|x|, c), which for st = min(max, c)
            // > 0 is u * st < |x| (if |x| >= st both hold, u < 1); st = 0 keeps nothing.
            trits(b.ints, b.ints2, n, oneBucket && scales[first] == 0f ? 0 : 1);
            if (!oneBucket) {
                for (int k = 0; k < n; ) {
                    int bk = (done + k) / size;
                    int stop = (int) Math.min(n, (long) (bk + 1) * size - done);
                    if (scales[bk] == 0f) {
                        java.util.Arrays.fill(b.ints, k, stop, 1); // trit 1: code 0
                    }
                    k = stop;
                }
            }
            packTrits(b, 0, n, words, done / 40);
        }
        return bucket == 0 ? new TernaryMessage(scales[0], length, words)
                : new TernaryMessage(scales, size, length, words);
    }

    /**
     * Packs the trits {@code b.ints[from, n)} ({@code from} a multiple of 40) five to a byte in base
     * 3, the last byte's missing trits 0, into the words from {@code words[w0]}.
     */
    private static void packTrits(BlockScratch b, int from, int n, long[] words, int w0) {
        int groups = (n - from) / 5;
        int[] t = b.ints;
        for (int j = 0; j < groups; j++) {
            int i = from + 5 * j;
            b.bytes[j] = (byte) (t[i] + 3 * t[i + 1] + 9 * t[i + 2] + 27 * t[i + 3] + 81 * t[i + 4]);
        }
        int used = groups;
        if (from + 5 * groups < n) { // at most four trailing trits; the missing ones are 0
            int x = 0;
            for (int k = n - 1; k >= from + 5 * groups; k--) {
                x = 3 * x + t[k];
            }
            b.bytes[used++] = (byte) x;
        }
        b.bytesToWords(used, words, w0);
    }

    /**
     * Sum, sum of squares ({@code sums[0]}, {@code sums[1]}) and largest |x| bits of
     * {@code v[offset, offset + length)} in the order of {@link #scaler}; by
     * {@link QuantKernels#ternStats} for the whole chunks if {@code lane} is not null.
     */
    static int statistics(float[] v, int offset, int length, float[] lane, double[] sums) {
        double sum = 0;
        double ss = 0;
        int maxBits = 0;
        int end = offset + length;
        int i0 = offset;
        if (lane != null) {
            int chunks = length >>> 8;
            sums[0] = 0;
            sums[1] = 0;
            maxBits = QuantKernels.ternStats(v, offset, chunks, sums, lane);
            sum = sums[0];
            ss = sums[1];
            i0 = offset + (chunks << 8);
        }
        while (end - i0 >= 256) {
            float sum0 = 0;
            float sum1 = 0;
            float sum2 = 0;
            float sum3 = 0;
            float sum4 = 0;
            float sum5 = 0;
            float sum6 = 0;
            float sum7 = 0;
            float ss0 = 0;
            float ss1 = 0;
            float ss2 = 0;
            float ss3 = 0;
            float ss4 = 0;
            float ss5 = 0;
            float ss6 = 0;
            float ss7 = 0;
            int m = 0;
            for (int stop = i0 + 256; i0 < stop; i0 += 8) {
                float x0 = v[i0];
                float x1 = v[i0 + 1];
                float x2 = v[i0 + 2];
                float x3 = v[i0 + 3];
                float x4 = v[i0 + 4];
                float x5 = v[i0 + 5];
                float x6 = v[i0 + 6];
                float x7 = v[i0 + 7];
                sum0 += x0;
                sum1 += x1;
                sum2 += x2;
                sum3 += x3;
                sum4 += x4;
                sum5 += x5;
                sum6 += x6;
                sum7 += x7;
                ss0 += x0 * x0;
                ss1 += x1 * x1;
                ss2 += x2 * x2;
                ss3 += x3 * x3;
                ss4 += x4 * x4;
                ss5 += x5 * x5;
                ss6 += x6 * x6;
                ss7 += x7 * x7;
                m = Math.max(m, Math.max(Math.max(Float.floatToRawIntBits(x0) & 0x7FFFFFFF,
                        Float.floatToRawIntBits(x1) & 0x7FFFFFFF), Math.max(Float.floatToRawIntBits(x2)
                        & 0x7FFFFFFF, Float.floatToRawIntBits(x3) & 0x7FFFFFFF)));
                m = Math.max(m, Math.max(Math.max(Float.floatToRawIntBits(x4) & 0x7FFFFFFF,
                        Float.floatToRawIntBits(x5) & 0x7FFFFFFF), Math.max(Float.floatToRawIntBits(x6)
                        & 0x7FFFFFFF, Float.floatToRawIntBits(x7) & 0x7FFFFFFF)));
            }
            maxBits = Math.max(maxBits, m);
            sum += (((double) sum0 + sum1) + ((double) sum2 + sum3)) + (((double) sum4 + sum5) + ((double) sum6 + sum7));
            ss += (((double) ss0 + ss1) + ((double) ss2 + ss3)) + (((double) ss4 + ss5) + ((double) ss6 + ss7));
        }
        for (; i0 < end; i0++) {
            float x = v[i0];
            sum += x;
            ss += (double) x * x;
            maxBits = Math.max(maxBits, Float.floatToRawIntBits(x) & 0x7FFFFFFF);
        }
        sums[0] = sum;
        sums[1] = ss;
        return maxBits;
    }

    /**
     * The scaler s_t = min(max |g_i|, clip * sigma(g)) of {@code v[offset, offset + length)}: fp32
     * partial sums over 256 elements (eight chains of 32: chain l holds the elements
     * {@code 8m + l}, m = 0..31 in order), added up in double as
     * {@code ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))}; |x| max on the fp32 bits (integer
     * order = float order, NaN above infinity). {@link QuantKernels#ternStats} (if {@code lane}
     * is not null) adds in the same order.
     */
    private float scaler(float[] v, int offset, int length, EncodeContext ctx, float[] lane, double[] acc) {
        int maxBits = statistics(v, offset, length, lane, acc);
        double sum = acc[0];
        double ss = acc[1];
        int end = offset + length;
        if (ss == Double.POSITIVE_INFINITY && maxBits < 0x7F800000) { // squares beyond fp32: in double
            sum = 0;
            ss = 0;
            for (int i = offset; i < end; i++) {
                sum += v[i];
                ss += (double) v[i] * v[i];
            }
        }
        float max = Float.intBitsToFloat(maxBits);
        if (!Double.isFinite(ss) || !Float.isFinite(max)) {
            requireFinite(v, offset, length, ctx);
        }
        double mean = sum / length;
        double sigma = Math.sqrt(Math.max(0, ss / length - mean * mean));
        float c = (float) Math.min(Float.MAX_VALUE, clip * sigma);
        return Math.min(max, c);
    }

    /** u[k] (a uniform 1 + j 2^-23) becomes (u[k] - 1) * st - |x[k]|: negative iff x[k] is kept. */
    private static void margins(float[] x, float[] u, int n, float st) {
        for (int k = 0; k < n; k++) {
            u[k] = (u[k] - 1f) * st - Math.abs(x[k]);
        }
    }

    /** {@link #margins} with a scaler per element (a block spanning several buckets). */
    private static void margins(float[] x, float[] u, int n, float[] st) {
        for (int k = 0; k < n; k++) {
            u[k] = (u[k] - 1f) * st[k] - Math.abs(x[k]);
        }
    }

    /**
     * bits[k] (the raw bits of x[k]) becomes its trit (code + 1): 0 for -1, 1 for 0, 2 for +1,
     * kept iff the margin (raw bits m[k]) is negative and keepAny is 1. -0 is never kept. Int
     * operations only: C2 vectorises this loop.
     */
    private static void trits(int[] bits, int[] m, int n, int keepAny) {
        for (int k = 0; k < n; k++) {
            int keep = (m[k] >>> 31) & keepAny;
            bits[k] = 1 + keep - 2 * (keep & (bits[k] >>> 31));
        }
    }

    /** Parses {@code terngrad[:clip=<multiple of sigma>][,bucket=<n>]}. */
    public static CompressorSpec parse(io.lamina.compression.SpecParams p) {
        p.allowOnly(java.util.Set.of("clip", "bucket"));
        return new Spec(p.getDouble("clip", true, DEFAULT_CLIP, Double.MIN_VALUE, 1000),
                p.getInt("bucket", false, 0, 0, MAX_BUCKET));
    }

    /** The spec {@code terngrad[:clip=<multiple of sigma>][,bucket=<n>]}. */
    public record Spec(double clip, int bucket) implements CompressorSpec {

        public Spec {
            if (!(clip > 0 && clip <= 1000)) {
                throw new IllegalArgumentException("terngrad: clip = " + clip
                        + " is out of range; allowed: (0, 1000] (multiples of sigma)");
            }
            if (bucket < 0 || bucket > MAX_BUCKET) {
                throw new IllegalArgumentException("terngrad: bucket = " + bucket + " is out of range; allowed: 0 "
                        + "(one scaler per segment) or [1, " + MAX_BUCKET + "]");
            }
        }

        /** One scaler per segment. */
        public Spec(double clip) {
            this(clip, 0);
        }

        @Override
        public String name() {
            return "terngrad";
        }

        @Override
        public String spec() {
            String b = bucket == 0 ? "" : "bucket=" + bucket;
            if (clip == DEFAULT_CLIP) {
                return b.isEmpty() ? "terngrad" : "terngrad:" + b;
            }
            return "terngrad:clip=" + clip + (b.isEmpty() ? "" : "," + b);
        }

        @Override
        public Compressor create(Layout segments) {
            return new TernGradCompressor(clip, bucket);
        }
    }
}
