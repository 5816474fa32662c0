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
 * Element-wise, so the result does not depend on the granularity. The fp16 encoder converts
 * four values at a time with the few integer operations of the normal range, and takes the
 * general (still branch-free) conversion for a group holding a zero, subnormal or overflowing
 * value.
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
        if (bf16) {
            for (int w = 0; w < full; w++) {
                int i = offset + (w << 2);
                words[w] = (Half.toBfloat16(values[i]) & 0xFFFFL)
                        | (Half.toBfloat16(values[i + 1]) & 0xFFFFL) << 16
                        | (Half.toBfloat16(values[i + 2]) & 0xFFFFL) << 32
                        | (Half.toBfloat16(values[i + 3]) & 0xFFFFL) << 48;
            }
        } else {
            for (int w = 0; w < full; w++) {
                int i = offset + (w << 2);
                int b0 = Float.floatToRawIntBits(values[i]);
                int b1 = Float.floatToRawIntBits(values[i + 1]);
                int b2 = Float.floatToRawIntBits(values[i + 2]);
                int b3 = Float.floatToRawIntBits(values[i + 3]);
                if ((outsideNormal(b0) | outsideNormal(b1) | outsideNormal(b2) | outsideNormal(b3)) >= 0) {
                    words[w] = (long) normalHalf(b0) | (long) normalHalf(b1) << 16
                            | (long) normalHalf(b2) << 32 | (long) normalHalf(b3) << 48;
                } else { // a subnormal, zero, overflowing or non-finite value among the four
                    words[w] = (long) toHalfFast(values[i]) | (long) toHalfFast(values[i + 1]) << 16
                            | (long) toHalfFast(values[i + 2]) << 32 | (long) toHalfFast(values[i + 3]) << 48;
                }
            }
        }
        for (int i = full << 2; i < length; i++) {
            float x = values[offset + i];
            long h = bf16 ? Half.toBfloat16(x) & 0xFFFFL : toHalfFast(x);
            words[i >>> 2] |= h << ((i & 3) << 4);
        }
        return new HalfMessage(bf16, length, words);
    }

    /** Negative iff |x| (bits b) is outside [2^-14, 65520), fp16's normal range after rounding. */
    private static int outsideNormal(int b) {
        int abs = b & 0x7FFFFFFF;
        // abs - 0x38800000 is negative below 2^-14; 0x477FF000 - abs is negative from 65520 up
        return (abs - 0x38800000) | (0x477FF000 - 1 - abs);
    }

    /** fp16 bits of a float (bits b) in fp16's normal range: re-bias and round to nearest even. */
    private static int normalHalf(int b) {
        int abs = b & 0x7FFFFFFF;
        return ((b >>> 16) & 0x8000) | ((abs - 0x38000000 + 0xFFF + ((abs >>> 13) & 1)) >>> 13);
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
