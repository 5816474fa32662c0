package io.lamina.compression.wire;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;

/** Checked reads of scalars for the quantiser and sign serializers. */
final class WireChecks {

    private WireChecks() {
    }

    /** Reads an fp32 and checks it is finite and within {@code [min, max]}. */
    static float readFloat(Input in, float min, float max, String what) {
        float v;
        try {
            v = in.readFloat();
        } catch (KryoException e) {
            throw new CorruptMessageException("truncated message while reading " + what, e);
        }
        if (!(v >= min && v <= max) || !Float.isFinite(v)) {
            throw new CorruptMessageException(what + " = " + v + " is not a finite value in ["
                    + min + ", " + max + "]");
        }
        return v;
    }

    /** Reads one byte (0..255). */
    static int readByte(Input in, String what) {
        try {
            return in.readByte() & 0xFF;
        } catch (KryoException e) {
            throw new CorruptMessageException("truncated message while reading " + what, e);
        }
    }

    /**
     * Reads {@code count} per-bucket scales (bulk, paired with {@link WireLimits#writeFloats}) and
     * checks each is finite and >= 0; {@code what} names one scale, e.g. "qsgd norm".
     */
    static float[] readBucketScales(Input in, int count, String what) {
        float[] scales = WireLimits.readFloats(in, count, what + "s of the buckets");
        for (int b = 0; b < count; b++) {
            if (!(scales[b] >= 0 && scales[b] <= Float.MAX_VALUE)) {
                throw new CorruptMessageException(what + " of bucket " + b + " = " + scales[b]
                        + " is not finite and >= 0");
            }
        }
        return scales;
    }

    /** Reads a segment length in [1, MAX_SEGMENT_LENGTH]. */
    static int readLength(Input in, String what) {
        return WireLimits.readCount(in, 1, WireLimits.MAX_SEGMENT_LENGTH, what + " length");
    }
}
