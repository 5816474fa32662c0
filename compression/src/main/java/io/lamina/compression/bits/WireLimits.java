package io.lamina.compression.bits;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;

/**
 * Defensive reading of counts and arrays. A corrupt count must never become a huge allocation:
 * counts are range-checked, and arrays are read in chunks that grow only as bytes actually
 * arrive, so a truncated stream fails with {@link CorruptMessageException} after allocating at
 * most about twice what was really there.
 */
public final class WireLimits {

    /** No segment may exceed this many elements (2^30: 4 GiB of fp32). */
    public static final int MAX_SEGMENT_LENGTH = 1 << 30;

    private static final int CHUNK = 1 << 16;

    private WireLimits() {
    }

    /** Reads a non-negative varint and checks {@code min <= value <= max}. */
    public static int readCount(Input in, int min, int max, String what) {
        int v;
        try {
            v = in.readVarInt(true);
        } catch (KryoException e) {
            throw new CorruptMessageException("truncated message while reading " + what, e);
        }
        if (v < min || v > max) {
            throw new CorruptMessageException(what + " = " + v + " is outside [" + min + ", " + max + "]");
        }
        return v;
    }

    /** Per-thread staging buffer for bulk float conversion (big-endian, as Kryo's writeFloat). */
    private static final ThreadLocal<java.nio.ByteBuffer> STAGE =
            ThreadLocal.withInitial(() -> java.nio.ByteBuffer.allocate(CHUNK * 4));

    /**
     * Writes {@code v[off, off + len)} as big-endian fp32 through {@code writeBytes}, converted in
     * bulk (several times faster than {@code writeFloat} per element). Always pair it with
     * {@link #readFloats}: the stream classes Spark's Kryo uses do not all write {@code writeFloat}
     * in the same byte order (seen here: values garbled when the two were mixed), so the byte order
     * is fixed here, not left to the stream.
     */
    public static void writeFloats(com.esotericsoftware.kryo.io.Output out, float[] v, int off, int len) {
        java.nio.ByteBuffer stage = STAGE.get();
        for (int done = 0; done < len; ) {
            int n = Math.min(CHUNK, len - done);
            stage.clear();
            stage.asFloatBuffer().put(v, off + done, n);
            out.writeBytes(stage.array(), 0, n * 4);
            done += n;
        }
    }

    /** Reads {@code count} fp32 values without trusting {@code count} for the allocation size. */
    public static float[] readFloats(Input in, int count, String what) {
        float[] out = new float[Math.min(count, CHUNK)];
        java.nio.ByteBuffer stage = STAGE.get();
        int done = 0;
        try {
            while (done < count) {
                int n = Math.min(CHUNK, count - done);
                if (done + n > out.length) {
                    out = java.util.Arrays.copyOf(out, (int) Math.min(count, Math.max(2L * out.length, done + n)));
                }
                stage.clear();
                in.readBytes(stage.array(), 0, n * 4);
                stage.asFloatBuffer().get(out, done, n);
                done += n;
            }
        } catch (KryoException e) {
            throw new CorruptMessageException("truncated " + what + ": expected " + count
                    + " floats, stream ended after " + done, e);
        }
        return out;
    }

    /** Reads {@code count} raw bytes, allocating in chunks as they arrive. */
    public static byte[] readBytes(Input in, int count, String what) {
        byte[] out = new byte[Math.min(count, CHUNK * 4)];
        int done = 0;
        try {
            while (done < count) {
                int n = Math.min(CHUNK * 4, count - done);
                if (done + n > out.length) {
                    out = java.util.Arrays.copyOf(out, (int) Math.min(count, Math.max(2L * out.length, done + n)));
                }
                in.readBytes(out, done, n);
                done += n;
            }
        } catch (KryoException e) {
            throw new CorruptMessageException("truncated " + what + ": expected " + count
                    + " bytes, stream ended after " + done, e);
        }
        return out;
    }


    /** Reads an fp32 and checks it is finite and within {@code [min, max]}. */
    public static float readFloat(Input in, float min, float max, String what) {
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
    public static int readByte(Input in, String what) {
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
    public static float[] readBucketScales(Input in, int count, String what) {
        float[] scales = readFloats(in, count, what + "s of the buckets");
        for (int b = 0; b < count; b++) {
            if (!(scales[b] >= 0 && scales[b] <= Float.MAX_VALUE)) {
                throw new CorruptMessageException(what + " of bucket " + b + " = " + scales[b]
                        + " is not finite and >= 0");
            }
        }
        return scales;
    }

    /** Reads a segment length in [1, MAX_SEGMENT_LENGTH]. */
    public static int readLength(Input in, String what) {
        return readCount(in, 1, MAX_SEGMENT_LENGTH, what + " length");
    }

    /** Bytes of {@code Output.writeVarInt(v, true)}: the library's one varint-size function. */
    public static int varIntSize(int v) {
        return (38 - Integer.numberOfLeadingZeros(v | 1)) / 7; // 1..5, branch-free
    }
}
