package io.lamina.compression.sign;

import io.lamina.compression.bits.PackedBits;
import io.lamina.compression.bits.WireLimits;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/** Wire form: varint length, fp32 scale (finite, >= 0), then one sign bit per element. */
public final class ScaledSignMessageSerializer extends Serializer<ScaledSignMessage> {

    public ScaledSignMessageSerializer() {
        setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output out, ScaledSignMessage m) {
        out.writeVarInt(m.length(), true);
        out.writeFloat(m.scale());
        PackedBits.write(out, m.words(), m.length());
    }

    @Override
    public ScaledSignMessage read(Kryo kryo, Input in, Class<ScaledSignMessage> type) {
        int length = WireLimits.readLength(in, "scaled sign");
        float scale = WireLimits.readFloat(in, 0f, Float.MAX_VALUE, "scaled sign scale");
        return new ScaledSignMessage(scale, length, PackedBits.read(in, length, "scaled sign bits"));
    }
}
