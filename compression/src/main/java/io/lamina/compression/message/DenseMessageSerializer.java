package io.lamina.compression.message;

import io.lamina.compression.bits.WireLimits;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/** Wire form: varint length, varint workers, then length fp32 values (4 bytes each). */
public final class DenseMessageSerializer extends Serializer<DenseMessage> {

    public DenseMessageSerializer() {
        setImmutable(true);
    }

    /** Bytes of a dense message of {@code length} values summing {@code workers} messages. */
    public static long size(int length, int workers) {
        return WireLimits.varIntSize(length) + WireLimits.varIntSize(workers) + 4L * length;
    }

    @Override
    public void write(Kryo kryo, Output out, DenseMessage m) {
        out.writeVarInt(m.length(), true);
        out.writeVarInt(m.workers(), true);
        WireLimits.writeFloats(out, m.values(), 0, m.length());
    }

    @Override
    public DenseMessage read(Kryo kryo, Input in, Class<DenseMessage> type) {
        int length = WireLimits.readCount(in, 1, WireLimits.MAX_SEGMENT_LENGTH, "dense length");
        int workers = WireLimits.readCount(in, 1, Integer.MAX_VALUE, "dense workers");
        return new DenseMessage(WireLimits.readFloats(in, length, "dense values"), workers);
    }
}
