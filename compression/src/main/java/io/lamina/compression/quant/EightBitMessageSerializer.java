package io.lamina.compression.quant;

import io.lamina.compression.bits.PackedBits;
import io.lamina.compression.bits.WireLimits;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/** Wire form: varint length, fp32 scale (finite, >= 0), then one code byte per element. */
public final class EightBitMessageSerializer extends Serializer<EightBitMessage> {

    public EightBitMessageSerializer() {
        setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output out, EightBitMessage m) {
        out.writeVarInt(m.length(), true);
        out.writeFloat(m.scale());
        PackedBits.write(out, m.words(), 8L * m.length());
    }

    @Override
    public EightBitMessage read(Kryo kryo, Input in, Class<EightBitMessage> type) {
        int length = WireLimits.readLength(in, "8-bit");
        float scale = WireLimits.readFloat(in, 0f, Float.MAX_VALUE, "8-bit scale");
        return new EightBitMessage(scale, length, PackedBits.read(in, 8L * length, "8-bit codes"));
    }
}
