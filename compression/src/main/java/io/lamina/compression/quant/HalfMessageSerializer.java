package io.lamina.compression.quant;

import io.lamina.compression.bits.CorruptMessageException;
import io.lamina.compression.bits.PackedBits;
import io.lamina.compression.bits.WireLimits;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/** Wire form: varint length, format byte (0 fp16, 1 bf16), then 2 bytes per element. */
public final class HalfMessageSerializer extends Serializer<HalfMessage> {

    public HalfMessageSerializer() {
        setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output out, HalfMessage m) {
        out.writeVarInt(m.length(), true);
        out.writeByte(m.bf16() ? 1 : 0);
        PackedBits.write(out, m.words(), 16L * m.length());
    }

    @Override
    public HalfMessage read(Kryo kryo, Input in, Class<HalfMessage> type) {
        int length = WireLimits.readLength(in, "half");
        int format = WireLimits.readByte(in, "half format");
        if (format > 1) {
            throw new CorruptMessageException("half format byte = " + format + "; allowed: 0 (fp16), 1 (bf16)");
        }
        return new HalfMessage(format == 1, length, PackedBits.read(in, 16L * length, "half values"));
    }
}
