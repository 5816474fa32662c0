package io.lamina.compression.quant;

import io.lamina.compression.Compressor;
import io.lamina.compression.CompressorSpec;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.Layout;
import io.lamina.compression.Message;
import io.lamina.compression.SpecParams;
import io.lamina.compression.bits.PackedBits;
import io.lamina.compression.message.GatheringCompressor;
import java.util.SplittableRandom;

/**
 * Natural dithering (Horvath, Ho, Horvath, Sahu, Canini, Richtarik, "Natural Compression for
 * Distributed Deep Learning", 2019, natural dithering with s levels and the l2 norm):
 * <pre>
 *   levels  {0, 2^(1-s), ..., 2^-1, 1};   r_i = |x_i| / ||x||_2
 *   for l_k <= r_i <= l_(k+1) (neighbouring levels):  C(x)_i = sign(x_i) ||x||_2 l_(k+1)  with probability (r_i - l_k) / (l_(k+1) - l_k),
 *                                                                sign(x_i) ||x||_2 l_k      otherwise
 * </pre>
 * which is unbiased, E[C(x)] = x. Wire ({@link DitheringMessage}): varint length, varint s, fp32
 * norm, then per element a sign bit and the level index at {@code 1 + ceil(log2(s + 1))} bits
 * (5 bits for the default s = 8).
 * The draws come from a {@link SplittableRandom} seeded by the worker's seed of the step and
 * segment. Per-worker norms: aggregation is gathered-then-dense. Spec {@code dithering:s=<levels>},
 * s in [1, 30], default 8.
 */
public final class DitheringCompressor extends GatheringCompressor {

    public static final int MIN_LEVELS = 1;
    public static final int MAX_LEVELS = 30;
    public static final int DEFAULT_LEVELS = 8;

    private final int levels;

    public DitheringCompressor(int levels) {
        if (levels < MIN_LEVELS || levels > MAX_LEVELS) {
            throw new IllegalArgumentException("dithering: s must be in [" + MIN_LEVELS + ", " + MAX_LEVELS + "], got " + levels);
        }
        this.levels = levels;
    }

    /** The spec of {@code dithering:s=<levels>}. */
    public record Spec(int levels) implements CompressorSpec {
        @Override
        public String name() {
            return "dithering";
        }

        @Override
        public String spec() {
            return "dithering:s=" + levels;
        }

        @Override
        public Compressor create(Layout segments) {
            return new DitheringCompressor(levels);
        }
    }

    /** Parses {@code dithering[:s=<levels>]} (s also positional). */
    public static CompressorSpec parse(SpecParams p) {
        p.allowOnly(java.util.Set.of("s"));
        return new Spec(p.getInt("s", true, DEFAULT_LEVELS, MIN_LEVELS, MAX_LEVELS));
    }

    @Override
    public String name() {
        return "dithering";
    }

    public int levels() {
        return levels;
    }

    @Override
    public Message encode(float[] v, int offset, int length, EncodeContext ctx) {
        requireFinite(v, offset, length, ctx);
        double sq = 0;
        for (int i = offset; i < offset + length; i++) {
            sq += (double) v[i] * v[i];
        }
        float norm = (float) Math.sqrt(sq);
        if (!Float.isFinite(norm)) {
            throw new IllegalArgumentException("dithering: the l2 norm of segment " + ctx.segment() + " overflows fp32");
        }
        int w = DitheringMessage.width(levels);
        long[] words = new long[PackedBits.words((long) w * length)];
        SplittableRandom rnd = new SplittableRandom(ctx.workerSeed());
        double lowest = Math.scalb(1.0, 1 - levels);
        for (int i = 0; i < length; i++) {
            float x = v[offset + i];
            int k = norm == 0 ? 0 : level(Math.min(1.0, Math.abs((double) x) / norm), lowest, rnd);
            long code = ((x < 0 ? 1L : 0L) << (w - 1)) | k;
            long bit = (long) i * w;
            int wi = (int) (bit >>> 6);
            int sh = (int) (bit & 63);
            words[wi] |= code << sh;
            if (sh > 64 - w) {
                words[wi + 1] |= code >>> (64 - sh);
            }
        }
        return new DitheringMessage(length, levels, norm, words);
    }

    /** The level index of r in [0, 1], rounded stochastically and without bias to a neighbouring level. */
    private int level(double r, double lowest, SplittableRandom rnd) {
        if (r < lowest) {
            return rnd.nextDouble() * lowest < r ? 1 : 0;
        }
        if (r >= 1.0) {
            return levels;
        }
        int a = Math.getExponent(r); // 2^a <= r < 2^(a+1), a in [1 - levels, -1]
        double low = Math.scalb(1.0, a);
        int k = a + levels; // index of 2^a
        return rnd.nextDouble() * low < r - low ? k + 1 : k;
    }
}
