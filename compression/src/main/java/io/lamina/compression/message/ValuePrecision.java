package io.lamina.compression.message;

import io.lamina.compression.bits.Half;
import java.util.Locale;

/**
 * How the values of a sparse message travel: fp32 (4 bytes), IEEE fp16 (2 bytes) or bfloat16
 * (2 bytes). A compressor rounds its values with {@link #round} before building the message, so
 * the message holds exactly what the wire carries and D(C(x)) on the worker equals what the
 * driver receives (the error-feedback memory then absorbs the rounding).
 *
 * <p>fp16 saturates: finite magnitudes above 65504 become +-65504 instead of infinity (the
 * residual keeps the rest); infinities and NaN pass through. bf16 keeps fp32's range with an 8-bit significand.
 * 65504 is in the unit of the values on the wire: the mean gradient over the worker's batch (or
 * the optimizer's update under {@code --optimizer-on workers}), plus the residual with error
 * feedback.
 */
public enum ValuePrecision {
    FP32(4), FP16(2), BF16(2);

    private static final float FP16_MAX = 65504f;
    private static final int FP16_MAX_BITS = Float.floatToRawIntBits(FP16_MAX);
    private static final int FP16_MIN_NORMAL_BITS = Float.floatToRawIntBits(0x1p-14f);

    private final int bytes;

    ValuePrecision(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per value on the wire. */
    public int bytes() {
        return bytes;
    }

    /** The nearest value this precision can carry. */
    public float round(float v) {
        switch (this) {
            case FP16:
                return roundFp16(v);
            case BF16:
                return Half.fromBfloat16(Half.toBfloat16(v));
            default:
                return v;
        }
    }

    private static float roundFp16(float v) {
        int bits = Float.floatToRawIntBits(v);
        int abs = bits & 0x7FFFFFFF;
        if (abs >= FP16_MIN_NORMAL_BITS && abs <= FP16_MAX_BITS) {
            // round to nearest even at 10 significand bits, directly on the float's bits
            return Float.intBitsToFloat((bits + 0xFFF + ((bits >>> 13) & 1)) & ~0x1FFF);
        }
        if (Float.isInfinite(v) || Float.isNaN(v)) {
            return v;
        }
        if (v > FP16_MAX) {
            return FP16_MAX;
        }
        if (v < -FP16_MAX) {
            return -FP16_MAX;
        }
        return Half.fromHalf(Half.toHalf(v));
    }

    /** Rounds {@code v[0, n)} in place. */
    public void roundInPlace(float[] v, int n) {
        if (this == FP32) {
            return;
        }
        for (int i = 0; i < n; i++) {
            v[i] = round(v[i]);
        }
    }

    /** True if {@code v} travels in this precision without change (NaN counts as exact). */
    public boolean isExact(float v) {
        if (this == FP32) {
            return true;
        }
        int bits = Float.floatToRawIntBits(v);
        int abs = bits & 0x7FFFFFFF;
        if (this == FP16 && abs >= FP16_MIN_NORMAL_BITS && abs <= FP16_MAX_BITS) {
            return (bits & 0x1FFF) == 0;
        }
        if (this == BF16 && abs < 0x7F800000) {
            return (bits & 0xFFFF) == 0;
        }
        return Float.floatToIntBits(round(v)) == Float.floatToIntBits(v);
    }

    /** True if every value of {@code v[0, n)} is exact in this precision. */
    public boolean allExact(float[] v, int n) {
        if (this == FP32) {
            return true;
        }
        for (int i = 0; i < n; i++) {
            if (!isExact(v[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * The narrowest of {@code a} and {@code b} (then fp32) that carries {@code v[0, n)} exactly:
     * the precision of a merged message, so that merging never loses bits.
     */
    public static ValuePrecision narrowestExact(ValuePrecision a, ValuePrecision b, float[] v, int n) {
        ValuePrecision first = a.bytes <= b.bytes ? a : b;
        ValuePrecision second = first == a ? b : a;
        if (first.allExact(v, n)) {
            return first;
        }
        if (second != first && second.allExact(v, n)) {
            return second;
        }
        return FP32;
    }

    /** The spec spelling: {@code fp32}, {@code fp16}, {@code bf16}. */
    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code fp32|fp16|bf16} (case-insensitive), naming the allowed values on failure. */
    public static ValuePrecision parse(String spec, String raw) {
        String s = raw.trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "fp32", "float", "float32":
                return FP32;
            case "fp16", "half", "float16":
                return FP16;
            case "bf16", "bfloat16":
                return BF16;
            default:
                throw new IllegalArgumentException("spec '" + spec + "': values = '" + raw
                        + "' is not a value encoding; allowed: fp32, fp16, bf16");
        }
    }
}
