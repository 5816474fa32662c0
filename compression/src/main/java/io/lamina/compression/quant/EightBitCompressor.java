package io.lamina.compression.quant;

import io.lamina.compression.CompressorSpec;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.message.GatheringCompressor;
import io.lamina.compression.Message;

/**
 * 8-bit approximation (Dettmers, "8-Bit Approximations for Parallelism in Deep Learning",
 * ICLR 2016), with the dynamic data type of {@link DynamicTable} and a per-segment max-abs scale:
 * <pre>
 *   scale = max_i |x_i|,   C(x)_i = sign(x_i) * scale * T(argmin_t | |x_i| / scale - T(t) |)
 * </pre>
 * where T are the table's magnitudes {@code 10^(-E) * (0.1 + 0.9 (m + 1/2) / 2^(6-E))}, E = 0..6,
 * and 0. Rounding is deterministic, to the nearest table value (ties to the larger magnitude), so
 * C is not unbiased; use it with error feedback if that matters. Wire ({@link EightBitMessage}):
 * varint length, fp32 scale, then 1 code byte per element (bit 7 the sign, bits 0-6 the magnitude
 * code). Per-worker scales are not summable: aggregation is gathered-then-dense. Spec
 * {@code 8bit}, no parameters.
 */
public final class EightBitCompressor extends GatheringCompressor {

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

    /** Parses {@code 8bit}; it takes no parameters. */
    public static CompressorSpec parse(io.lamina.compression.SpecParams p) {
        return io.lamina.compression.FixedSpec.parse(p, "8bit", segments -> new EightBitCompressor());
    }
}
