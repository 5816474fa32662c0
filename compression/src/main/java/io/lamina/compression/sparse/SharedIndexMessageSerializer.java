package io.lamina.compression.sparse;

import io.lamina.compression.bits.CorruptMessageException;
import io.lamina.compression.bits.WireLimits;
import io.lamina.compression.message.ValueCodec;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.lamina.compression.message.ValuePrecision;

/**
 * Wire form of a {@link SharedIndexMessage}: no indices, only what regenerates them.
 * <pre>
 *   varint length | varint workers | varint k | 8-byte seed | 1 byte value code (0 fp32, 1 fp16, 2 bf16)
 *   k values (4 or 2 bytes each)
 * </pre>
 * Size: {@code varint(length) + varint(workers) + varint(k) + 9 + k * valueBytes}. Reading checks
 * {@code 1 <= length <= 2^30}, workers >= 1, {@code k <= length} and the value code.
 */
public final class SharedIndexMessageSerializer extends Serializer<SharedIndexMessage> {

    private static final String WHAT = "shared-index message";

    public SharedIndexMessageSerializer() {
        setImmutable(true);
    }

    /** The exact number of bytes {@link #write} produces for {@code m}. */
    public static long wireSize(SharedIndexMessage m) {
        return WireLimits.varIntSize(m.length()) + WireLimits.varIntSize(m.workers()) + WireLimits.varIntSize(m.k()) + 9L
                + (long) m.k() * m.precision().bytes();
    }

    @Override
    public void write(Kryo kryo, Output out, SharedIndexMessage m) {
        out.writeVarInt(m.length(), true);
        out.writeVarInt(m.workers(), true);
        out.writeVarInt(m.k(), true);
        out.writeLong(m.seed());
        out.writeByte(ValueCodec.code(m.precision()));
        ValueCodec.write(out, m.values(), m.k(), m.precision());
    }

    @Override
    public SharedIndexMessage read(Kryo kryo, Input in, Class<SharedIndexMessage> type) {
        int length = WireLimits.readCount(in, 1, WireLimits.MAX_SEGMENT_LENGTH, WHAT + " length");
        int workers = WireLimits.readCount(in, 1, Integer.MAX_VALUE, WHAT + " workers");
        int k = WireLimits.readCount(in, 0, length, WHAT + " k");
        long seed;
        int code;
        try {
            seed = in.readLong();
            code = in.readByte() & 0xFF;
        } catch (KryoException e) {
            throw new CorruptMessageException("truncated " + WHAT + " while reading its seed", e);
        }
        ValuePrecision precision = ValueCodec.fromCode(code, WHAT);
        float[] values = ValueCodec.read(in, k, precision, WHAT + " values");
        try {
            return new SharedIndexMessage(length, seed, values, precision, workers);
        } catch (IllegalArgumentException e) {
            throw new CorruptMessageException(WHAT + ": " + e.getMessage(), e);
        }
    }
}
