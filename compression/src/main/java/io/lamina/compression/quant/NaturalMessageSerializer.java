package io.lamina.compression.quant;

import io.lamina.compression.bits.PackedBits;
import io.lamina.compression.bits.WireLimits;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/** Wire form: varint length, then 9 bits (sign, 8-bit exponent) per element. Every code is valid. */
public final class NaturalMessageSerializer extends Serializer<NaturalMessage> {

    public NaturalMessageSerializer() {
        setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output out, NaturalMessage m) {
        out.writeVarInt(m.length(), true);
        PackedBits.write(out, m.words(), (long) NaturalMessage.WIDTH * m.length());
    }

    @Override
    public NaturalMessage read(Kryo kryo, Input in, Class<NaturalMessage> type) {
        int length = WireLimits.readLength(in, "natural");
        return new NaturalMessage(length,
                PackedBits.read(in, (long) NaturalMessage.WIDTH * length, "natural codes"));
    }
}
