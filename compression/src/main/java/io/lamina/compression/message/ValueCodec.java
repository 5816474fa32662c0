package io.lamina.compression.message;

import io.lamina.compression.bits.CorruptMessageException;
import io.lamina.compression.bits.Half;
import io.lamina.compression.bits.WireLimits;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.Arrays;

/**
 * Writes and reads value arrays in a {@link ValuePrecision}: fp32 as 4 big-endian bytes, fp16
 * and bf16 as 2. Reads allocate in chunks as bytes arrive, so a corrupt count cannot cause a huge
 * allocation. Wire codes: fp32 = 0, fp16 = 1, bf16 = 2.
 */
public final class ValueCodec {

    private static final int CHUNK = 1 << 16;

    private ValueCodec() {
    }

    /** The wire code of a precision. */
    public static int code(ValuePrecision p) {
        switch (p) {
            case FP16:
                return 1;
            case BF16:
                return 2;
            default:
                return 0;
        }
    }

    /** The precision of a wire code, or {@link CorruptMessageException} naming {@code what}. */
    public static ValuePrecision fromCode(int code, String what) {
        switch (code) {
            case 0:
                return ValuePrecision.FP32;
            case 1:
                return ValuePrecision.FP16;
            case 2:
                return ValuePrecision.BF16;
            default:
                throw new CorruptMessageException(what + ": unknown value encoding code " + code
                        + " (known: 0 = fp32, 1 = fp16, 2 = bf16)");
        }
    }

    /** Writes {@code v[0, n)}, which must be exact in {@code p}. */
    public static void write(Output out, float[] v, int n, ValuePrecision p) {
        switch (p) {
            case FP16:
                for (int i = 0; i < n; i++) {
                    out.writeShort(Half.toHalf(v[i]));
                }
                break;
            case BF16:
                for (int i = 0; i < n; i++) {
                    out.writeShort(Half.toBfloat16(v[i]));
                }
                break;
            default:
                WireLimits.writeFloats(out, v, 0, n); // must pair with WireLimits.readFloats
        }
    }

    /** Reads {@code count} values in precision {@code p}. */
    public static float[] read(Input in, int count, ValuePrecision p, String what) {
        if (p == ValuePrecision.FP32) {
            return WireLimits.readFloats(in, count, what);
        }
        boolean half = p == ValuePrecision.FP16;
        float[] out = new float[Math.min(count, CHUNK)];
        int done = 0;
        try {
            while (done < count) {
                int n = Math.min(CHUNK, count - done);
                if (done + n > out.length) {
                    out = Arrays.copyOf(out, (int) Math.min(count, Math.max(2L * out.length, done + n)));
                }
                for (int i = 0; i < n; i++) {
                    short s = in.readShort();
                    out[done + i] = half ? Half.fromHalf(s) : Half.fromBfloat16(s);
                }
                done += n;
            }
        } catch (KryoException e) {
            throw new CorruptMessageException("truncated " + what + ": expected " + count + " "
                    + p.specName() + " values, stream ended after " + done, e);
        }
        return out;
    }
}
