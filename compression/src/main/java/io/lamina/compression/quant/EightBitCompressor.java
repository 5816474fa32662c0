package io.lamina.compression.quant;

import io.lamina.compression.Compressor;
import io.lamina.compression.CompressorSpec;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.message.GatheringCompressor;
import io.lamina.compression.Layout;
import io.lamina.compression.Message;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * 8-bit approximation (Dettmers, "8-Bit Approximations for Parallelism in Deep Learning",
 * ICLR 2016), with the dynamic data type of {@link DynamicTable} and a per-segment max-abs scale:
 * <pre>
 *   scale = max_i |x_i|,   C(x)_i = sign(x_i) * scale * T(argmin_t | |x_i| / scale - T(t) |)
 * </pre>
 * where T are the table's magnitudes {@code 10^(-E) * (0.1 + 0.9 (m + 1/2) / 2^(6-E))}, E = 0..6,
 * 0, and a top code of exactly 1, so max |x| itself is sent exactly. By default rounding is
 * deterministic, to the nearest table value (ties to the larger magnitude), so C is not unbiased;
 * use it with error feedback if that matters. With {@code rounding=stochastic}, a = |x_i| / scale
 * lying between neighbouring table values T_lo &lt;= a &lt; T_hi is rounded
 * <pre>
 *   up to T_hi with probability (a - T_lo) / (T_hi - T_lo), else down to T_lo,
 *   so E[D(C(x))_i] = x_i  (unbiased; variance (T_hi - a)(a - T_lo) scale^2)
 * </pre>
 * drawing from {@link EncodeContext#workerSeed()} (a rerun task sends the same bytes). Wire
 * ({@link EightBitMessage}), the same for both: varint length, fp32 scale, then 1 code byte per
 * element (bit 7 the sign, bits 0-6 the magnitude code). Per-worker scales are not summable:
 * aggregation is gathered-then-dense. Spec {@code 8bit[:rounding=nearest|stochastic]}.
 */
public final class EightBitCompressor extends GatheringCompressor {

    private final boolean stochastic;

    public EightBitCompressor(boolean stochastic) {
        this.stochastic = stochastic;
    }

    @Override
    public String name() {
        return "8bit";
    }

    @Override
    public Message encode(float[] v, int offset, int length, EncodeContext ctx) {
        float max = 0;
        for (int i = offset, end = offset + length; i < end; i++) {
            max = Math.max(max, Math.abs(v[i]));
        }
        if (!Float.isFinite(max)) {
            requireFinite(v, offset, length, ctx);
        }
        double inv = max == 0f ? 0 : 1.0 / max; // finite even for a subnormal max
        if (stochastic) {
            return new EightBitMessage(max, length, stochasticCodes(v, offset, length, inv, ctx.workerSeed()));
        }
        long[] words = new long[(length + 7) >>> 3];
        int full = length >>> 3;
        for (int w = 0; w < full; w++) { // eight codes per word, built in a register
            int i = offset + (w << 3);
            long word = 0;
            for (int k = 0; k < 8; k++) {
                word |= (long) code(v[i + k], inv) << (k << 3);
            }
            words[w] = word;
        }
        for (int i = full << 3; i < length; i++) {
            words[i >>> 3] |= (long) code(v[offset + i], inv) << ((i & 7) << 3);
        }
        return new EightBitMessage(max, length, words);
    }

    /** The code byte of x: sign bit 7, magnitude code of (float) (|x| * inv) in bits 0-6. */
    private static int code(float x, double inv) {
        return DynamicTable.magnitudeCode((float) (Math.abs(x) * inv))
                | ((Float.floatToRawIntBits(x) >>> 31) << 7);
    }

    /** The code bytes with stochastic rounding between the two table values around each |x| / scale. */
    private static long[] stochasticCodes(float[] v, int offset, int length, double inv, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] words = new long[(length + 7) >>> 3];
        for (int i = 0; i < length; i++) {
            float x = v[offset + i];
            float a = (float) (Math.abs(x) * inv);
            int f = DynamicTable.floorCode(a);
            if (f < 127) {
                double lo = DynamicTable.value(f);
                double hi = DynamicTable.value(f + 1);
                f += rnd.nextDouble() * (hi - lo) < a - lo ? 1 : 0;
            }
            int code = f | ((Float.floatToRawIntBits(x) >>> 31) << 7);
            words[i >>> 3] |= (long) code << ((i & 7) << 3);
        }
        return words;
    }

    /** Parses {@code 8bit[:rounding=nearest|stochastic]}. */
    public static CompressorSpec parse(io.lamina.compression.SpecParams p) {
        p.allowOnly(Set.of("rounding"));
        String rounding = p.getString("rounding", false, "nearest");
        if (!rounding.equals("nearest") && !rounding.equals("stochastic")) {
            throw new IllegalArgumentException("spec '" + p.spec() + "': rounding must be nearest or stochastic, got '"
                    + rounding + "'");
        }
        return new Spec(rounding.equals("stochastic"));
    }

    /** {@code 8bit} (nearest rounding) or {@code 8bit:rounding=stochastic}. */
    public record Spec(boolean stochastic) implements CompressorSpec {

        @Override
        public String name() {
            return "8bit";
        }

        @Override
        public String spec() {
            return stochastic ? "8bit:rounding=stochastic" : "8bit";
        }

        @Override
        public Compressor create(Layout segments) {
            return new EightBitCompressor(stochastic);
        }
    }
}
