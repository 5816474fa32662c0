package io.lamina.compression.quant;

import io.lamina.compression.Compressor;
import io.lamina.compression.CompressorSpec;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.GatheringCompressor;
import io.lamina.compression.Layout;
import io.lamina.compression.Message;
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
 * is the population standard deviation (centred). With {@code bucket=N} this is a bucketed
 * variant of the paper's per-layer scaler: the segment is cut into buckets B of N consecutive
 * elements (the last one shorter) and each gets its own c_B = clip * sigma(g_B) and
 * s_B = max_(i in B) |g'_i|, so C(g)_i = s_B * sign(g'_i) * b_i with b_i ~ Bernoulli(|g'_i| / s_B),
 * still unbiased for the (per-bucket) clipped gradient; a bucket's statistics are computed when
 * the encoder reaches it (read from memory once when it fits in the cache), and each bucket adds
 * one fp32 scale to the wire. {@code bucket=0} (the default) is the paper's one scaler per
 * segment. Wire ({@link TernaryMessage}): s_t (or each s_B) in fp32 and the ternary codes five
 * to a byte in base 3 (1.6 bits per element). The Bernoulli draw of
 * element i keeps it iff u_i * s_t < |g_i| (s_B for a bucket) with u_i = j 2^-23, j the top 23 bits of word i of
 * the {@link CounterHash} stream keyed by {@link EncodeContext#workerSeed()} (a rerun task sends
 * the same message). The encoder works on blocks of 4080 elements with loops C2 vectorises
 * (random words, margins u * s_t - |g|, trits) and one base-3 packing loop; the random stream
 * changed with this block form (the earlier encoder used SplitMix64 and 24-bit uniforms).
 * Per-worker scales are not summable: aggregation is gathered-then-dense.
 * Parameters: {@code clip} (multiple of sigma) in (0, 1000], default 2.5; {@code bucket} 0
 * (default) or the bucket size in [1, 2^30].
 */
public final class TernGradCompressor extends GatheringCompressor {

    public static final double DEFAULT_CLIP = 2.5;
    /** Largest bucket size: a segment's maximum length. */
    public static final int MAX_BUCKET = io.lamina.compression.wire.WireLimits.MAX_SEGMENT_LENGTH;
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
        int size = bucket == 0 ? length : Math.min(bucket, length);
        float[] scales = new float[TernaryMessage.buckets(length, size)];
        int nb = TernaryMessage.bytes(length);
        long[] words = new long[(nb + 7) >>> 3];
        long seed = ctx.workerSeed();
        BlockScratch b = new BlockScratch(length);
        int scaled = 0; // buckets whose scaler is known: those starting before the current block's end
        for (int done = 0; done < length; done += BLOCK) { // BLOCK trits fill whole words
            int n = Math.min(BLOCK, length - done);
            for (; scaled < scales.length && (long) scaled * size < done + n; scaled++) {
                int start = scaled * size;
                scales[scaled] = scaler(v, offset + start, Math.min(size, length - start), ctx);
            }
            System.arraycopy(v, offset + done, b.floats2, 0, n); // no offset: C2 then vectorises
            CounterHash.fillUnitBits(b.ints2, n, done, seed);
            b.floats(b.ints2, n, b.floats);
            int first = done / size;
            boolean oneBucket = (long) (first + 1) * size >= done + n;
            if (oneBucket) {
                margins(b.floats2, b.floats, n, scales[first]);
            } else { // several buckets: a per-element scaler
                for (int k = 0; k < n; ) {
                    int bk = (done + k) / size;
                    int stop = (int) Math.min(n, (long) (bk + 1) * size - done);
                    java.util.Arrays.fill(b.floats3, k, stop, scales[bk]);
                    k = stop;
                }
                margins(b.floats2, b.floats, n, b.floats3);
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
            int groups = n / 5;
            int[] t = b.ints;
            for (int j = 0; j < groups; j++) {
                int i = 5 * j;
                b.bytes[j] = (byte) (t[i] + 3 * t[i + 1] + 9 * t[i + 2] + 27 * t[i + 3] + 81 * t[i + 4]);
            }
            int used = groups;
            if (5 * groups < n) { // at most four trailing trits; the missing ones are 0
                int x = 0;
                for (int k = n - 1; k >= 5 * groups; k--) {
                    x = 3 * x + t[k];
                }
                b.bytes[used++] = (byte) x;
            }
            b.bytesToWords(used, words, done / 40);
        }
        return bucket == 0 ? new TernaryMessage(scales[0], length, words)
                : new TernaryMessage(scales, size, length, words);
    }

    /**
     * The scaler s_t = min(max |g_i|, clip * sigma(g)) of {@code v[offset, offset + length)}: fp32
     * partial sums over 256 elements (four chains of 64), added up in double; |x| max on the fp32
     * bits (integer order = float order, NaN above infinity).
     */
    private float scaler(float[] v, int offset, int length, EncodeContext ctx) {
        double sum = 0;
        double ss = 0;
        int maxBits = 0;
        int end = offset + length;
        int i0 = offset;
        while (end - i0 >= 256) {
            float sum0 = 0;
            float sum1 = 0;
            float sum2 = 0;
            float sum3 = 0;
            float ss0 = 0;
            float ss1 = 0;
            float ss2 = 0;
            float ss3 = 0;
            for (int stop = i0 + 256; i0 < stop; i0 += 4) {
                float x0 = v[i0];
                float x1 = v[i0 + 1];
                float x2 = v[i0 + 2];
                float x3 = v[i0 + 3];
                sum0 += x0;
                sum1 += x1;
                sum2 += x2;
                sum3 += x3;
                ss0 += x0 * x0;
                ss1 += x1 * x1;
                ss2 += x2 * x2;
                ss3 += x3 * x3;
                maxBits = Math.max(maxBits, Math.max(Math.max(Float.floatToRawIntBits(x0) & 0x7FFFFFFF,
                        Float.floatToRawIntBits(x1) & 0x7FFFFFFF), Math.max(Float.floatToRawIntBits(x2)
                        & 0x7FFFFFFF, Float.floatToRawIntBits(x3) & 0x7FFFFFFF)));
            }
            sum += ((double) sum0 + sum1) + ((double) sum2 + sum3);
            ss += ((double) ss0 + ss1) + ((double) ss2 + ss3);
        }
        for (; i0 < end; i0++) {
            float x = v[i0];
            sum += x;
            ss += (double) x * x;
            maxBits = Math.max(maxBits, Float.floatToRawIntBits(x) & 0x7FFFFFFF);
        }
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
