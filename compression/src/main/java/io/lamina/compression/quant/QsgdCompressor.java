package io.lamina.compression.quant;

import io.lamina.compression.Compressor;
import io.lamina.compression.CompressorSpec;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.GatheringCompressor;
import io.lamina.compression.Layout;
import io.lamina.compression.Message;
import io.lamina.compression.Seeds;
import io.lamina.compression.message.QsgdMessage;
import io.lamina.compression.wire.PackedBits;

/**
 * QSGD (Alistarh, Grubic, Li, Tomioka, Vojnovic, "QSGD: Communication-Efficient SGD via Gradient
 * Quantization and Encoding", NeurIPS 2017), per segment v of dimension d with s levels:
 * <pre>
 *   Q_s(v_i) = ||v||_2 * sign(v_i) * xi_i(v, s),   l = floor(|v_i| / ||v||_2 * s),
 *   xi_i = l / s        with probability 1 - (|v_i| / ||v||_2 * s - l),
 *        = (l + 1) / s  otherwise.
 * </pre>
 * Unbiased, E[Q_s(v)] = v, with variance E||Q_s(v) - v||^2 <= min(d / s^2, sqrt(d) / s) ||v||^2.
 * Wire ({@link QsgdMessage}): the norm in fp32 plus one code {@code s + sign * level} per element
 * at ceil(log2(2s + 1)) bits (s = 1, 3, 7, 127 fill 2, 3, 4, 8 bits exactly); the paper's Elias
 * coding is not used. Stochastic rounding draws 21-bit uniforms u, three per SplitMix64 output,
 * from {@link EncodeContext#workerSeed()} (a rerun task sends the same message), and takes
 * {@code l_i = floor(|v_i| * (s / ||v||) + u)}: the same law as above, with the rounding
 * probability resolved to 2^-21. A level is capped at s when float rounding pushes
 * |v_i| / ||v|| * s past s. The encoder packs three codes per draw, branch-free. Per-worker norms are not summable: aggregation is gathered-then-dense.
 * Parameter {@code s} in [1, {@value #MAX_S}], default {@value #DEFAULT_S}.
 */
public final class QsgdCompressor extends GatheringCompressor {

    public static final int MAX_S = 65535;
    public static final int DEFAULT_S = 127;
    private static final long GAMMA = 0x9E3779B97F4A7C15L;
    private static final double U = 0x1p-21;

    private final int s;

    public QsgdCompressor(int s) {
        this.s = s;
    }

    @Override
    public String name() {
        return "qsgd";
    }

    @Override
    public Message encode(float[] v, int offset, int length, EncodeContext ctx) {
        double ss0 = 0;
        double ss1 = 0;
        int end = offset + length;
        int i = offset;
        for (; i + 1 < end; i += 2) {
            double a = v[i];
            double b = v[i + 1];
            ss0 += a * a;
            ss1 += b * b;
        }
        if (i < end) {
            ss0 += (double) v[i] * v[i];
        }
        float norm = (float) Math.sqrt(ss0 + ss1);
        if (!Float.isFinite(norm)) {
            requireFinite(v, offset, length, ctx);
            throw new IllegalArgumentException("qsgd: the l2 norm of segment " + ctx.segment()
                    + " overflows fp32");
        }
        int w = QsgdMessage.width(s);
        long[] words = new long[PackedBits.words((long) length * w)];
        final int sl = s;
        final float scale = norm == 0f ? 0f : sl / norm;
        final int w3 = 3 * w;
        long state = ctx.workerSeed();
        long acc = 0;
        int filled = 0;
        int wi = 0;
        int triples = length / 3;
        for (int t = 0, j = offset; t <= triples; t++, j += 3) {
            long r = Seeds.splitMix(state += GAMMA);
            long c3;
            int width;
            if (t < triples) {
                c3 = code(v[j], scale, sl, (r >>> 43) * U)
                        | (long) code(v[j + 1], scale, sl, ((r >>> 22) & 0x1FFFFF) * U) << w
                        | (long) code(v[j + 2], scale, sl, ((r >>> 1) & 0x1FFFFF) * U) << (2 * w);
                width = w3;
            } else { // the last one or two elements, if any
                int rest = length - 3 * triples;
                if (rest == 0) {
                    break;
                }
                c3 = code(v[j], scale, sl, (r >>> 43) * U);
                if (rest == 2) {
                    c3 |= (long) code(v[j + 1], scale, sl, ((r >>> 22) & 0x1FFFFF) * U) << w;
                }
                width = rest * w;
            }
            // branch-free append of width (<= 51) bits: the current word is stored every time
            long lo = acc | (c3 << filled);
            filled += width;
            int full = filled >>> 6; // 1 iff the word is complete
            words[wi] = lo;
            wi += full;
            filled &= 63;
            long carry = c3 >>> (width - filled); // the bits that did not fit (0 if none)
            acc = lo ^ ((lo ^ carry) & -(long) full);
        }
        if (filled > 0) {
            words[wi] = acc;
        }
        return new QsgdMessage(norm, sl, length, words);
    }

    /**
     * The code s + sign * level of x: with a = |x| * scale (fp32, as the decoder's reference),
     * level = min(s, floor(a + u)), i.e. floor(a) rounded up with probability equal to its
     * fraction. The sum is formed in double, where it is exact enough that floor(a + u) never
     * differs from the real-number floor (a >= 1 has no bits below 2^-23, and a < 1 leaves a gap
     * of at least 2^-45 below 1).
     */
    private static int code(float x, float scale, int s, double u) {
        float a = Math.abs(x) * scale;
        int level = Math.min(s, (int) (a + u));
        int neg = Float.floatToRawIntBits(x) >>> 31; // -0 is harmless: its level is 0
        return s + ((level ^ -neg) + neg);
    }

    /** Parses {@code qsgd[:s=<levels>]} (or {@code qsgd:<levels>}). */
    public static CompressorSpec parse(io.lamina.compression.SpecParams p) {
        p.allowOnly(java.util.Set.of("s"));
        return new Spec(p.getInt("s", true, DEFAULT_S, 1, MAX_S));
    }

    /** The spec {@code qsgd:s=<levels>}. */
    public record Spec(int s) implements CompressorSpec {

        public Spec {
            if (s < 1 || s > MAX_S) {
                throw new IllegalArgumentException("qsgd: s (levels) = " + s + " is out of range; allowed: [1, " + MAX_S + "]");
            }
        }

        @Override
        public String name() {
            return "qsgd";
        }

        @Override
        public String spec() {
            return "qsgd:s=" + s;
        }

        @Override
        public Compressor create(Layout segments) {
            return new QsgdCompressor(s);
        }
    }
}
