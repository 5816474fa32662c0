package io.lamina.compression.quant;

import io.lamina.compression.Compressor;
import io.lamina.compression.CompressorSpec;
import io.lamina.compression.EncodeContext;
import io.lamina.compression.GatheringCompressor;
import io.lamina.compression.Layout;
import io.lamina.compression.Message;
import io.lamina.compression.message.HalfMessage;
import io.lamina.compression.wire.Half;

/**
 * 16-bit floats: {@code fp16} (IEEE 754 binary16; Micikevicius et al., "Mixed Precision
 * Training", ICLR 2018) and {@code bf16} (bfloat16, the top half of an fp32; Kalamkar et al.,
 * "A Study of BFLOAT16 for Deep Learning Training", 2019).
 * <pre>  C(x)_i = round_nearest_even_16(x_i),   D = exact widening to fp32</pre>
 * 2 bytes per element. fp16 keeps subnormals (down to 2^-24) and overflows to infinity above
 * 65504 (gradients rarely get there; use bf16, with fp32's range, if they do). The error is at
 * most half an ulp of the format. Aggregation decodes to fp32 and sums there (two fp16 per
 * element already cost as much as one fp32), via the gathered-then-dense rule.
 * Element-wise, so the result does not depend on the granularity.
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
        long[] words = new long[(length + 3) >>> 2];
        int full = length >>> 2;
        for (int w = 0; w < full; w++) {
            int i = offset + (w << 2);
            long a = half(values[i]);
            long b = half(values[i + 1]);
            long c = half(values[i + 2]);
            long d = half(values[i + 3]);
            words[w] = a | (b << 16) | (c << 32) | (d << 48);
        }
        for (int i = full << 2; i < length; i++) {
            words[i >>> 2] |= (long) half(values[offset + i]) << ((i & 3) << 4);
        }
        return new HalfMessage(bf16, length, words);
    }

    private int half(float x) {
        return (bf16 ? Half.toBfloat16(x) : toHalfFast(x)) & 0xFFFF;
    }

    /**
     * float -> fp16 bits, round to nearest even; equal to {@link Half#toHalf} (tested), with
     * branch-light fast paths for the normal and subnormal ranges.
     */
    static int toHalfFast(float x) {
        int bits = Float.floatToRawIntBits(x);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7FFFFFFF;
        if (abs < 0x38800000) { // below 2^-14: fp16 subnormal or zero; |x| * 2^24 is exact
            return sign | (int) Math.rint(Float.intBitsToFloat(abs) * 0x1p24f);
        }
        if (abs < 0x477FF000) { // rounds to a normal fp16 <= 65504
            return sign | ((abs - 0x38000000 + 0xFFF + ((abs >>> 13) & 1)) >>> 13);
        }
        return Half.toHalf(x) & 0xFFFF; // overflow, infinity, NaN
    }

    /** Parses {@code fp16} or {@code bf16}; no parameters. */
    public static CompressorSpec parse(io.lamina.compression.SpecParams p) {
        p.allowOnly(java.util.Set.of());
        return new Spec(p.name().equals("bf16"));
    }

    /** The spec of {@code fp16} or {@code bf16}; no parameters. */
    public record Spec(boolean bf16) implements CompressorSpec {

        @Override
        public String name() {
            return bf16 ? "bf16" : "fp16";
        }

        @Override
        public String spec() {
            return name();
        }

        @Override
        public Compressor create(Layout segments) {
            return new HalfCompressor(bf16);
        }
    }
}
